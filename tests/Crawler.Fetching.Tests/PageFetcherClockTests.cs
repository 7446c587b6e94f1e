using System.Text;
using Crawler.DemoSite;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Crawler.Fetching.Tests;

/// <summary>
/// The fetcher's timing runs on the network clock it is given: a server that stops sending is cut off when that clock
/// passes the read deadline, and retries wait their backoff on it. Real loopback servers, no real seconds waited.
/// </summary>
public sealed class PageFetcherClockTests
{
    [Test]
    public async Task A_server_that_stops_sending_is_cut_off_when_the_network_clock_passes_the_read_deadline()
    {
        using var release = new SemaphoreSlim(0);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("<html><body>" + new string('x', 4000)));
            await context.Response.Body.FlushAsync();
            // Holds the rest back until the test ends: only the deadline can end the read.
            await release.WaitAsync(TimeSpan.FromMinutes(1), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var clock = new FakeTimeProvider();
        using var fetcher = FetchSetup.Fetcher(clock);

        var result = await FetchSetup.DriveAsync(fetcher.GetAsync(server.BaseUrl, 1_000_000, CancellationToken.None), clock, TimeSpan.FromSeconds(10));
        release.Release();

        Assert.Multiple(() =>
        {
            Assert.That(result.FailureRule, Is.EqualTo("fetch.slow-drip"));
            Assert.That(result.Body, Is.Empty, "nothing of a body cut off is kept");
        });
    }

    [Test]
    public async Task Retries_wait_their_backoff_on_the_network_clock_with_the_configured_attempts()
    {
        var requests = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var n = Interlocked.Increment(ref requests);
            context.Response.StatusCode = n <= 2 ? StatusCodes.Status502BadGateway : StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(n <= 2 ? "" : "<html><body>third time</body></html>");
        });
        var clock = new FakeTimeProvider();
        // A backoff of 30 s would take a minute of real time on the system clock; here the test moves the clock.
        using var fetcher = FetchSetup.Fetcher(clock, new FetchResilienceOptions { MaxRetryAttempts = 2, RetryDelay = TimeSpan.FromSeconds(30) });

        var result = await FetchSetup.DriveAsync(fetcher.GetAsync(server.BaseUrl, 1_000_000, CancellationToken.None), clock, TimeSpan.FromSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(200));
            Assert.That(Encoding.UTF8.GetString(result.Body), Does.Contain("third time"));
            Assert.That(requests, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task With_no_retries_configured_a_failing_answer_is_given_at_once()
    {
        var requests = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            Interlocked.Increment(ref requests);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return Task.CompletedTask;
        });
        var clock = new FakeTimeProvider();
        using var fetcher = FetchSetup.Fetcher(clock, new FetchResilienceOptions { MaxRetryAttempts = 0 });

        var result = await FetchSetup.DriveAsync(fetcher.GetAsync(server.BaseUrl, 1_000_000, CancellationToken.None), clock, TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(502));
            Assert.That(requests, Is.EqualTo(1));
        });
    }
}
