using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>A crawler process killed in the middle of its work leaves a trail that verifies up to its last complete entry.</summary>
public sealed class CrashSafetyTests
{
    [Test]
    public async Task A_crawl_killed_mid_run_leaves_a_trail_that_still_verifies()
    {
        // Killed once the process is well into its work: after it has been served a few ad pages.
        var firstPageServed = new TaskCompletionSource();
        var adsServed = 0;
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path.StartsWith("/ads/", StringComparison.Ordinal) && Interlocked.Increment(ref adsServed) == 3)
            {
                firstPageServed.TrySetResult();
            }
        });
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, minDelayMs: 150), "--as", "sanne");
        var now = lab.Time.GetUtcNow();
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(2)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        long before;
        using (var ctx = lab.OpenContext())
        {
            before = ctx.Store.Count();
        }

        // A separate crawler process, killed without warning while it fetches and appends.
        using var process = await lab.StartCrawlerProcessAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var started = await Task.WhenAny(firstPageServed.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.That(started, Is.SameAs(firstPageServed.Task), "the crawler process did not start crawling: " + (process.HasExited ? await stderr : "(still running)"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        var verify = await lab.Run("audit", "verify", "--as", "aaron");
        Assert.That(verify.Code, Is.EqualTo(0), verify.Out + verify.Err);
        using (var ctx = lab.OpenContext())
        {
            Assert.That(ctx.Store.Count(), Is.GreaterThan(before), "the killed process had appended entries");
        }

        // And the interrupted run can be resumed afterwards.
        var resumed = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");
        Assert.That(resumed.Json.GetProperty("resumed").GetBoolean(), Is.True);
        Assert.That((await lab.Run("audit", "verify", "--as", "aaron")).Code, Is.EqualTo(0));
    }
}
