using System.Globalization;
using System.Text;

namespace Crawler.Evidence;

/// <summary>
/// Reads the records of a <c>.warc.gz</c> file in order. Each gzip member is decompressed on its own, so
/// every record can name the compressed offset of its member (<see cref="WarcRecord.Offset"/>). A member
/// may hold several whole records; a record may not run on into the next member.
/// </summary>
public static class WarcReader
{
    /// <summary>No single record may claim more; a garbage Content-Length then fails fast instead of exhausting memory.</summary>
    public const long MaxRecordLength = 256L * 1024 * 1024;

    /// <summary>Cap on the version line plus named fields of one record.</summary>
    public const int MaxHeaderLength = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads every record, lazily. Throws <see cref="WarcFormatException"/> (record index and member offset
    /// in its message) at the first malformed record, corrupt gzip member or truncation.
    /// </summary>
    public static IEnumerable<WarcRecord> Read(Stream warcGz)
    {
        ArgumentNullException.ThrowIfNull(warcGz);
        if (!warcGz.CanRead)
        {
            throw new ArgumentException("stream is not readable", nameof(warcGz));
        }

        return ReadRecords(warcGz);
    }

    private static IEnumerable<WarcRecord> ReadRecords(Stream warcGz)
    {
        using var gzip = new GzipMemberReader(warcGz);
        var source = new MemberBytes(gzip);
        var index = 0;
        while (true)
        {
            WarcRecord? record;
            try
            {
                record = ReadNext(gzip, source);
            }
            catch (InvalidDataException e)
            {
                throw new WarcFormatException(index, gzip.MemberOffset, e.Message, e);
            }
            catch (DecoderFallbackException e)
            {
                throw new WarcFormatException(index, gzip.MemberOffset, "a header line is not valid UTF-8", e);
            }

            if (record is null)
            {
                yield break;
            }

            yield return record;
            index++;
        }
    }

    private static WarcRecord? ReadNext(GzipMemberReader gzip, MemberBytes source)
    {
        // Members that hold no bytes at all are skipped; some tools write an empty member at the end.
        while (!gzip.InMember || source.AtEnd())
        {
            if (!gzip.StartMember())
            {
                return null;
            }
        }

        var offset = gzip.MemberOffset;
        var budget = MaxHeaderLength;
        var version = source.ReadLine(ref budget);
        if (version is not ("WARC/1.1" or "WARC/1.0"))
        {
            throw new InvalidDataException($"record does not start with a WARC/1.1 or WARC/1.0 version line (found '{Shorten(version)}')");
        }

        var headers = new List<WarcHeader>();
        while (true)
        {
            var line = source.ReadLine(ref budget);
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                // A folded continuation line, still allowed by the grammar of ISO 28500.
                if (headers.Count == 0)
                {
                    throw new InvalidDataException("the first header line is a continuation line");
                }

                var last = headers[^1];
                headers[^1] = last with { Value = last.Value + " " + line.Trim(' ', '\t') };
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon] : "";
            if (name.Length == 0 || !name.All(WarcSyntax.IsTokenChar))
            {
                throw new InvalidDataException($"malformed header line '{Shorten(line)}'");
            }

            headers.Add(new WarcHeader(name, line[(colon + 1)..].Trim(' ', '\t')));
        }

        var length = ContentLength(headers);
        var block = source.ReadBlock(length);
        Span<byte> end = stackalloc byte[4];
        if (source.Read(end) != 4 || !end.SequenceEqual("\r\n\r\n"u8))
        {
            throw new InvalidDataException("record block is not followed by CRLF CRLF (Content-Length wrong, or data cut off)");
        }

        // Reaching the end of the member here checks its CRC before the record is handed out.
        source.AtEnd();
        return new WarcRecord(offset, headers, block);
    }

    private static long ContentLength(List<WarcHeader> headers)
    {
        string? value = null;
        foreach (var h in headers.Where(h => string.Equals(h.Name, "Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            if (value is not null && !string.Equals(value, h.Value, StringComparison.Ordinal))
            {
                throw new InvalidDataException("record has two different Content-Length fields");
            }

            value = h.Value;
        }

        if (value is null)
        {
            throw new InvalidDataException("record has no Content-Length");
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new InvalidDataException($"Content-Length '{Shorten(value)}' is not a number");
        }

        if (length > MaxRecordLength)
        {
            throw new InvalidDataException($"Content-Length {length} exceeds the {MaxRecordLength} byte limit for one record");
        }

        return length;
    }

    private static string Shorten(string text) =>
        string.Concat((text.Length > 60 ? text[..60] + "..." : text).Select(c => char.IsControl(c) ? '?' : c));

    /// <summary>Buffered decompressed bytes of the current member.</summary>
    private sealed class MemberBytes(GzipMemberReader gzip)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _pos;
        private int _len;

        /// <summary>True when the member has no more bytes; reading that far checks its trailer.</summary>
        public bool AtEnd() => !Fill();

        public int Read(Span<byte> destination)
        {
            var total = 0;
            while (total < destination.Length && Fill())
            {
                var n = Math.Min(destination.Length - total, _len - _pos);
                _buffer.AsSpan(_pos, n).CopyTo(destination[total..]);
                _pos += n;
                total += n;
            }

            return total;
        }

        public string ReadLine(ref int budget)
        {
            var line = new List<byte>();
            while (true)
            {
                if (!Fill())
                {
                    throw new InvalidDataException("the gzip member ends inside the record header");
                }

                var b = _buffer[_pos++];
                if (--budget < 0)
                {
                    throw new InvalidDataException($"record header is longer than {MaxHeaderLength} bytes");
                }

                if (b == '\n')
                {
                    if (line.Count == 0 || line[^1] != '\r')
                    {
                        throw new InvalidDataException("header line ends in a bare LF instead of CRLF");
                    }

                    line.RemoveAt(line.Count - 1);
                    return StrictUtf8.GetString(line.ToArray());
                }

                line.Add(b);
            }
        }

        /// <summary>
        /// Reads exactly <paramref name="length"/> bytes. The array grows with the data actually present,
        /// so a Content-Length far beyond the real data costs at most a megabyte before it is caught.
        /// </summary>
        public byte[] ReadBlock(long length)
        {
            var block = new byte[Math.Min(length, 1024 * 1024)];
            long read = 0;
            while (read < length)
            {
                if (read == block.Length)
                {
                    Array.Resize(ref block, (int)Math.Min(length, block.Length * 2L));
                }

                var n = Read(block.AsSpan((int)read, block.Length - (int)read));
                if (n == 0)
                {
                    throw new InvalidDataException($"Content-Length is {length} but the gzip member ends after {read} block bytes");
                }

                read += n;
            }

            return block;
        }

        private bool Fill()
        {
            if (_pos < _len)
            {
                return true;
            }

            _pos = 0;
            _len = gzip.Read(_buffer);
            return _len > 0;
        }
    }
}
