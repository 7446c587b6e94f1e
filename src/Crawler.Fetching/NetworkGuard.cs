using System.Net;
using System.Net.Sockets;
using Crawler.Core.Network;

namespace Crawler.Fetching;

/// <summary>Thrown inside the connect step when every address of a host is off limits.</summary>
public sealed class NetworkGuardException(string host, string reason) : Exception(reason)
{
    public string Host { get; } = host;
}

/// <summary>
/// The public-sources-only rule, enforced on the address actually connected to: the guard resolves
/// the name itself and connects only to an address it has just judged, so a DNS answer that
/// changes between check and connect (rebinding) cannot slip through.
/// </summary>
/// <param name="labInstallation">Whether this is a lab installation.</param>
/// <param name="allowLoopbackInLab">The policy's network.allowLoopbackInLab.</param>
/// <param name="resolve">Name resolution; the system resolver unless a test supplies the answers it cannot get here.</param>
public sealed class NetworkGuard(bool labInstallation, bool allowLoopbackInLab, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    // The address each host:port was last connected to. Connections are pooled per host, and a
    // host's pool normally holds connections to one address, so this is the address an exchange used.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _connected = new(StringComparer.OrdinalIgnoreCase);

    public bool LabInstallation { get; } = labInstallation;

    /// <summary>The address most recently connected to for this host and port, for the evidence record.</summary>
    public string? LastAddress(string host, int port) => _connected.TryGetValue(host + ":" + port, out var a) ? a : null;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken);
        var refused = new List<string>();
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            var kind = AddressClass.Classify(address);
            if (!AddressClass.MayConnect(kind, LabInstallation, allowLoopbackInLab))
            {
                refused.Add($"{address} ({kind})");
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                _connected[host + ":" + context.DnsEndPoint.Port] = address.ToString();
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
        }

        if (lastError is not null)
        {
            throw new HttpRequestException($"could not connect to {host}: {lastError.Message}", lastError);
        }

        throw new NetworkGuardException(host,
            $"'{host}' resolves only to addresses that are not public sources: {string.Join(", ", refused)}" +
            (LabInstallation ? "" : " (loopback is allowed only in a lab installation)"));
    }
}
