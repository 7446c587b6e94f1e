namespace Crawler.Fetching;

/// <summary>
/// What the tap saw of one exchange sent from the flow that began it: the request head as written to the
/// connection and the final response head as read from it, byte for byte. Each new request head (a retry, a
/// second attempt over a new connection) replaces what an earlier attempt left, so after the send it describes
/// the attempt whose response came back.
/// </summary>
public sealed class HeadCapture
{
    private readonly Lock _gate = new();
    private byte[]? _request;
    private byte[]? _response;

    /// <summary>The request head (request line, field lines, empty line), or null when none was seen.</summary>
    public byte[]? RequestHead
    {
        get
        {
            lock (_gate)
            {
                return _request;
            }
        }
    }

    /// <summary>The final (non-1xx) response head, or null when none was seen for the last request head.</summary>
    public byte[]? ResponseHead
    {
        get
        {
            lock (_gate)
            {
                return _response;
            }
        }
    }

    internal void Sent(byte[] head)
    {
        lock (_gate)
        {
            _request = head;
            _response = null;
        }
    }

    internal void Received(byte[] request, byte[] head)
    {
        lock (_gate)
        {
            // A late head of an abandoned attempt must not pair with a newer request.
            if (ReferenceEquals(request, _request))
            {
                _response = head;
            }
        }
    }
}

/// <summary>
/// Copies the heads of HTTP/1.x exchanges as they cross the connection, for evidence that records what was sent
/// and received rather than what the parsed message makes of it (field order, case and repeated fields, which
/// <see cref="System.Net.Http.Headers.HttpHeaders"/> merges). It is installed as
/// <see cref="SocketsHttpHandler.PlaintextStreamFilter"/>, which sits above TLS and below HTTP, so it sees plain
/// bytes for http and https alike; the network guard's connect callback, which checks the address connected to,
/// runs before it, untouched. HTTP/2 frames are not tapped (the crawler speaks HTTP/1.1).
/// </summary>
/// <remarks>
/// SocketsHttpHandler sends one request at a time on a connection and reads its whole response before the next
/// (no pipelining), so on one connection a request head is answered by the next final response head read. The
/// request head is written from the flow of the send that owns it, which is how it is tied to that send's
/// <see cref="HeadCapture"/>.
/// </remarks>
public static class HeadTap
{
    /// <summary>A head larger than this is not captured (the handler's own default limit is 64 KiB).</summary>
    public const int MaxHeadBytes = 256 * 1024;

    private static readonly AsyncLocal<HeadCapture?> Current = new();

    /// <summary>Starts capturing for sends made from the calling flow from now on; returns what they fill in.</summary>
    public static HeadCapture Begin()
    {
        var capture = new HeadCapture();
        Current.Value = capture;
        return capture;
    }

    /// <summary>The <see cref="SocketsHttpHandler.PlaintextStreamFilter"/> that taps HTTP/1.x connections.</summary>
    public static ValueTask<Stream> Filter(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.NegotiatedHttpVersion.Major == 1 ? new TapStream(context.PlaintextStream) : context.PlaintextStream);
    }

    internal static HeadCapture? CaptureOfThisFlow => Current.Value;

    /// <summary>Index just past the first CRLF CRLF (or bare LF LF) in <paramref name="data"/>, or -1.</summary>
    internal static int EndOfHead(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                return i + 2;
            }

            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                return i + 3;
            }
        }

        return -1;
    }
}

/// <summary>The connection stream with both directions watched for message heads; the bytes pass unchanged.</summary>
internal sealed class TapStream(Stream inner) : Stream
{
    private readonly Queue<(HeadCapture? Capture, byte[] Head)> _awaiting = new();
    private readonly MemoryStream _requestHead = new();
    private readonly MemoryStream _responseHead = new();
    private HeadCapture? _writer;
    private bool _writingHead = true;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Saw(buffer.AsSpan(offset, n));
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Saw(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Saw(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Sending(buffer);
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Sending(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Bytes about to be written: the start of a request head, more of it, or a body (ignored).</summary>
    private void Sending(ReadOnlySpan<byte> data)
    {
        lock (_awaiting)
        {
            if (!_writingHead || data.IsEmpty)
            {
                return;
            }

            if (_requestHead.Length == 0)
            {
                _writer = HeadTap.CaptureOfThisFlow;
            }

            var before = (int)_requestHead.Length;
            _requestHead.Write(data);
            var all = _requestHead.GetBuffer().AsSpan(0, (int)_requestHead.Length);
            var end = HeadTap.EndOfHead(all[Math.Max(0, before - 3)..]);
            if (end >= 0)
            {
                var head = all[..(Math.Max(0, before - 3) + end)].ToArray();
                _requestHead.SetLength(0);
                // Whatever follows in this write is a request body; the next head starts after the response.
                _writingHead = false;
                _awaiting.Enqueue((_writer, head));
                _writer?.Sent(head);
            }
            else if (_requestHead.Length > HeadTap.MaxHeadBytes)
            {
                // Not captured; its response head is still consumed, so the heads after it pair up.
                _requestHead.SetLength(0);
                _writingHead = false;
                _awaiting.Enqueue((null, []));
            }
        }
    }

    /// <summary>Bytes just read: while a request awaits its answer, they are its response head and then its body.</summary>
    private void Saw(ReadOnlySpan<byte> data)
    {
        lock (_awaiting)
        {
            while (!data.IsEmpty && _awaiting.Count > 0)
            {
                var before = (int)_responseHead.Length;
                _responseHead.Write(data);
                var all = _responseHead.GetBuffer().AsSpan(0, (int)_responseHead.Length);
                var from = Math.Max(0, before - 3);
                var end = HeadTap.EndOfHead(all[from..]);
                if (end < 0)
                {
                    if (_responseHead.Length > HeadTap.MaxHeadBytes)
                    {
                        _responseHead.SetLength(0);
                        _awaiting.Dequeue();
                        _writingHead = true;
                    }

                    return;
                }

                var length = from + end;
                var head = all[..length].ToArray();
                var used = length - before;
                data = data[used..];
                _responseHead.SetLength(0);
                if (IsInterim(head))
                {
                    // 100 Continue, 103 Early Hints: the final head follows.
                    continue;
                }

                var (capture, request) = _awaiting.Dequeue();
                capture?.Received(request, head);
                // The rest of the data is body: the next head comes after the next request is written.
                _writingHead = true;
                return;
            }
        }
    }

    /// <summary>A 1xx head other than 101 (which switches protocols, after which nothing here applies).</summary>
    private static bool IsInterim(ReadOnlySpan<byte> head) =>
        head.Length > 12 && head[9] == '1' && !(head[10] == '0' && head[11] == '1') && head.StartsWith("HTTP/1."u8);
}
