using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Crawler.DemoSite;

/// <summary>
/// The bundled synthetic ad site: invented ads in Dutch and English with client reviews, a
/// footer with the operator's own contact data, an out-of-scope link and a robots.txt that
/// disallows /private/. Served by Kestrel on a free loopback port; every request is recorded.
/// </summary>
public sealed class DemoSite : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Action<string>? _onRequest;
    private LoopbackServer? _server;

    private DemoSite(Action<string>? onRequest) => _onRequest = onRequest;

    public Uri BaseUrl => _server!.BaseUrl;

    /// <summary>Paths (with query) in the order the site received them.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <param name="onRequest">Called with each request's path before it is answered (tests use it to act mid-crawl).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DemoSite> StartAsync(Action<string>? onRequest = null, CancellationToken cancellationToken = default)
    {
        var site = new DemoSite(onRequest);
        site._server = await LoopbackServer.StartAsync(site.ServeAsync, cancellationToken: cancellationToken);
        return site;
    }

    /// <summary>Reads one bundled file, e.g. "ads/101.html" or "expected.json".</summary>
    public static string? ReadFile(string relativePath)
    {
        using var stream = typeof(DemoSite).Assembly.GetManifestResourceStream("site/" + relativePath.TrimStart('/'));
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IEnumerable<string> Files() =>
        typeof(DemoSite).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("site/", StringComparison.Ordinal)).Select(n => n[5..]);

    private async Task ServeAsync(HttpContext http)
    {
        var requested = http.Request.Path + http.Request.QueryString;
        _requests.Enqueue(requested);
        _onRequest?.Invoke(requested);
        var path = http.Request.Path.Value ?? "/";
        if (path == "/")
        {
            path = "/index.html";
        }

        var body = HttpMethods.IsGet(http.Request.Method) ? ReadFile(path) : null;
        if (body is null || path == "/expected.json")
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync("<!doctype html><title>Niet gevonden</title><h1>404</h1>");
            return;
        }

        http.Response.ContentType = path.EndsWith(".txt", StringComparison.Ordinal) ? "text/plain; charset=utf-8" : "text/html; charset=utf-8";
        await http.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
