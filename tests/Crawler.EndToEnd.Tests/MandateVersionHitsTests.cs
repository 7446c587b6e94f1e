using System.Globalization;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// A renewal or amendment is a new version of one mandate: what was found and reviewed under an earlier
/// version stays found and reviewed, and the recrawl interval runs on across versions.
/// </summary>
public sealed class MandateVersionHitsTests
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<FixtureServer> OneAdSiteAsync() =>
        await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.AdPage("Nieuw in de stad", "06-12345678")),
        });

    [Test]
    public async Task An_unchanged_page_after_a_renewal_is_the_existing_reviewed_hit_not_a_new_one()
    {
        await using var site = await OneAdSiteAsync();
        using var lab = await Lab.CreateAsync();
        var (target, first) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        var crawl1 = await lab.Ok("crawl", "run", "--target", Id(target), "--as", "sanne", "--json");
        Assert.That(crawl1.Json.GetProperty("hits").GetInt32(), Is.EqualTo(1));
        long hitId;
        using (var ctx = lab.OpenContext())
        {
            hitId = ctx.Store.Hits(first).Single().Id;
        }

        await lab.Ok("hits", "review", Id(hitId), "--verdict", "relevant", "--note", "reviewed under version 1", "--as", "sanne");
        var now = lab.Time.GetUtcNow();
        var renewed = (await lab.Ok("mandate", "renew", Id(first), "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(3)), "--as", "sanne", "--json"))
            .Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(renewed), "--as", "olga");

        var crawl2 = await lab.Ok("crawl", "run", "--target", Id(target), "--as", "sanne", "--json");

        Assert.That(crawl2.Json.GetProperty("mandateId").GetInt64(), Is.EqualTo(renewed));
        Assert.That(crawl2.Json.GetProperty("hits").GetInt32(), Is.Zero, "the page did not change: no new hit");
        using (var ctx = lab.OpenContext())
        {
            var hits = ctx.Store.Hits(null);
            Assert.That(hits.Select(h => h.Id), Is.EqualTo(new[] { hitId }));
            Assert.That(hits[0].ReviewStatus, Is.EqualTo("relevant"), "its review stands");
            var unchanged = ctx.Store.Entries().Where(e => e.Record.Rule == "hit.unchanged").ToList();
            Assert.That(unchanged, Has.Count.EqualTo(1));
            Assert.That(unchanged[0].Record.MandateId, Is.EqualTo(renewed));
            Assert.That(unchanged[0].Record.Reason, Does.Contain($"identical to hit {hitId}").And.Contain($"mandate {first}"));
        }
    }

    [Test]
    public async Task The_recrawl_interval_counts_runs_under_the_earlier_version()
    {
        await using var site = await OneAdSiteAsync();
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        var target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        var first = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(2), extra: "recrawlIntervalHours: 24"),
            "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(first), "--as", "pieter");
        await lab.Ok("crawl", "run", "--target", Id(target), "--as", "sanne");
        var renewed = (await lab.Ok("mandate", "renew", Id(first), "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(3), extra: "recrawlIntervalHours: 24"),
            "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(renewed), "--as", "olga");
        var requestsBefore = site.Requests.Count;

        var again = await lab.Run("crawl", "run", "--target", Id(target), "--as", "sanne");

        Assert.That(again.Code, Is.EqualTo(2), again.Out);
        Assert.That(again.Err, Does.Contain("refused (mandate.recrawl-interval)").And.Contain("every 24 h"));
        Assert.That(site.Requests, Has.Count.EqualTo(requestsBefore), "nothing was fetched");
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Runs(target), Has.Count.EqualTo(1));
    }
}
