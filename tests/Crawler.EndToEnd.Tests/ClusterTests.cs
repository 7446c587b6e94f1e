using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crawler.Testing;
using Npgsql;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Two <c>crawler serve</c> processes on one PostgreSQL database (Quartz's clustered job store, run leases, shared host
/// pacing): each fire crawls a target once, on one instance; an instance killed mid-crawl has its run finished by the
/// other, which fetches nothing again that was stored; and the two together keep a host's delay.
/// </summary>
[NonParallelizable]
public sealed class ClusterTests
{
    private const int Pages = 8;

    [Test]
    public async Task Two_instances_crawl_each_target_exactly_once_per_fire_and_keep_the_hosts_delay_together()
    {
        const int delayMs = 150;
        using var cluster = await ServeCluster.StartAsync();
        await using var site = await StartSiteAsync(Pages);
        var lab = cluster.Lab;

        await cluster.StartInstancesAsync(2);

        // Two targets on one host, both firing at the same second: two crawls at once, whichever instance takes each.
        var fireAt = cluster.FireTime();
        var first = await cluster.AddTargetAsync("first", site.BaseUrl, "/a/", fireAt, delayMs);
        var second = await cluster.AddTargetAsync("second", site.BaseUrl, "/b/", fireAt, delayMs);

        var runs = await cluster.WaitForRunsAsync([first, second], TimeSpan.FromSeconds(45));

        Assert.Multiple(() =>
        {
            Assert.That(runs.Where(r => r.Target == first).Select(r => r.State), Is.EqualTo(new[] { "completed" }), "one run of the first target");
            Assert.That(runs.Where(r => r.Target == second).Select(r => r.State), Is.EqualTo(new[] { "completed" }), "one run of the second target");
            var pages = site.Paths.Where(p => p != "/robots.txt").ToList();
            Assert.That(pages, Is.EquivalentTo(SitePaths("/a/", Pages).Concat(SitePaths("/b/", Pages))), "every page fetched once, none twice");
            // Pages only: each instance's robots.txt is its first request, whose arrival lags its booked start by the
            // process's one-off setup of its HTTP stack (measured up to ~130 ms), which says nothing about the pace.
            var times = site.Requests.Where(r => r.Path != "/robots.txt").Select(r => r.At).Order().ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
            TestContext.Progress.WriteLine($"cluster: {times.Count} page requests to one host from two instances, shortest gap {gaps.Min().TotalMilliseconds:0} ms");
            // Leeway for the fixture stamping arrival while the crawler books its start: on a loaded 2-core CI machine the
            // time from a booked start to the request's arrival varies by up to ~25 ms (a gap of 125 ms was seen once),
            // so two requests can arrive closer than booked. Without shared host slots the shortest gap is ~0.1 ms.
            Assert.That(gaps.Min(), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(delayMs - 40)),
                "the two instances together never asked the host faster than its delay");
        });
    }

    [Test]
    public async Task An_instance_killed_mid_crawl_has_its_run_finished_by_the_other_which_fetches_nothing_stored_again()
    {
        const int pages = 16;
        using var cluster = await ServeCluster.StartAsync();
        var fetched = 0;
        var midway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var site = await StartSiteAsync(pages, onPage: () =>
        {
            if (Interlocked.Increment(ref fetched) == 6)
            {
                midway.TrySetResult();
            }
        });
        await cluster.StartInstancesAsync(2);
        var target = await cluster.AddTargetAsync("slow", site.BaseUrl, "/a/", cluster.FireTime(), delayMs: 250);

        Assert.That(await Task.WhenAny(midway.Task, Task.Delay(TimeSpan.FromSeconds(40))), Is.SameAs(midway.Task), cluster.Output());
        var holder = await cluster.LeaseHolderAsync(target);
        var victim = cluster.Instances.Single(p => p.Id == holder);
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync();
        var killedAt = site.Now;
        var requestsAtKill = site.Requests.Count;
        var storedAtKill = await cluster.HitPathsAsync();

        var runs = await cluster.WaitForRunsAsync([target], TimeSpan.FromSeconds(45));
        var after = site.Requests.Skip(requestsAtKill).Where(r => r.Path != "/robots.txt").ToList();
        var verified = await cluster.Lab.Run("audit", "verify", "--as", "aaron");
        var failover = after.Count == 0 ? TimeSpan.Zero : after.Min(r => r.At) - killedAt;
        TestContext.Progress.WriteLine($"cluster: killed the holder after {requestsAtKill} requests with {storedAtKill.Count} hits stored; " +
                                       $"the other instance fetched its first page {failover.TotalSeconds:0.0} s after the kill");

        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.State), Is.EqualTo(new[] { "completed" }), "the one run, finished by the surviving instance");
            Assert.That(storedAtKill, Is.Not.Empty, "the kill came after some pages were stored");
            Assert.That(after, Is.Not.Empty, "the surviving instance went on with the run");
            Assert.That(after.Select(r => r.Path).Intersect(storedAtKill), Is.Empty, "no page stored as a hit was fetched again");
            Assert.That(site.Paths.Where(p => p != "/robots.txt").Distinct(), Is.EquivalentTo(SitePaths("/a/", pages)), "every page was fetched");
            Assert.That(verified.Code, Is.EqualTo(0), verified.Out + verified.Err);
            Assert.That(verified.Out, Does.Contain("OK"));
        });
    }

    private static IEnumerable<string> SitePaths(string prefix, int pages) =>
        new[] { prefix }.Concat(Enumerable.Range(1, pages).Select(i => $"{prefix}ad-{i}"));

    /// <summary>A loopback site with two sections (/a/ and /b/), each an index linking to its ad pages.</summary>
    private static async Task<FixtureServer> StartSiteAsync(int pages, Action? onPage = null)
    {
        var routes = new Dictionary<string, Func<Microsoft.AspNetCore.Http.HttpContext, Task>>(StringComparer.Ordinal);
        foreach (var section in new[] { "a", "b" })
        {
            var ads = Enumerable.Range(1, pages).Select(i => $"/{section}/ad-{i}").ToArray();
            routes[$"/{section}/"] = Counted(FixtureServer.Html(FixtureServer.LinkPage(ads)), onPage);
            for (var i = 0; i < ads.Length; i++)
            {
                var phone = $"06 {(section == "a" ? 1 : 2)}234 {5600 + i}";
                routes[ads[i]] = Counted(FixtureServer.Html(FixtureServer.AdPage($"Ad {section} {i + 1}", phone)), onPage);
            }
        }

        return await FixtureServer.StartAsync(routes);
    }

    private static Func<Microsoft.AspNetCore.Http.HttpContext, Task> Counted(Func<Microsoft.AspNetCore.Http.HttpContext, Task> page, Action? onPage) =>
        ctx =>
        {
            onPage?.Invoke();
            return page(ctx);
        };

    /// <summary>A lab over a fresh PostgreSQL database, and the <c>serve</c> processes started on it.</summary>
    private sealed class ServeCluster : IDisposable
    {
        private readonly string _database;
        private readonly ConcurrentQueue<string> _output = new();

        private ServeCluster(Lab lab, string database)
        {
            Lab = lab;
            _database = database;
        }

        public Lab Lab { get; }

        public List<Process> Instances { get; } = [];

        public static async Task<ServeCluster> StartAsync()
        {
            var database = PostgresCluster.Instance.CreateDatabase();
            return new ServeCluster(await Lab.CreateAsync(postgres: database), database);
        }

        /// <summary>A second far enough ahead for the running instances' schedule sync (every second) to have scheduled it.</summary>
        public DateTimeOffset FireTime() => Lab.Time.GetLocalNow().AddSeconds(5);

        /// <summary>Adds a target firing once, at <paramref name="at"/>'s second today, under an approved mandate of its own.</summary>
        public async Task<long> AddTargetAsync(string name, Uri site, string section, DateTimeOffset at, int delayMs)
        {
            var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local);
            var cron = string.Create(CultureInfo.InvariantCulture, $"{local.Second} {local.Minute} {local.Hour} * * ?");
            var seed = new Uri(site, section);
            var target = (await Lab.Ok("target", "add", "--file", Lab.WriteTarget(seed, name, cron, delayMs), "--as", "sanne", "--json"))
                .Json.GetProperty("id").GetInt64();
            var now = Lab.Time.GetUtcNow();
            var mandate = (await Lab.Ok("mandate", "request", "--file", Lab.WriteMandate(now.AddHours(-1), now.AddHours(2), target: name), "--as", "sanne", "--json"))
                .Json.GetProperty("id").GetInt64();
            await Lab.Ok("mandate", "approve", mandate.ToString(CultureInfo.InvariantCulture), "--as", "pieter");
            return target;
        }

        /// <summary>Starts the instances and waits until each has checked in to the cluster.</summary>
        public async Task StartInstancesAsync(int count)
        {
            var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            var crawler = Path.Combine(Lab.RepoRoot, "src", "Crawler.Cli", "bin", testDir.Parent!.Name, testDir.Name, "crawler.dll");
            for (var i = 0; i < count; i++)
            {
                var start = new ProcessStartInfo("dotnet")
                {
                    ArgumentList = { crawler, "serve", "--no-console", "--sync-seconds", "1", "--data", Lab.Dir, "--policies", Lab.Policies },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                start.Environment["CRAWLER_STORAGE"] = "postgres";
                start.Environment["CRAWLER_POSTGRES"] = _database;
                // A dead instance's firings are released within about three seconds rather than the default twenty.
                start.Environment["Crawler__Cluster__CheckinInterval"] = "00:00:01";
                start.Environment["Crawler__Cluster__CheckinMisfireThreshold"] = "00:00:02";
                var process = Process.Start(start)!;
                var n = i;
                process.OutputDataReceived += (_, e) => _output.Enqueue($"[{n}] {e.Data}");
                process.ErrorDataReceived += (_, e) => _output.Enqueue($"[{n}!] {e.Data}");
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                Instances.Add(process);
            }

            var deadline = Stopwatch.StartNew();
            while ((await QueryAsync("SELECT instance_name FROM qrtz_scheduler_state", r => r.GetString(0))).Count < count)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(40) || Instances.Any(p => p.HasExited))
                {
                    Assert.Fail($"the instances did not join the cluster:\n{Output()}");
                }

                await Task.Delay(100);
            }
        }

        public string Output() => string.Join('\n', _output.TakeLast(80));

        /// <summary>Waits until every target has a run and none is unfinished; the runs of those targets.</summary>
        public async Task<IReadOnlyList<(long Target, string State)>> WaitForRunsAsync(IReadOnlyCollection<long> targets, TimeSpan within)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var runs = await QueryAsync("SELECT target_id, json FROM runs ORDER BY id",
                    r => (r.GetInt64(0), JsonDocument.Parse(r.GetString(1)).RootElement.GetProperty("state").GetString()!));
                if (targets.All(t => runs.Any(r => r.Item1 == t)) && runs.All(r => r.Item2 is not ("running" or "interrupted")))
                {
                    return runs.Where(r => targets.Contains(r.Item1)).ToList();
                }

                if (deadline.Elapsed > within)
                {
                    Assert.Fail($"the runs did not finish within {within.TotalSeconds} s: {string.Join(", ", runs)}\n{Output()}");
                }

                await Task.Delay(200);
            }
        }

        public async Task<int> LeaseHolderAsync(long target) =>
            (await QueryAsync($"SELECT json FROM run_leases WHERE target_id = {target}",
                r => JsonDocument.Parse(r.GetString(0)).RootElement.GetProperty("processId").GetInt32())).Single();

        /// <summary>The paths of the stored hits.</summary>
        public async Task<IReadOnlyList<string>> HitPathsAsync() => await QueryAsync("SELECT url FROM hits", r => new Uri(r.GetString(0)).AbsolutePath);

        private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync())
            {
                rows.Add(read(reader));
            }

            return rows;
        }

        public void Dispose()
        {
            foreach (var process in Instances)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }

                process.Dispose();
            }

            Lab.Dispose();
            PostgresCluster.Instance.DropDatabase(_database);
        }
    }
}
