using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crawler.Cli;
using Crawler.DemoSite;
using Microsoft.AspNetCore.Http;

namespace Crawler.Benchmarks;

/// <summary>
/// The whole-crawl benchmark: a loopback site of N generated ad pages (the 30 KB typical page, each with its own id,
/// number and related ads) behind listing pages, crawled by the real <c>crawler crawl run</c> program in a lab
/// installation with every stage on (policy, robots, extraction, minimisation, scoring, storage, audit). Prints pages
/// per second, processor time and allocations per page, peak working set and bytes written, from the crawler's own
/// account of the crawl (start-up excluded) and, around the whole process, from GNU time.
/// <c>dotnet run -c Release --project tests/Crawler.Benchmarks -- crawl [--pages 2000] [--rounds 3]</c>
/// </summary>
internal static partial class CrawlBenchCommand
{
    private const int AdsPerListing = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var pages = Option(args, "--pages", 2000);
        var rounds = Option(args, "--rounds", 3);
        var trace = TextOption(args, "--trace");
        // The build's crawler, or another (a ReadyToRun publish, say) named with --crawler.
        var crawler = TextOption(args, "--crawler") is { } named ? Path.GetFullPath(named)
            : Path.Combine(PolicyFiles.RepositoryRoot, "src", "Crawler.Cli", "bin", "Release", "net10.0", "crawler.dll");
        if (!File.Exists(crawler))
        {
            Console.Error.WriteLine($"build the crawler in Release first: dotnet build -c Release src/Crawler.Cli ({crawler} is missing)");
            return 2;
        }

        var site = GenerateSite(pages);
        await using var server = await LoopbackServer.StartAsync(ctx => Serve(site, ctx));
        Console.WriteLine($"site: {site.Count} pages ({pages} ads of ~{site["/ads/10000.html"].Length / 1024} KB, {pages / AdsPerListing} listings) on {server.BaseUrl}");
        var results = new List<Round>();
        for (var round = 1; round <= rounds; round++)
        {
            var result = await RoundAsync(crawler, server.BaseUrl, pages, trace is null ? null : $"{trace}.{round}.nettrace");
            results.Add(result);
            Console.WriteLine(result.Describe(round));
        }

