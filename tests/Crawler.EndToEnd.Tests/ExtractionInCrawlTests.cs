using NUnit.Framework;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Crawler.EndToEnd.Tests;

/// <summary>What the crawl hands extraction: the target's profile and the moment of fetching.</summary>
public sealed class ExtractionInCrawlTests
{
    [Test]
    public async Task A_relative_posting_date_is_read_against_the_fetch_time_and_stored_with_the_hit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n"),
            ["/"] = FixtureServer.Html(
                "<!doctype html><html><head><title>Sanne</title></head><body><main><article class=\"ad\"><h1>Sanne</h1>" +
                "<p>Geplaatst: 2 dagen geleden</p><p>Bel of app 06-12345678 voor een afspraak. Incall in Utrecht.</p></article></main></body></html>"),
        });
        using var lab = await Lab.CreateAsync(time: clock);

        await lab.CrawlUnderMandateAsync(site.BaseUrl, clock.GetUtcNow().AddDays(1));

        var hit = JsonDocument.Parse((await lab.Ok("hits", "list", "--json", "--as", "sanne")).Out.Split('\n')[0]).RootElement;
        Assert.That(hit.GetProperty("postedAt").GetDateTimeOffset().Date, Is.EqualTo(new DateTime(2026, 12, 8)));
        Assert.That(hit.GetProperty("venues").EnumerateArray().Select(v => v.GetString()), Does.Contain("incall"));
    }
}
