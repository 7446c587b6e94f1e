using System.Globalization;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>Several hosts crawled at once: per-host concurrency, the global cap and the per-host delay are never exceeded.</summary>
public sealed class ConcurrencyTests
{
    private sealed class InFlight
    {
        private int _now;

        public int Max { get; private set; }

        public void Enter()
        {
            var n = Interlocked.Increment(ref _now);
            lock (this)
            {
                Max = Math.Max(Max, n);
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }

    private static Func<HttpContext, Task> SlowAd(string title, string phone, InFlight host, InFlight all) => async ctx =>
    {
        host.Enter();
        all.Enter();
        try
        {
            await Task.Delay(150, ctx.RequestAborted);
            await FixtureServer.Html(FixtureServer.AdPage(title, phone))(ctx);
        }
        finally
        {
            host.Leave();
            all.Leave();
        }
    };

    // The delay is kept between request starts at the crawler; the server sees arrivals, which
    // loopback scheduling on a busy 2-core machine can shift by some milliseconds: hence 180 of 200 ms.
    [Test]
    public async Task Per_host_and_global_limits_hold_while_three_hosts_are_crawled_in_parallel()
    {
        var all = new InFlight();
        var probes = new[] { new InFlight(), new InFlight(), new InFlight() };
        var servers = new List<FixtureServer>();
        for (var h = 0; h < 3; h++)
        {
            var routes = new Dictionary<string, Func<HttpContext, Task>> { ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n") };
            var links = new List<string>();
            for (var p = 0; p < 6; p++)
            {
                routes[$"/ad{p}"] = SlowAd($"Host {h} ad {p}", $"06-1{h}{p}00000", probes[h], all);
                links.Add($"/ad{p}");
            }

            routes["/"] = FixtureServer.Html(FixtureServer.LinkPage([.. links]));
            servers.Add(await FixtureServer.StartAsync(routes, $"127.0.0.{h + 1}"));
        }

        try
        {
            // The seed page of the first host links to the other two hosts' start pages.
            using var lab = await Lab.CreateAsync();
            var hosts = string.Join(", ", servers.Select(s => $"\"{s.BaseUrl.Host}\""));
            var seeds = string.Join(", ", servers.Select(s => $"\"{s.BaseUrl}\""));
            var target = lab.WriteFile("multi.yaml", $"""
                name: fixture
                seeds: [{seeds}]
                scope:
                  hosts: [{hosts}]
                  maxDepth: 1
                politeness:
                  minDelayMs: 200
                  maxConcurrencyPerHost: 2
                """);
            await lab.Ok("target", "add", "--file", target, "--as", "sanne");
            var now = lab.Time.GetUtcNow();
            await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");
            await lab.Ok("mandate", "approve", "1", "--as", "pieter");

            var crawl = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");

            Assert.That(crawl.Json.GetProperty("hits").GetInt32(), Is.EqualTo(18));
            Assert.That(all.Max, Is.InRange(2, 4), "requests ran in parallel, never more than the global cap of 4");
            foreach (var (server, probe) in servers.Zip(probes))
            {
                Assert.That(probe.Max, Is.LessThanOrEqualTo(2), $"{server.BaseUrl}: maxConcurrencyPerHost");
                var starts = server.Requests.Select(r => r.At).ToList();
                for (var i = 1; i < starts.Count; i++)
                {
                    Assert.That(starts[i] - starts[i - 1], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(180)),
                        $"{server.BaseUrl} request {i.ToString(CultureInfo.InvariantCulture)} started too soon after the one before: " + string.Join(", ", server.Requests.Select(r => $"{r.Path}@{r.At.TotalMilliseconds:0}")));
                }
            }
        }
        finally
        {
            foreach (var s in servers)
            {
                await s.DisposeAsync();
            }
        }
    }
}
