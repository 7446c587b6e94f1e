using NUnit.Framework;
using System.Text.Json;
using Crawler.Core.Storage;
using Crawler.Service.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crawler.EndToEnd.Tests;

/// <summary>The whole path: target, mandate, a real Quartz scheduler firing the crawl, hits stored, trail verified.</summary>
public sealed class ScheduledCrawlTests
{
    [Test]
    public async Task A_scheduled_crawl_fetches_in_scope_pages_stores_the_ads_and_the_trail_verifies()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        // A cron firing every second is beyond policy for a real mandate; this test lowers the Koops
        // frequency threshold so that the scheduler can be seen firing within seconds.
        using var lab = await Lab.CreateAsync(editKoops: k => k.Replace("beyondBelow: 1", "beyondBelow: 0", StringComparison.Ordinal));
        var (targetId, mandateId) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl, schedule: "0/1 * * * * ?");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCrawler(lab.Dir, Lab.PoliciesDir).AddCrawlScheduling(TimeSpan.FromMilliseconds(500));
        using var host = builder.Build();
        await host.StartAsync();
        var runs = host.Services.GetRequiredService<ICrawlStateStore>();
        CrawlRun? completed = null;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (completed is null && waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(200);
            completed = (await runs.RunsAsync(targetId)).FirstOrDefault(r => r.State == RunState.Completed);
        }

        await host.StopAsync();
        Assert.That(completed, Is.Not.Null, "the scheduler did not complete a crawl within 90 s");

        var requests = site.Requests;
        Assert.That(requests, Does.Contain("/robots.txt"));
        Assert.That(requests, Does.Contain("/ads/101.html").And.Contain("/ads/109.html").And.Contain("/listing-2.html"));
        Assert.That(requests, Does.Not.Contain("/private/archive.html"), "robots.txt disallows /private/");

        var expected = JsonDocument.Parse(DemoSite.DemoSite.ReadFile("expected.json")!).RootElement;
        using var context = lab.OpenContext();
        var hits = context.Store.Hits(mandateId).Where(h => h.RunId == completed!.Id).ToList();
        var adPaths = expected.EnumerateObject().Where(p => p.Value.GetProperty("isAd").GetBoolean()).Select(p => p.Name).ToList();
        Assert.That(hits.Select(h => new Uri(h.Url).AbsolutePath), Is.EquivalentTo(adPaths));
        foreach (var hit in hits)
        {
            var page = expected.GetProperty(new Uri(hit.Url).AbsolutePath);
            var mustNot = page.GetProperty("mustNotExtract").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.That(hit.Phones.Select(p => p.Value), Is.EquivalentTo(page.GetProperty("phones").EnumerateArray().Select(e => e.GetString())), hit.Url);
            Assert.That(hit.Phones.Select(p => p.Value).Concat(hit.Emails.Select(e => e.Value)), Has.None.AnyOf(mustNot.ToArray()), hit.Url);
            Assert.That(hit.Case, Is.EqualTo("TEST-001"));
            Assert.That(hit.ContentSha256, Has.Length.EqualTo(64));
        }

        var verify = await lab.Run("audit", "verify", "--as", "aaron");
        Assert.That(verify.Code, Is.EqualTo(0));
        Assert.That(verify.Out, Does.StartWith("audit verify: OK"));
        Assert.That(context.Store.Entries().Any(e => e.Record.Actor.Contains("(schedule)", StringComparison.Ordinal)), Is.True);
    }
}
