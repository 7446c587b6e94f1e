using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Crawler.EndToEnd.Tests;

/// <summary>What the server does with the connection after a response: keep it, close it, or reset it (RST).</summary>
public enum RawEnding
{
    KeepAlive,
    Close,
    Reset,
}

/// <summary>One request head exactly as the server read it off the socket, with the path it asked for.</summary>
public sealed record LoggedRequest(string Path, byte[] Head);

/// <summary>
/// An HTTP/1.1 server on raw sockets, so that a test decides every byte of the response head (field order, case,
/// repeated fields, framing) and sees every byte of the request head; Kestrel would normalise both. Keeps
/// connections open between requests. With a certificate it speaks TLS.
/// </summary>
public sealed class RawSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]?> _respond;
    private readonly Func<string, RawEnding>? _ending;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<LoggedRequest> _log = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    /// <param name="respond">The whole response (head and body bytes) for a path, or null for a 404.</param>
    /// <param name="certificate">Speak TLS with this certificate.</param>
    /// <param name="ending">What to do with the connection after the response to a path (kept open when not given).</param>
    public RawSocketServer(Func<string, byte[]?> respond, X509Certificate2? certificate = null, Func<string, RawEnding>? ending = null)
    {
        _respond = respond;
        _ending = ending;
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request head received, in order.</summary>
    public IReadOnlyList<LoggedRequest> Requests => _log.ToArray();

    /// <summary>A response from a head written out line by line (CRLF added) and a body.</summary>
    public static byte[] Response(IEnumerable<string> headLines, byte[] body) =>
        [.. Encoding.Latin1.GetBytes(string.Concat(headLines.Select(l => l + "\r\n")) + "\r\n"), .. body];

    /// <summary>HTTP/1.1 chunked transfer coding of <paramref name="data"/> in pieces of <paramref name="size"/> bytes.</summary>
    public static byte[] Chunked(byte[] data, int size)
    {
        using var output = new MemoryStream();
        for (var at = 0; at < data.Length; at += size)
        {
            var n = Math.Min(size, data.Length - at);
            output.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            output.Write(data, at, n);
            output.Write("\r\n"u8);
        }

        output.Write("0\r\n\r\n"u8);
        return output.ToArray();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(_certificate);
                stream = tls;
            }

            await using var __ = stream;
            var pending = new List<byte>();
            var buffer = new byte[8192];
            while (!_stop.IsCancellationRequested)
            {
                int end;
                while ((end = IndexOfEnd(pending)) < 0)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    pending.AddRange(buffer.AsSpan(0, n));
                }

                var head = pending.Take(end).ToArray();
                pending.RemoveRange(0, end);
                var path = Encoding.Latin1.GetString(head).Split("\r\n")[0].Split(' ')[1];
                _log.Enqueue(new LoggedRequest(path, head));
                var response = _respond(path) ?? Response(["HTTP/1.1 404 Not Found", "Content-Length: 0"], []);
                await stream.WriteAsync(response, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                switch (_ending?.Invoke(path) ?? RawEnding.KeepAlive)
                {
                    case RawEnding.Close:
                        return;
                    case RawEnding.Reset:
                        // A zero linger makes the close an RST: the peer sees "connection reset", not an orderly end.
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away, or the server is stopping.
        }
    }

    private static int IndexOfEnd(List<byte> data)
    {
        for (var i = 3; i < data.Count; i++)
        {
            if (data[i - 3] == '\r' && data[i - 2] == '\n' && data[i - 1] == '\r' && data[i] == '\n')
            {
                return i + 1;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
