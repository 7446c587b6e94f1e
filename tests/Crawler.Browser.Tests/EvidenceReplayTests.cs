using System.Globalization;
using System.Text.Json;
using Crawler.EndToEnd.Tests;
using Microsoft.Playwright;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Issue 20, replay as the recipient would: ReplayWeb.page (the npm registry's static files, installed by .ci/run)
/// opens an exported WACZ in headless chromium, and the archived ad page renders with its text.
/// </summary>
public sealed class EvidenceReplayTests : BrowserFixture
{
    private const string AdPath = "/ads/101.html";
    private const string AdHeading = "Lisa, nieuw in de stad Utrecht";

    [Test]
    public async Task ReplayWeb_page_renders_an_archived_ad_page_from_an_exported_wacz()
    {
        var replay = Path.Combine(Interop.Folder, "replaywebpage");
        if (!File.Exists(Path.Combine(replay, "sw.js")) || !File.Exists(Path.Combine(replay, "ui.js")))
        {
            Assert.Fail($"ReplayWeb.page is not installed in {replay}: run .ci/run, or npm pack replaywebpage@2.5.3 and unpack it there.");
        }

        var site = await Crawler.DemoSite.DemoSite.StartAsync();
        await using var _ = site;
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: "snapshots: true");
        var hits = (await lab.Ok("hits", "list", "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ad = new Uri(hits.Single(h => h.GetProperty("url").GetString()!.EndsWith(AdPath, StringComparison.Ordinal)).GetProperty("url").GetString()!);
        var wacz = Path.Combine(lab.Dir, "evidence.wacz");
        await lab.Ok(["evidence", "export", "--hits", .. hits.Select(h => h.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)),
            "--out", wacz, "--recipient", "Rechtbank Rotterdam", "--as", "pieter"]);
        // The page the recipient opens: ReplayWeb.page's embed, pointed at the package and the ad.
        var page = $"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Evidence replay</title><script src="/ui.js"></script></head>
            <body><replay-web-page source="/evidence.wacz" url="{ad.AbsoluteUri}" embed="replayonly" style="height: 800px; display: block"></replay-web-page></body></html>
            """;
        await using var server = await StaticSite.StartAsync(replay,
            new Dictionary<string, string> { ["/evidence.wacz"] = wacz, ["/replay/sw.js"] = Path.Combine(replay, "sw.js") },
            new Dictionary<string, string> { ["/"] = page });

        await Page.GotoAsync(server.BaseUrl.AbsoluteUri);
        var text = await ArchivedTextAsync(ad, TimeSpan.FromSeconds(90));

        Assert.That(text, Does.Contain(AdHeading), "the archived ad page rendered inside ReplayWeb.page");
        Assert.That(text, Does.Contain("Het tarief is € 150 per uur"));
        var shot = Path.Combine(ScreenshotFolder, "evidence-replay.png");
        await ScreenshotAsync(shot);
        TestContext.Out.WriteLine($"replay: the archived ad {ad.AbsolutePath} rendered in ReplayWeb.page 2.5.3 (chromium); screenshot {shot}");
    }

    /// <summary>The body text of the frame in which ReplayWeb.page replays <paramref name="ad"/>, once it holds the ad's heading.</summary>
    private async Task<string> ArchivedTextAsync(Uri ad, TimeSpan within)
    {
        var started = TimeProvider.System.GetTimestamp();
        var last = "";
        while (TimeProvider.System.GetElapsedTime(started) < within)
        {
            foreach (var frame in Page.Frames.Where(f => f.Url.Contains(ad.AbsolutePath, StringComparison.Ordinal)))
            {
                try
                {
                    last = await frame.InnerTextAsync("body", new FrameInnerTextOptions { Timeout = 2000 });
                    if (last.Contains(AdHeading, StringComparison.Ordinal))
                    {
                        return last;
                    }
                }
                catch (PlaywrightException)
                {
                    // The frame is still loading or was replaced.
                }
            }

            await Task.Delay(500);
        }

        return $"(no replay frame showed the ad within {within.TotalSeconds:0} s; frames: {string.Join(", ", Page.Frames.Select(f => f.Url))}; last text: {last})";
    }
}
