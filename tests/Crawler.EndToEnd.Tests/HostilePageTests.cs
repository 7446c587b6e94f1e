using System.Globalization;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>Pages that cost too much to read: each is refused or cut by its budget rule, and the crawl goes on to the next page.</summary>
public sealed class HostilePageTests
{
    [Test]
    public async Task Too_deep_too_large_too_much_text_and_too_many_links_are_each_logged_by_rule_and_the_ad_behind_them_is_stored()
    {
        var deep = "<!doctype html><html><body>" + string.Concat(Enumerable.Repeat("<div>", 190_000)) + "Bel 06-11122233" + "</body></html>";
        var wide = "<!doctype html><html><body><main>" + string.Concat(Enumerable.Repeat("<p>x</p>", 60_000)) + "</main></body></html>";
        var text = "<!doctype html><html><body><main><p>" + string.Concat(Enumerable.Repeat("Bel 06-99988877 nu. ", 30_000)) + "</p></main></body></html>";
        var links = FixtureServer.AdPage("Veel links", "06-44455566", [.. Enumerable.Range(1, 2_500).Select(i => "/l/" + i.ToString(CultureInfo.InvariantCulture))]);
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/deep", "/wide", "/text", "/links", "/ok")),
            ["/text"] = FixtureServer.Html(text),
            ["/deep"] = FixtureServer.Html(deep),
            ["/wide"] = FixtureServer.Html(wide),
            ["/links"] = FixtureServer.Html(links),
            ["/ok"] = FixtureServer.Html(FixtureServer.AdPage("Gewoon", "06-12345678")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        // Guarded only against a hang: a page that stalled the crawl would hold it far longer than this.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await lab.Run(guard.Token, "crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(guard.IsCancellationRequested, Is.False, "the crawl did not stall");
        var failures = result.Json.GetProperty("failures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.That(failures, Does.ContainKey("page.too-many-elements").WithValue(2), "the 190,000 nested elements are also too many");
        Assert.That(failures, Does.ContainKey("page.too-much-text").WithValue(1), "600,000 characters of text");
        using var ctx = lab.OpenContext();
        var entries = ctx.Store.Entries().ToList();
        Assert.That(entries.Where(e => e.Record.Rule == "page.too-many-elements").Select(e => e.Record.Reason), Has.All.Contain("it was not parsed"));
        var capped = entries.Single(e => e.Record.Rule == "page.links-capped");
        Assert.That(capped.Record.Reason, Does.Contain("2500 links").And.Contain("the first 2000 are followed, 500 are not"));
        var stored = ctx.Store.Hits(null).Select(h => new Uri(h.Url).AbsolutePath).ToList();
        Assert.That(stored, Does.Contain("/ok"));
        Assert.That(stored, Does.Not.Contain("/deep").And.Not.Contain("/text"));
        Assert.That(site.Requests.Select(r => r.Path), Has.None.EqualTo("/l/2001"), "links past the cap are not followed");
    }

    [Test]
    public async Task A_page_nested_deeper_than_the_budget_is_not_parsed_and_the_run_is_partial()
    {
        var deep = "<!doctype html><html><body>" + string.Concat(Enumerable.Repeat("<div>", 5_000)) + "Bel 06-11122233" + "</body></html>";
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/deep", "/ok")),
            ["/deep"] = FixtureServer.Html(deep),
            ["/ok"] = FixtureServer.Html(FixtureServer.AdPage("Gewoon", "06-12345678")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.EqualTo(3), result.Out + result.Err);
        Assert.That(result.Json.GetProperty("state").GetString(), Is.EqualTo("partial"));
        var failures = result.Json.GetProperty("failures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.That(failures, Is.EqualTo(new Dictionary<string, int> { ["page.too-deep"] = 1 }));
        Assert.That(result.Json.GetProperty("hits").GetInt32(), Is.EqualTo(1));
    }
}
