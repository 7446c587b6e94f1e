using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>What the mandate says binds every run: keywords, how often, and how many contacts.</summary>
public sealed class RunTimeBindingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] HotelAds = ["/ads/102.html", "/ads/108.html"];

    private static async Task<Lab> ApprovedAsync(DemoSite.DemoSite site, TimeProvider? time = null, string extra = "", string limitsExtra = "")
    {
        var lab = await Lab.CreateAsync(time: time);
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), extra: extra, limitsExtra: limitsExtra), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        return lab;
    }

    [Test]
    public async Task Only_ads_that_mention_a_mandate_keyword_are_stored()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await ApprovedAsync(site, extra: "keywords: [hotelbezoek, \"hotel visits\"]");

        var crawl = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        Assert.That(crawl.Json.GetProperty("hits").GetInt32(), Is.EqualTo(2));
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Hits(null).Select(h => new Uri(h.Url).AbsolutePath), Is.EquivalentTo(HotelAds));
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Rule == "mandate.keywords"), Is.EqualTo(7));
    }

    [Test]
    public async Task A_new_run_sooner_than_the_recrawl_interval_is_refused()
    {
        var clock = new FakeTimeProvider(Start);
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await ApprovedAsync(site, clock, extra: "recrawlIntervalHours: 24");
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");
        var served = site.Requests.Count;

        clock.Advance(TimeSpan.FromHours(23));
        var early = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne");
        clock.Advance(TimeSpan.FromHours(2));
        var later = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne");

        Assert.That(early.Code, Is.EqualTo(2));
        Assert.That(early.Err, Does.Contain("mandate.recrawl-interval").And.Contain("every 24 h"));
        Assert.That(later.Code, Is.EqualTo(0), later.Err);
        Assert.That(site.Requests.Count, Is.GreaterThan(served));
    }

    [Test]
    public async Task The_distinct_contact_cap_stops_the_crawl()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await ApprovedAsync(site, limitsExtra: "  maxContacts: 4");

        var crawl = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        Assert.That(crawl.Json.GetProperty("state").GetString(), Is.EqualTo("stopped"));
        Assert.That(crawl.Json.GetProperty("endReason").GetString(), Does.Contain("distinct contact identifiers"));
        using var ctx = lab.OpenContext();
        var contacts = ctx.Store.Hits(null).SelectMany(h => h.Phones.Concat(h.Emails)).Select(c => c.Value).Distinct().Count();
        Assert.That(contacts, Is.LessThanOrEqualTo(4));
    }

    [Test]
    public async Task A_stated_age_under_18_is_escalated_outside_the_score()
    {
        await using var site = await FixtureServer.StartAsync(new()
        {
            ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n"),
            ["/"] = FixtureServer.Html("<html><body><main><article class=\"ad\"><h1>Nieuw</h1><p>Leeftijd: 17. Afspraak via 06-12345678</p></article></main></body></html>"),
        });
        using var lab = await Lab.CreateAsync();
        await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        var hits = await lab.Ok("hits", "list", "--json", "--as", "sanne");
        Assert.That(hits.Json.GetProperty("escalated").GetBoolean(), Is.True);
        Assert.That(hits.Out, Does.Contain("minor-age").And.Contain("Leeftijd: 17"), "the evidence is the text that states the age");
    }
}
