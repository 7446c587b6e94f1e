namespace Crawler.Evidence;

/// <summary>
/// A read window over the compressed file that knows the file offset of every byte it holds and can step
/// back to any byte still in the window. Stepping back is how the end of a gzip member is found: the
/// inflater may have been handed bytes past the end of its deflate data, and those belong to the trailer
/// and the next member.
/// </summary>
internal sealed class CompressedInput
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private long _bufferStart;
    private int _pos;
    private int _len;

    public CompressedInput(Stream stream) => _stream = stream;

    /// <summary>File offset of the next unread byte.</summary>
    public long Position => _bufferStart + _pos;

    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_pos, _len - _pos);

    /// <summary>
    /// Makes at least <paramref name="count"/> unread bytes available unless the file ends first. Drops
    /// only bytes already read, so everything from <see cref="Position"/> on stays reachable.
    /// </summary>
    public bool Ensure(int count)
    {
        if (_len - _pos >= count)
        {
            return true;
        }

        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _bufferStart += _pos;
            _len -= _pos;
            _pos = 0;
        }

        if (count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        }

        while (_len < count)
        {
            var n = _stream.Read(_buffer, _len, _buffer.Length - _len);
            if (n <= 0)
            {
                return false;
            }

            _len += n;
        }

        return true;
    }

    public int ReadByte() => Ensure(1) ? _buffer[_pos++] : -1;

    public void Advance(int count) => _pos += count;

    public void Rewind(long position)
    {
        var p = position - _bufferStart;
        if (p < 0 || p > _len)
        {
            throw new InvalidOperationException("rewind target is no longer in the window");
        }

        _pos = (int)p;
    }
}
