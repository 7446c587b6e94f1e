using System.Buffers.Binary;
using System.IO.Compression;

namespace Crawler.Evidence;

/// <summary>
/// Reads a gzip file one member at a time and knows where each member starts in the compressed file.
/// .NET's GZipStream runs concatenated members together and hides those offsets, so the gzip header and
/// trailer (RFC 1952) are parsed here and only the raw deflate data goes through <see cref="DeflateStream"/>.
/// The member's CRC-32 and size are checked here too, because raw deflate has no check of its own.
/// </summary>
/// <remarks>Format problems surface as <see cref="InvalidDataException"/>; the WARC layer adds the record index.</remarks>
internal sealed class GzipMemberReader : IDisposable
{
    // Small chunks keep the search for the trailer short: the deflate data ends inside the last chunk handed to the inflater.
    private const int FeedChunk = 16 * 1024;

    private readonly CompressedInput _input;
    private readonly Feeder _feeder;
    private DeflateStream? _inflater;
    private uint _crc;
    private long _size;

    public GzipMemberReader(Stream compressed)
    {
        _input = new CompressedInput(compressed);
        _feeder = new Feeder(_input);
    }

    /// <summary>File offset of the member being read, or of the next member once one is finished.</summary>
    public long MemberOffset { get; private set; }

    public bool InMember => _inflater is not null;

    /// <summary>Starts the next member; false when the file ends cleanly between members.</summary>
    public bool StartMember()
    {
        MemberOffset = _input.Position;
        if (!_input.Ensure(1))
        {
            return false;
        }

        ReadHeader();
        _feeder.Reset();
        _inflater = new DeflateStream(_feeder, CompressionMode.Decompress, leaveOpen: true);
        _crc = 0;
        _size = 0;
        return true;
    }

    /// <summary>Decompressed bytes of the current member; 0 once its trailer has been read and checked.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_inflater is null || buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        try
        {
            n = _inflater.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"the deflate data of the gzip member is corrupt ({e.Message})", e);
        }

        if (n > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..n]);
            _size += n;
            return n;
        }

        FinishMember();
        return 0;
    }

    public void Dispose() => _inflater?.Dispose();

    private void ReadHeader()
    {
        var crc = 0u;
        int Next()
        {
            var b = _input.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("the file ends inside a gzip header");
            }

            Span<byte> one = [(byte)b];
            crc = Crc32.Append(crc, one);
            return b;
        }

        if (Next() != 0x1F || Next() != 0x8B)
        {
            throw new InvalidDataException("not a gzip member (expected the bytes 1f 8b): the file is not .warc.gz, or something other than a record follows the last one");
        }

        if (Next() != 8)
        {
            throw new InvalidDataException("gzip member uses a compression method other than deflate");
        }

        var flags = Next();
        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException("gzip header sets reserved flag bits");
        }

        for (var i = 0; i < 6; i++)
        {
            Next(); // MTIME, XFL, OS: informative only.
        }

        if ((flags & 0x04) != 0)
        {
            var extraLength = Next() | (Next() << 8);
            for (var i = 0; i < extraLength; i++)
            {
                Next();
            }
        }

        if ((flags & 0x08) != 0)
        {
            while (Next() != 0)
            {
            }
        }

        if ((flags & 0x10) != 0)
        {
            while (Next() != 0)
            {
            }
        }

        if ((flags & 0x02) != 0)
        {
            var expected = crc & 0xFFFF;
            var stored = (uint)(Next() | (Next() << 8));
            if (stored != expected)
            {
                throw new InvalidDataException("gzip header CRC does not match the header");
            }
        }
    }

    /// <summary>
    /// The inflater only asks for more input once it has used up the previous chunk, so its deflate data
    /// ends inside the last chunk. The trailer (CRC-32 and size of the decompressed data, little-endian)
    /// sits right after that end; the one position in the chunk where both match is where the member ends.
    /// </summary>
    private void FinishMember()
    {
        _inflater!.Dispose();
        _inflater = null;

        // The inflater asked for more and there was none: its deflate data is incomplete.
        const string truncated = "the file ends inside a gzip member (truncated)";
        if (_feeder.ReachedEnd)
        {
            throw new InvalidDataException(truncated);
        }

        var chunkStart = _feeder.LastChunkStart;
        var window = (int)(_feeder.LastChunkEnd - chunkStart);
        _input.Rewind(chunkStart);
        var complete = _input.Ensure(window + 8);
        var bytes = _input.Available;
        for (var i = 0; i <= window && i + 8 <= bytes.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]) == _crc &&
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i + 4)..]) == (uint)_size)
            {
                _input.Advance(i + 8);
                MemberOffset = _input.Position;
                return;
            }
        }

        throw new InvalidDataException(complete
            ? "the gzip trailer does not match the decompressed data (CRC-32 or size differs)"
            : truncated);
    }

    /// <summary>Hands the inflater the compressed file in chunks and remembers where the last chunk lies.</summary>
    private sealed class Feeder(CompressedInput input) : Stream
    {
        public long LastChunkStart { get; private set; }

        public long LastChunkEnd { get; private set; }

        public bool ReachedEnd { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Reset()
        {
            LastChunkStart = input.Position;
            LastChunkEnd = input.Position;
            ReachedEnd = false;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (!input.Ensure(1))
            {
                ReachedEnd = true;
                return 0;
            }

            var available = input.Available;
            var n = Math.Min(Math.Min(buffer.Length, FeedChunk), available.Length);
            available[..n].CopyTo(buffer);
            LastChunkStart = input.Position;
            input.Advance(n);
            LastChunkEnd = input.Position;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
