using System.Collections.Concurrent;
using System.Diagnostics;
using Crawler.DemoSite;
using Microsoft.AspNetCore.Http;

namespace Crawler.EndToEnd.Tests;

/// <summary>One request the fixture received, with when (from a monotonic clock) it arrived.</summary>
public sealed record ReceivedRequest(string Path, TimeSpan At);

/// <summary>
/// A Kestrel server on a loopback address whose pages are handlers a test writes, recording every
/// request and its time. Unknown paths answer 404.
/// </summary>
public sealed class FixtureServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, Func<HttpContext, Task>> _routes;
    private LoopbackServer? _server;

    private FixtureServer(Dictionary<string, Func<HttpContext, Task>> routes) => _routes = routes;

    public Uri BaseUrl => _server!.BaseUrl;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<string> Paths => _requests.Select(r => r.Path).ToArray();

    /// <summary>Now, on the clock the requests are stamped with.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public static async Task<FixtureServer> StartAsync(Dictionary<string, Func<HttpContext, Task>> routes, string address = "127.0.0.1")
    {
        var server = new FixtureServer(routes);
        server._server = await LoopbackServer.StartAsync(server.HandleAsync, address);
        return server;
    }

    public static Func<HttpContext, Task> Html(string body) => async ctx =>
    {
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Text(string body, int status = 200) => async ctx =>
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Status(int status) => ctx =>
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> Redirect(string location) => ctx =>
    {
        ctx.Response.StatusCode = StatusCodes.Status302Found;
        ctx.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    /// <summary>An ad page with one phone number, so that it becomes a hit when fetched.</summary>
    public static string AdPage(string title, string phone, params string[] links) =>
        $"<!doctype html><html><head><title>{title}</title></head><body><main><article class=\"ad\"><h1>{title}</h1>" +
        $"<p>Bel {phone}</p></article>{string.Concat(links.Select(l => $"<a href=\"{l}\">{l}</a>"))}</main></body></html>";

    public static string LinkPage(params string[] links) =>
        $"<!doctype html><html><body><main>{string.Concat(links.Select(l => $"<a href=\"{l}\">{l}</a> "))}</main></body></html>";

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value + ctx.Request.QueryString;
        _requests.Enqueue(new ReceivedRequest(path, _clock.Elapsed));
        if (_routes.TryGetValue(path, out var handler) || _routes.TryGetValue(ctx.Request.Path.Value ?? "/", out handler))
        {
            await handler(ctx);
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
