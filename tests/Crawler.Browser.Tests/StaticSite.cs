using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Crawler.Browser.Tests;

/// <summary>
/// Serves a folder over http://localhost on a free loopback port, with range requests (a WACZ is read by ranges)
/// and extra pages a test writes. localhost is a secure context, which service workers need.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <param name="root">The folder served at /.</param>
    /// <param name="mounts">Further files at given paths ("/evidence.wacz" to a file anywhere).</param>
    /// <param name="pages">Pages written by the test, by path, served as text/html.</param>
    public static async Task<StaticSite> StartAsync(string root, IReadOnlyDictionary<string, string> mounts, IReadOnlyDictionary<string, string> pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wacz"] = "application/wacz";
        types.Mappings[".mjs"] = "text/javascript";
        foreach (var (path, html) in pages)
        {
            app.MapGet(path, () => Results.Content(html, "text/html; charset=utf-8"));
        }

        foreach (var (path, file) in mounts)
        {
            app.MapGet(path, () => Results.File(file, types.TryGetContentType(file, out var t) ? t : "application/octet-stream", enableRangeProcessing: true));
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            ContentTypeProvider = types,
            ServeUnknownFileTypes = true,
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new StaticSite(app, new Uri($"http://localhost:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
