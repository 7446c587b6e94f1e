using NUnit.Framework;
using System.Globalization;
using System.Text.Json;

namespace Crawler.EndToEnd.Tests;

public sealed class ResumeAndOutputTests
{
    [Test]
    public async Task An_interrupted_crawl_resumes_from_its_saved_frontier_without_refetching()
    {
        using var stop = new CancellationTokenSource();
        using var stopped = new ManualResetEventSlim();
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == "/ads/103.html" && !stop.IsCancellationRequested)
            {
                // The answer is held until the stopped run has ended, so this page is cut off for certain.
                stop.Cancel();
                stopped.Wait(TimeSpan.FromSeconds(30));
            }
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        var id = target.ToString(CultureInfo.InvariantCulture);

        var first = await lab.Run(stop.Token, "crawl", "run", "--target", id, "--as", "sanne", "--json");
        stopped.Set();
        Assert.That(first.Code, Is.EqualTo(0), first.Err);
        Assert.That(first.Json.GetProperty("state").GetString(), Is.EqualTo("interrupted"));
        var seenBefore = site.Requests.Count;

        var second = await lab.Ok("crawl", "run", "--target", id, "--as", "sanne", "--json");

        Assert.That(second.Json.GetProperty("resumed").GetBoolean(), Is.True);
        Assert.That(second.Json.GetProperty("state").GetString(), Is.EqualTo("completed"));
        var after = site.Requests.Skip(seenBefore).ToList();
        Assert.That(after, Does.Not.Contain("/ads/101.html").And.Not.Contain("/ads/102.html"), "pages whose answer was in before the stop are finished, not fetched again");
        Assert.That(first.Json.GetProperty("hits").GetInt32(), Is.EqualTo(2), "the two ads answered before the stop are stored by the stopped run");
        Assert.That(after, Does.Contain("/ads/103.html"), "the page cut off by the stop is fetched again");
        var hits = await lab.Ok("hits", "list", "--json", "--as", "sanne");
        var urls = hits.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("url").GetString()).ToList();
        Assert.That(urls, Is.Unique);
        Assert.That(urls, Has.Count.EqualTo(9));
    }

    [Test]
    public async Task A_resumed_run_keeps_the_page_budget_it_had_used_before_the_stop()
    {
        using var stop = new CancellationTokenSource();
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == "/ads/103.html")
            {
                stop.Cancel();
            }
        });
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, maxPagesPerRun: 12), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        var first = await lab.Run(stop.Token, "crawl", "run", "--target", "1", "--as", "sanne", "--json");
        Assert.That(first.Json.GetProperty("state").GetString(), Is.EqualTo("interrupted"), first.Err);
        var second = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        // Every page request of the run, before the stop and after it, counts against the one budget of twelve.
        Assert.That(second.Json.GetProperty("resumed").GetBoolean(), Is.True);
        Assert.That(second.Json.GetProperty("fetched").GetInt32(), Is.LessThanOrEqualTo(12));
        Assert.That(site.Requests.Count(r => r != "/robots.txt"), Is.LessThanOrEqualTo(12 + 1), "at most the page cut off by the stop is asked twice");
        Assert.That(second.Json.GetProperty("endReason").GetString(), Does.Contain("12"));
    }

    [Test]
    public async Task Hits_in_json_carry_the_documented_fields_and_pseudonymised_phones_are_masked()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1), treatment: "pseudonymise"), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        var crawl = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");
        Assert.That(crawl.Json.GetProperty("hits").GetInt32(), Is.EqualTo(9));

        var list = await lab.Ok("hits", "list", "--mandate", "1", "--json", "--as", "pieter");
        var first = JsonDocument.Parse(list.Out.Split('\n')[0]).RootElement;

        foreach (var field in new[] { "id", "mandateId", "targetId", "url", "fetchedAt", "contentSha256", "phones", "emails", "score", "indicators" })
        {
            Assert.That(first.TryGetProperty(field, out _), Is.True, field);
        }

        Assert.That(first.GetProperty("phones")[0].GetString(), Does.Match(@"^\+31 6 •••• \d{4}$"));
        Assert.That(list.Out, Does.Not.Contain("+316123456"), "a pseudonymised number never appears in clear");
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Operation == "consult" && e.Record.Actor == "pieter"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_recrawl_of_unchanged_ads_stores_nothing_new()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        var id = target.ToString(CultureInfo.InvariantCulture);
        await lab.Ok("crawl", "run", "--target", id, "--as", "sanne");

        var again = await lab.Ok("crawl", "run", "--target", id, "--as", "sanne", "--json");

        Assert.That(again.Json.GetProperty("resumed").GetBoolean(), Is.False);
        Assert.That(again.Json.GetProperty("hits").GetInt32(), Is.Zero);
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Hits(null), Has.Count.EqualTo(9));
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Rule == "hit.unchanged"), Is.EqualTo(9));
    }
}
