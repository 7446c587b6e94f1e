using System.Collections.Concurrent;
using Crawler.Core.Storage;
using Crawler.Service.Crawling;
using Crawler.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// The real Quartz scheduler on a 1-second cron: ticks that may not start a run (the mandate's recrawl interval,
/// another process crawling the target) are counted, not written to the trail and the log one by one.
/// </summary>
public sealed class ScheduleRefusalTests
{
    /// <summary>Keeps the log lines of one category at warning and above.</summary>
    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Lines.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    private static Task<Lab> EverySecondLabAsync() =>
        // A cron firing every second is beyond policy for a real mandate; this lowers the Koops frequency threshold.
        Lab.CreateAsync(editKoops: k => k.Replace("beyondBelow: 1", "beyondBelow: 0", StringComparison.Ordinal));

    private static async Task<(IHost Host, WarningLog Log)> StartServiceAsync(Lab lab)
    {
        var log = new WarningLog();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Services.AddCrawler(lab.Dir, lab.Policies).AddCrawlScheduling(TimeSpan.FromMilliseconds(500));
        var host = builder.Build();
        await host.StartAsync();
        return (host, log);
    }

    private static async Task<FixtureServer> OneAdSiteAsync() =>
        await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.AdPage("Nieuw", "06-12345678")),
        });

    [Test]
    public async Task A_one_second_cron_under_a_one_hour_interval_runs_once_and_writes_no_refusal_per_tick()
    {
        await using var site = await OneAdSiteAsync();
        using var lab = await EverySecondLabAsync();
        var now = lab.Time.GetUtcNow();
        var target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, schedule: "0/1 * * * * ?"), "--as", "sanne", "--json"))
            .Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(2), extra: "recrawlIntervalHours: 1"), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        var (host, log) = await StartServiceAsync(lab);
        CrawlRun? over = null;
        using (host)
        {
            var runs = host.Services.GetRequiredService<ICrawlStateStore>();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (over is null && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
                over = (await runs.RunsAsync(target)).FirstOrDefault(r => r.IsOver);
            }

            // Several more ticks fire while the interval holds.
            await Task.Delay(TimeSpan.FromSeconds(4));
            await host.StopAsync();
        }

        Assert.That(over, Is.Not.Null, "the scheduler did not run the crawl within 60 s");
        using var ctx = lab.OpenContext();
        var entries = ctx.Store.Entries().ToList();
        Assert.That(ctx.Store.Runs(target), Has.Count.EqualTo(1));
        Assert.That(entries.Count(e => e.Record.Operation == "crawl-start"), Is.EqualTo(1));
        Assert.That(entries.Where(e => e.Record.Rule == "mandate.recrawl-interval"), Is.Empty, "no refusal entry per tick");
        Assert.That(log.Lines, Is.Empty, "no warning per tick");
        Assert.That(site.Paths.Count(p => p == "/"), Is.EqualTo(1));
    }

    [Test]
    public async Task Ticks_while_another_process_crawls_the_target_are_refused_once_then_counted()
    {
        await using var site = await OneAdSiteAsync();
        using var lab = await EverySecondLabAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl, schedule: "0/1 * * * * ?");
        using (var ctx = lab.OpenContext())
        {
            var now = ctx.Now;
            ctx.Store.TryTakeRunLease(new RunLease(target, "elsewhere/77/x", "elsewhere.example", 77, now, now), _ => false);
        }

        var (host, log) = await StartServiceAsync(lab);
        using (host)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await host.StopAsync();
        }

        using var check = lab.OpenContext();
        var refusals = check.Store.Entries().Where(e => e.Record.Rule == CrawlService.AlreadyRunningRule).ToList();
        Assert.That(refusals, Has.Count.EqualTo(1), "refused and logged once, then counted");
        Assert.That(log.Lines.Count(l => l.Contains("crawl.already-running", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(check.Store.Runs(target), Is.Empty);
        Assert.That(site.Requests, Is.Empty);
    }

    [Test]
    public async Task The_run_that_ends_a_streak_of_skipped_ticks_says_how_many_were_skipped_since_when()
    {
        await using var site = await OneAdSiteAsync();
        using var lab = await EverySecondLabAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl, schedule: "0/1 * * * * ?");
        using var ctx = lab.OpenContext();
        var since = ctx.Now;
        ctx.Store.TryTakeRunLease(new RunLease(target, "elsewhere/77/x", "elsewhere.example", 77, since, since), _ => false);

        var (host, _) = await StartServiceAsync(lab);
        CrawlRun? over = null;
        using (host)
        {
            await Task.Delay(TimeSpan.FromSeconds(3.5));

            // The other process finishes and gives the target up: the next tick runs it.
            ctx.Store.ReleaseRunLease(target, "elsewhere/77/x");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (over is null && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
                over = ctx.Store.Runs(target).FirstOrDefault(r => r.IsOver);
            }

            await host.StopAsync();
        }

        Assert.That(over, Is.Not.Null, "the scheduler did not run the crawl within 60 s of the lease's release");
        var start = ctx.Store.Entries().First(e => e.Record.Operation == "crawl-start");
        Assert.That(start.Record.Reason, Does.Match(@"[2-9] schedule ticks skipped since \S+ \(crawl\.already-running: "));
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Rule == CrawlService.AlreadyRunningRule), Is.EqualTo(1));
    }
}
