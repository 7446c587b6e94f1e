using Crawler.Core.Storage;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Crash safety as a property: a real crawler process killed without warning (SIGKILL) at seeded random moments, then
/// resumed, leaves a folder that opens, a trail that verifies, no hit twice, no acknowledged hit lost, nothing stored
/// fetched again, and no cap exceeded because a process died.
/// </summary>
public sealed class KillPropertyTests
{
    private const int Trials = 20;

    /// <summary>The run's page cap in the trials that test it: well below the demo site's pages.</summary>
    private const int SmallCap = 7;

    [Test]
    public async Task A_crawl_killed_at_random_moments_resumes_with_everything_as_it_was_at_the_kill()
    {
        var random = new Random(20261207);
        var failures = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            // Even trials crawl the whole site; odd ones run into a small page cap.
            var cap = trial % 2 == 0 ? 60 : SmallCap;
            var killAt = random.Next(2, cap == SmallCap ? SmallCap : 14);
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 40));
            var problem = await TrialAsync(cap, killAt, delay);
            if (problem is not null)
            {
                failures.Add($"trial {trial} (cap {cap}, killed at request {killAt} + {delay.TotalMilliseconds} ms): {problem}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    private static async Task<string?> TrialAsync(int cap, int killAt, TimeSpan delay)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pageRequests = 0;
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path != "/robots.txt" && Interlocked.Increment(ref pageRequests) == killAt)
            {
                reached.TrySetResult();
            }
        });
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, minDelayMs: 5, maxPagesPerRun: cap), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(2)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        using (var process = await lab.StartCrawlerProcessAsync())
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var first = await Task.WhenAny(reached.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            if (first != reached.Task)
            {
                return "the crawler did not get that far: " + (process.HasExited ? await stderr : "(still running)");
            }

            await Task.Delay(delay);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var requestsBefore = site.Requests.Count;
        IReadOnlyList<string> storedBefore;
        using (var ctx = lab.OpenContext())
        {
            storedBefore = ctx.Store.Hits(null).Select(h => h.Url).ToList();
        }

        var verify = await lab.Run("audit", "verify", "--as", "aaron");
        if (verify.Code != 0)
        {
            return "the trail does not verify after the kill: " + verify.Out + verify.Err;
        }

        var resumed = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne", "--json");
        if (resumed.Code is not (0 or 3))
        {
            return $"the resumed run ended with exit {resumed.Code}: {resumed.Err}";
        }

        if (!resumed.Json.GetProperty("resumed").GetBoolean())
        {
            return "the second run did not resume the killed one";
        }

        if ((await lab.Run("audit", "verify", "--as", "aaron")).Code != 0)
        {
            return "the trail does not verify after the resumed run";
        }

        var after = site.Requests.Skip(requestsBefore).Select(p => new Uri(site.BaseUrl, p).ToString()).ToList();
        var refetched = storedBefore.Where(after.Contains).ToList();
        if (refetched.Count > 0)
        {
            return "pages already stored were fetched again: " + string.Join(", ", refetched);
        }

        using var done = lab.OpenContext();
        var hits = done.Store.Hits(null).Select(h => h.Url).ToList();
        if (hits.Count != hits.Distinct().Count())
        {
            return "a hit is stored twice: " + string.Join(", ", hits.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key));
        }

        if (storedBefore.Except(hits).ToList() is { Count: > 0 } lost)
        {
            return "hits stored before the kill are gone: " + string.Join(", ", lost);
        }

        var pages = site.Requests.Count(p => p != "/robots.txt");
        if (pages > cap)
        {
            return $"{pages} page requests in one run whose cap is {cap}";
        }

        var usage = await done.Get<IMandateStore>().UsageAsync(1);
        if (usage.PagesFetched < pages)
        {
            return $"the mandate counts {usage.PagesFetched} pages, but {pages} were requested";
        }

        if (cap != SmallCap && hits.Count != 9)
        {
            return $"{hits.Count} hits after the resumed run, not the site's 9 ads";
        }

        return null;
    }

    [Test]
    public async Task A_url_in_flight_at_two_deaths_of_the_process_is_quarantined_and_the_run_goes_on_without_it()
    {
        const string poison = "/ads/104.html";
        using var asked = new SemaphoreSlim(0);
        using var killed = new SemaphoreSlim(0);
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == poison)
            {
                asked.Release();

                // The answer is held back until the process is dead: it dies with this URL in flight.
                killed.Wait(TimeSpan.FromSeconds(30));
            }
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        Assert.That(target, Is.EqualTo(1));

        for (var death = 1; death <= 2; death++)
        {
            using var process = await lab.StartCrawlerProcessAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.That(await asked.WaitAsync(TimeSpan.FromSeconds(60)), Is.True, "the poison URL was not asked for: " + (process.HasExited ? await stderr : ""));

            // Its start mark is committed while the request is out (at once: nothing else is being written).
            await Task.Delay(300);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            killed.Release();
        }

        var requestsBefore = site.Requests.Count;
        var third = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        Assert.That(site.Requests.Skip(requestsBefore), Does.Not.Contain(poison), "not tried a third time");
        Assert.That(third.Json.GetProperty("state").GetString(), Is.EqualTo("partial"), third.Out);
        Assert.That(third.Json.GetProperty("failures").GetProperty("fetch.quarantined").GetInt32(), Is.EqualTo(1));
        using var ctx = lab.OpenContext();
        var entry = ctx.Store.Entries().Single(e => e.Record.Rule == "fetch.quarantined");
        Assert.That(entry.Record.Reason, Does.Contain("died 2 times while this URL was in flight"));
        Assert.That(ctx.Store.Hits(null).Select(h => h.Url).ToList(), Has.Count.EqualTo(8).And.None.EndsWith(poison), "the other ads are stored");
    }
}
