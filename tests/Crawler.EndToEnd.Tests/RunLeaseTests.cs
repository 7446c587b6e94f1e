using System.Diagnostics;
using System.Globalization;
using Crawler.Core.Storage;
using Crawler.Service.Crawling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>One run per target at a time, across processes: a lease in the database, renewed by a heartbeat, taken over only from a dead owner.</summary>
public sealed class RunLeaseTests
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The program as built in its own project (the test's output folder resolves some assemblies differently).</summary>
    private static string CrawlerDll()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var crawler = Path.Combine(Lab.RepoRoot, "src", "Crawler.Cli", "bin", testDir.Parent!.Name, testDir.Name, "crawler.dll");
        Assert.That(File.Exists(crawler), Is.True, crawler);
        return crawler;
    }

    private sealed record Finished(int Code, string Out, string Err);

    [Test]
    public async Task Two_crawler_processes_starting_one_target_at_once_crawl_it_once()
    {
        // robots.txt, the first request of a run, is held until one of the processes has exited, so the two runs
        // would overlap if both ran; it is let go at once when both ask for it, which is the fault this test is about.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var robotsAsked = 0;
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/robots.txt"] = async ctx =>
            {
                if (Interlocked.Increment(ref robotsAsked) >= 2)
                {
                    release.TrySetResult();
                }

                await release.Task.WaitAsync(TimeSpan.FromSeconds(90));
                await FixtureServer.Text("User-agent: *\nAllow: /\n")(ctx);
            },
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/a", "/b")),
            ["/a"] = FixtureServer.Html(FixtureServer.AdPage("Eerste", "06-12345678")),
            ["/b"] = FixtureServer.Html(FixtureServer.AdPage("Tweede", "06-87654321")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        var crawler = CrawlerDll();
        var token = await lab.TokenAsync("sanne");

        async Task<Finished> RunProcessAsync()
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { crawler, "crawl", "run", "--target", Id(target), "--as", "sanne", "--json", "--data", lab.Dir, "--policies", lab.Policies },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["CRAWLER_TOKEN"] = token;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            release.TrySetResult();
            return new Finished(process.ExitCode, await stdout, await stderr);
        }

        var results = await Task.WhenAll(RunProcessAsync(), RunProcessAsync());

        Assert.That(results.Select(r => r.Code).Order(), Is.EqualTo(new[] { 0, 2 }),
            string.Join("\n---\n", results.Select(r => $"exit {r.Code}\n{r.Out}\n{r.Err}")));
        var refused = results.Single(r => r.Code == 2);
        Assert.That(refused.Err, Does.Contain("refused (crawl.already-running)").And.Contain("another process").And.Contain("since"));
        var crawled = results.Single(r => r.Code == 0);
        Assert.That(crawled.Out, Does.Contain("\"state\":\"completed\""));
        Assert.That(site.Paths.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "the site saw a page twice");
        Assert.That(site.Paths, Is.EquivalentTo(new[] { "/robots.txt", "/", "/a", "/b" }));
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Runs(target), Has.Count.EqualTo(1));
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Rule == CrawlService.AlreadyRunningRule && e.Record.Operation == "refuse"), Is.EqualTo(1));
        Assert.That(ctx.Store.FindRunLease(target), Is.Null, "the lease is given up at the end of the run");
        Assert.That((await lab.Run("audit", "verify", "--as", "aaron")).Code, Is.Zero);
    }

    [Test]
    public async Task An_expired_lease_is_taken_over_and_a_live_one_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        using var lab = await Lab.CreateAsync(time: time);
        var target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne", "--json"))
            .Json.GetProperty("id").GetInt64();
        using var ctx = lab.OpenContext();
        var leases = new RunLeases(ctx.Get<Core.Storage.ICrawlStateStore>(), ctx.Policy, ctx.Time);
        var period = ctx.Policy.Runs.Lease;
        var beat = ctx.Policy.Runs.Heartbeat;

        // Another host's run, whose last heartbeat was just now.
        var t0 = time.GetUtcNow();
        var elsewhere = new RunLease(target, "elsewhere/4242/a", "elsewhere.example", 4242, t0, t0);
        Assert.That(ctx.Store.TryTakeRunLease(elsewhere, _ => false).Taken, Is.Not.Null);

        time.Advance(period - TimeSpan.FromSeconds(1));
        var early = (await leases.TryTakeAsync(target));
        Assert.That(early.Handle, Is.Null, "a lease within its period is live");
        Assert.That(early.Holder!.OwnerId, Is.EqualTo(elsewhere.OwnerId));

        time.Advance(TimeSpan.FromSeconds(1));
        var late = (await leases.TryTakeAsync(target));
        Assert.That(late.Handle, Is.Not.Null, "no heartbeat for the whole period: the owner is dead");
        Assert.That(late.Replaced!.OwnerId, Is.EqualTo(elsewhere.OwnerId));
        await using var mine = late.Handle!;

        // Our heartbeat keeps our lease live however long the run takes.
        for (var i = 0; i < 3 * (int)(period / beat); i++)
        {
            time.Advance(beat);
        }

        Assert.That((await leases.TryTakeAsync(target)).Handle, Is.Null, "a live lease is not taken over");
        Assert.That(ctx.Store.FindRunLease(target)!.HeartbeatAt, Is.EqualTo(time.GetUtcNow()));
        Assert.That(ctx.Store.FindRunLease(target)!.AcquiredAt, Is.EqualTo(t0 + period));

        // Had this process stalled past the period and been taken over, its next heartbeat says so.
        string? lost = null;
        mine.OnLost(reason => lost = reason);
        var now = time.GetUtcNow();
        ctx.Store.TryTakeRunLease(elsewhere with { OwnerId = "elsewhere/4242/b", AcquiredAt = now, HeartbeatAt = now }, _ => true);
        time.Advance(beat);

        // The heartbeat's renewal goes through the store's own thread: its answer comes back a moment later.
        for (var waited = 0; Volatile.Read(ref lost) is null && waited < 5_000; waited += 10)
        {
            await Task.Delay(10);
        }

        Assert.That(lost, Does.Contain("taken over").And.Contain("elsewhere.example"));

        await mine.DisposeAsync();
        Assert.That(ctx.Store.FindRunLease(target)!.OwnerId, Is.EqualTo("elsewhere/4242/b"), "giving up touches only one's own lease");
    }

    [Test]
    public async Task A_lease_of_a_process_gone_from_this_host_is_taken_over_at_once()
    {
        using var lab = await Lab.CreateAsync();
        var target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne", "--json"))
            .Json.GetProperty("id").GetInt64();
        using var ctx = lab.OpenContext();
        var now = ctx.Now;
        var gone = new RunLease(target, "here/gone", Environment.MachineName, int.MaxValue - 7, now, now);
        ctx.Store.TryTakeRunLease(gone, _ => false);

        var taking = await new RunLeases(ctx.Get<Core.Storage.ICrawlStateStore>(), ctx.Policy, ctx.Time).TryTakeAsync(target);

        Assert.That(taking.Handle, Is.Not.Null);
        Assert.That(taking.Replaced!.OwnerId, Is.EqualTo("here/gone"));
        await taking.Handle!.DisposeAsync();
        Assert.That(ctx.Store.FindRunLease(target), Is.Null);
    }

    [Test]
    public async Task A_crawl_run_while_another_process_holds_the_target_is_refused_and_logged()
    {
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.AdPage("Nieuw", "06-12345678")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, mandate) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        var since = lab.Time.GetUtcNow().AddSeconds(-5);
        using (var ctx = lab.OpenContext())
        {
            ctx.Store.TryTakeRunLease(new RunLease(target, "elsewhere/77/x", "elsewhere.example", 77, since, since), _ => false);
        }

        var result = await lab.Run("crawl", "run", "--target", Id(target), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("refused (crawl.already-running)")
            .And.Contain($"since {since:O}").And.Contain("another process (process 77 on elsewhere.example"));
        Assert.That(site.Requests, Is.Empty);
        using (var ctx = lab.OpenContext())
        {
            var refusal = ctx.Store.Entries()[^1];
            Assert.That((refusal.Record.Operation, refusal.Record.Rule, refusal.Record.MandateId), Is.EqualTo(("refuse", "crawl.already-running", (long?)mandate)));
            Assert.That(ctx.Store.Runs(target), Is.Empty);

            // The other process dies: its heartbeat ages past the period, and the next start takes over, saying so.
            var old = lab.Time.GetUtcNow() - ctx.Policy.Runs.Lease - TimeSpan.FromSeconds(1);
            ctx.Store.TryTakeRunLease(new RunLease(target, "elsewhere/77/y", "elsewhere.example", 77, old, old), _ => true);
        }

        var resumed = await lab.Ok("crawl", "run", "--target", Id(target), "--as", "sanne", "--json");
        Assert.That(resumed.Json.GetProperty("state").GetString(), Is.EqualTo("completed"));
        using (var ctx = lab.OpenContext())
        {
            var start = ctx.Store.Entries().Single(e => e.Record.Operation == "crawl-start");
            Assert.That(start.Record.Reason, Does.Contain("took over the run lease of process 77 on elsewhere.example").And.Contain("no heartbeat for"));
        }
    }
}
