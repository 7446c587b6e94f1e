using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Crawler.Service.Access;
using Crawler.Service.Crawling;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// <c>/metrics</c> (Prometheus text through OpenTelemetry): a real crawl of a loopback site, run by the console's own
/// services, moves the fetched counter by the pages fetched and the refused counter, labelled by rule only, by the
/// pages robots.txt refused; and no label names a URL, host or case.
/// </summary>
public sealed partial class ConsoleMetricsTests
{
    private ConsoleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ConsoleServer.SharedAsync();

    [Test]
    public async Task After_a_crawl_metrics_show_the_pages_fetched_and_refused_by_rule()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseUrl };
        var before = Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        var summary = await CrawlAsSanneAsync(_server.MetricsTarget);
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var after = Parse(text);

        double Moved(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
        Assert.That(summary.Fetched, Is.GreaterThanOrEqualTo(2), "robots.txt aside, the start page and the ad were fetched");
        Assert.That(Moved("crawler_pages_fetched_total"), Is.EqualTo(summary.Fetched), text);
        Assert.That(summary.Refused, Is.EqualTo(2), "the two pages robots.txt disallows");
        var refusedByRule = after.Keys.Where(k => k.StartsWith("crawler_pages_refused_total{rule=", StringComparison.Ordinal))
            .Select(k => (Series: k, Moved: Moved(k))).Where(x => x.Moved != 0).ToList();
        Assert.That(refusedByRule, Has.Count.EqualTo(1), text);
        Assert.That(refusedByRule[0].Series, Is.EqualTo("crawler_pages_refused_total{rule=\"robots\"}"), "labelled with the rule id only");
        Assert.That(refusedByRule[0].Moved, Is.EqualTo(2), text);
        Assert.That(Moved("crawler_hits_stored_total"), Is.EqualTo(summary.Hits));
        Assert.That(Moved("crawler_audit_appends_total"), Is.GreaterThan(summary.Fetched), "every page and refusal is an entry");
        Assert.That(text, Does.Contain("crawler_fetch_duration_seconds_bucket").And.Contain("crawler_runs_active"));
        Assert.That(text, Does.Not.Contain(_server.MetricsSite.BaseUrl.Host + ":").And.Not.Contain("TEST-001").And.Not.Contain("/private"),
            "no URL, host or case in a label");
    }

    [Test]
    public async Task Metrics_are_refused_to_a_client_elsewhere_behind_the_proxy()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task<CrawlSummary> CrawlAsSanneAsync(long target)
    {
        var token = await _server.Lab.TokenAsync("sanne");
        await using var scope = _server.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<AccessControl>().ActAs(await services.GetRequiredService<IdentityService>().AuthenticateTokenAsync(token, "sanne", CancellationToken.None));
        return await services.GetRequiredService<CrawlService>().RunAsync(target, null, null, CancellationToken.None);
    }

    /// <summary>Each series (name and labels, the scope label left out) and its value.</summary>
    private static Dictionary<string, double> Parse(string text) => text.Split('\n')
        .Select(l => Sample().Match(l)).Where(m => m.Success)
        .GroupBy(m => m.Groups["name"].Value + Labels(m.Groups["labels"].Value))
        .ToDictionary(g => g.Key, g => g.Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)), StringComparer.Ordinal);

    private static string Labels(string labels)
    {
        var kept = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("otel_scope", StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? "" : "{" + string.Join(',', kept) + "}";
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}