        var median = results.OrderBy(r => r.PagesPerSecond).ElementAt(results.Count / 2);
        Console.WriteLine($"median round: {median.PagesPerSecond:0} pages/s; spread {results.Min(r => r.PagesPerSecond):0}–{results.Max(r => r.PagesPerSecond):0}");
        return results.All(r => r.Verified) ? 0 : 1;
    }

    private sealed record Round(int Fetched, int Hits, double Seconds, double CpuSeconds, long Allocated, long? Written, long? Storage, long PeakWorkingSet,
        double ProcessSeconds, double ProcessCpu, long ProcessMaxRssKb, long DatabaseBytes, long AuditEntries, bool Verified, string Collections, double GcPause)
    {
        public double PagesPerSecond => Fetched / Seconds;

        public string Describe(int round) => string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {Fetched} pages, {Hits} hits in {Seconds:0.00} s = {PagesPerSecond:0} pages/s; " +
            $"CPU {CpuSeconds * 1000 / Fetched:0.00} ms/page; allocated {Allocated / 1024.0 / Fetched:0} KB/page; collections {Collections} (paused {GcPause:0.00} s); " +
            $"peak working set {PeakWorkingSet / 1048576.0:0} MiB; " +
            $"written {(Written is { } w ? $"{w / 1048576.0:0.0} MiB" : "n/a")} (to storage {(Storage is { } s ? $"{s / 1048576.0:0.0} MiB" : "n/a")}) " +
            $"{(DatabaseBytes > 0 ? $"for a {DatabaseBytes / 1048576.0:0.0} MiB database" : "by the crawler (the database is a PostgreSQL server's; its writes are not counted)")}" +
            $"; {AuditEntries} audit entries, verify {(Verified ? "OK" : "FAILED")}. " +
            $"Whole process: {ProcessSeconds:0.00} s, CPU {ProcessCpu:0.00} s, max RSS {ProcessMaxRssKb / 1024.0:0} MiB");
    }

    private static async Task<Round> RoundAsync(string crawler, Uri site, int pages, string? trace)
    {
        // The database is chosen as the crawler chooses it (CRAWLER_STORAGE, CRAWLER_POSTGRES): set them to bench
        // PostgreSQL; the crawl process inherits them. Every other variable stays out of the scripted set-up.
        static string? StorageVariable(string name) =>
            name is "CRAWLER_STORAGE" or "CRAWLER_POSTGRES" ? Environment.GetEnvironmentVariable(name) : null;

        var root = Path.Combine(Path.GetTempPath(), "crawler-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(root, "data");
        var policies = CopyPolicies(Path.Combine(root, "policies"));
        var people = new ScriptedIdentities();
        try
        {
            async Task<string> Cli(params string[] args)
            {
                using var stdout = new StringWriter();
                using var stderr = new StringWriter();
                var env = people.For(new CliEnvironment(TimeProvider.System, StorageVariable, Interactive: false), ScriptedIdentities.ActingAs(args));
                var code = await CliApp.RunAsync([.. args, "--data", data, "--policies", policies], stdout, stderr, env, CancellationToken.None);
                return code == 0 ? stdout.ToString() : throw new InvalidOperationException($"crawler {string.Join(' ', args)}: {stderr}");
            }

            async Task SignIn(string name) => people.RememberToken(name, (await Cli("login", "--as", name, "--print")).Trim());

            await Cli("init", "--lab");
            await Cli("users", "add", "admin", "--role", "admin");
            await SignIn("admin");
            foreach (var (name, role) in new[] { ("sanne", "specialist"), ("pieter", "officer"), ("aaron", "auditor") })
            {
                people.RememberCode(name, JsonDocument.Parse(await Cli("users", "add", name, "--role", role, "--as", "admin", "--json"))
                    .RootElement.GetProperty("enrolmentCode").GetString()!);
                await SignIn(name);
            }

            var target = Path.Combine(root, "target.yaml");
            await File.WriteAllTextAsync(target, $"""
                name: bench
                seeds: ["{site}"]
                scope:
                  hosts: ["{site.Host}"]
                  maxDepth: 3
                  maxPagesPerRun: {pages * 2 + 1000}
                politeness:
                  minDelayMs: 0
                  maxConcurrencyPerHost: 4
                """);
            var now = TimeProvider.System.GetUtcNow();
            var mandate = Path.Combine(root, "mandate.yaml");
            await File.WriteAllTextAsync(mandate, $"""
                case: "BENCH-1"
                caseName: "Benchmark"
                legalBasis: art126g-sv
                wpgPurpose: art9
                purpose: "Measure a whole crawl"
                offence: "273f Sr"
                suspect: "unknown"
                factsAndCircumstances: "generated site on loopback"
                targets: [bench]
                validFrom: "{now.AddHours(-1):O}"
                validUntil: "{now.AddDays(5):O}"
                limits:
                  maxPages: {pages * 2 + 1000}
                  maxHits: {pages * 2}
                dataCategories:
                  phone: pseudonymise
                  email: keep
                  text: drop
                justifications:
                  amount: "benchmark: every page of the generated site"
                  third-parties: "benchmark: e-mail addresses kept in clear"
                """);
            await Cli("target", "add", "--file", target, "--as", "sanne");
            await Cli("mandate", "request", "--file", mandate, "--as", "sanne");
            await Cli("mandate", "approve", "1", "--as", "pieter");

            var timeFile = Path.Combine(root, "time.txt");
            var start = new ProcessStartInfo("/usr/bin/time")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("%e %U %S %M");
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(timeFile);
            if (trace is not null)
            {
                // A CPU sample trace of the crawler process (dotnet-trace, a global tool) for finding where the time goes.
                foreach (var a in new[] { "dotnet-trace", "collect", "--show-child-io", "true", "--profile", "dotnet-sampled-thread-time", "-o", Path.GetFullPath(trace), "--" })
                {
                    start.ArgumentList.Add(a);
                }
            }

            foreach (var a in new[] { "dotnet", crawler, "crawl", "run", "--target", "1", "--as", "sanne", "--json", "--data", data, "--policies", policies })
            {
                start.ArgumentList.Add(a);
            }
            start.Environment["CRAWLER_TOKEN"] = people.TokenOf("sanne")!;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var printed = await output;
            // Under dotnet-trace the tool's own lines may surround the crawler's JSON (older versions print them on stdout).
            var json = JsonDocument.Parse(trace is null || printed.StartsWith('{') ? printed
                : printed[(printed.IndexOf("\n{", StringComparison.Ordinal) + 1)..(printed.LastIndexOf('}') + 1)]).RootElement;
            if (json.GetProperty("state").GetString() != "completed")
            {
                throw new InvalidOperationException($"the crawl ended {json.GetProperty("state")}: {json.GetProperty("endReason")} {await errors}");
            }

            var r = json.GetProperty("resources");
            var time = (await File.ReadAllTextAsync(timeFile)).Trim().Split(' ').Select(double.Parse).ToArray();
            var verify = await Cli("audit", "verify", "--as", "aaron", "--json");
            var verified = JsonDocument.Parse(verify).RootElement;
            var dbBytes = Directory.GetFiles(data).Sum(f => new FileInfo(f).Length);
            return new Round(json.GetProperty("fetched").GetInt32(), json.GetProperty("hits").GetInt32(), r.GetProperty("seconds").GetDouble(),
                r.GetProperty("cpuSeconds").GetDouble(), r.GetProperty("allocatedBytes").GetInt64(),
                r.TryGetProperty("bytesWritten", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt64() : null,
                r.TryGetProperty("storageBytesWritten", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null,
                r.GetProperty("peakWorkingSetBytes").GetInt64(), time[0], time[1] + time[2], (long)time[3], dbBytes,
                verified.GetProperty("entries").GetInt64(), verified.GetProperty("ok").GetBoolean(),
                string.Join('/', r.GetProperty("collections").EnumerateArray().Select(c => c.GetInt32())), r.GetProperty("gcPauseSeconds").GetDouble());
        }
        finally
        {
            foreach (var d in new[] { root, data + ".keys" }.Where(Directory.Exists))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }

    /// <summary>The repository's policies, with the Koops amount thresholds and per-run limits raised so a large benchmark mandate is not refused.</summary>
    private static string CopyPolicies(string to)
    {
        var from = Path.Combine(PolicyFiles.RepositoryRoot, "policies");
        Directory.CreateDirectory(Path.Combine(to, "profiles"));
        foreach (var f in Directory.GetFiles(from, "*.yaml"))
        {
            var text = File.ReadAllText(f);
            text = Path.GetFileName(f) switch
            {
                "koops.yaml" => BeyondAbove().Replace(text, m => m.Groups[1].Value + "100000000"),
                "crawler.yaml" => text.Replace("maxPagesPerRun: 10000", "maxPagesPerRun: 1000000", StringComparison.Ordinal),
                _ => text,
            };
            File.WriteAllText(Path.Combine(to, Path.GetFileName(f)), text);
        }

        foreach (var f in Directory.GetFiles(Path.Combine(from, "profiles"), "*.yaml"))
        {
            File.Copy(f, Path.Combine(to, "profiles", Path.GetFileName(f)));
        }

        return to;
    }

    [GeneratedRegex(@"((?:pages|hits|contacts)(?:Systematic|Beyond)Above:\s*)\d+")]
    private static partial Regex BeyondAbove();

    /// <summary>N ads (ids 10000 upwards) made from the typical page, listings of 50 ads, and an index linking every listing.</summary>
    private static Dictionary<string, byte[]> GenerateSite(int ads)
    {
        var template = File.ReadAllText(Path.Combine(PolicyFiles.RepositoryRoot, "tests", "Crawler.Benchmarks", "Pages", "typical-ad.html"));

        // Links that would differ per ad and lead nowhere (favourite, report, share) are left out; template links stay.
        template = PerAdAction().Replace(template, "#");
        var site = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/robots.txt"] = Encoding.UTF8.GetBytes("User-agent: *\nAllow: /\n"),
        };
        for (var i = 0; i < ads; i++)
        {
            var id = (10000 + i).ToString(CultureInfo.InvariantCulture);
            var k = 0;
            var html = RelatedAd().Replace(template, _ => $"/ads/{10000 + ((i + 37 * ++k) % ads)}.html")
                .Replace("1234 8213", $"123{id[0]} {id[1..]}", StringComparison.Ordinal)
                .Replace("48213", id, StringComparison.Ordinal);
            site[$"/ads/{id}.html"] = Encoding.UTF8.GetBytes(html);
        }

        var listings = (ads + AdsPerListing - 1) / AdsPerListing;
        var index = new StringBuilder("<!doctype html><html><body><h1>Advertenties</h1><ul>");
        for (var l = 0; l < listings; l++)
        {
            index.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/list/{l}.html\">pagina {l + 1}</a></li>");
            var listing = new StringBuilder($"<!doctype html><html><body><h1>Advertenties, pagina {l + 1}</h1><ul>");
            for (var i = l * AdsPerListing; i < Math.Min(ads, (l + 1) * AdsPerListing); i++)
            {
                listing.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/ads/{10000 + i}.html\">advertentie {10000 + i}</a></li>");
            }

            site[$"/list/{l}.html"] = Encoding.UTF8.GetBytes(listing.Append("</ul></body></html>").ToString());
        }

        site["/"] = Encoding.UTF8.GetBytes(index.Append("</ul></body></html>").ToString());
        return site;
    }

    private static Task Serve(Dictionary<string, byte[]> site, HttpContext ctx)
    {
        if (!site.TryGetValue(ctx.Request.Path.Value ?? "/", out var body))
        {
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        ctx.Response.ContentType = ctx.Request.Path.Value == "/robots.txt" ? "text/plain" : "text/html; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body).AsTask();
    }

    [GeneratedRegex(@"/(?:favorieten/add|melden|delen)/48213")]
    private static partial Regex PerAdAction();

    [GeneratedRegex(@"/ads/4\d{4}\.html")]
    private static partial Regex RelatedAd();

    private static string? TextOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
