using BenchmarkDotNet.Attributes;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Targets;
using Crawler.Core.Urls;
using Crawler.Core.Users;

namespace Crawler.Benchmarks;

/// <summary>
/// The request gate on its full chain (19 page rules, two include and two exclude patterns) with a
/// parsed, cached robots.txt of 40 rules, for URLs that pass every rule: the common case.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DecideRequestBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private PolicySet _policy = null!;
    private CrawlTarget _target = null!;
    private Mandate _mandate = null!;
    private RobotsTxt _robots = null!;
    private readonly MandateUsage _usage = new(10, 1);
    private Uri[] _urls = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyFiles.Load();
        var spec = new TargetSpec("bench", ["https://ads.example.nl/"],
            new CrawlScope(["ads.example.nl", "*.example.nl"], ["^/ads/", "^/listing"], ["^/private/", "login"], 3, 1000),
            new Politeness(1000, 1), null, "generic");
        _target = new CrawlTarget(1, spec, "sanne", Now);
        var specialist = new User("sanne", Role.Specialist, Now, "admin");
        var officer = new User("pieter", Role.Officer, Now, "admin");
        var mandateSpec = new MandateSpec("C-1", "Bench", "art126g-sv", WpgPurpose.Art9, "p", "o", "s", "f", ["bench"],
            Now.AddDays(-1), Now.AddDays(30), new MandateLimits(10_000, 1_000), new Dictionary<DataCategory, Treatment>(), false);
        _mandate = MandateLifecycle.Approve(MandateLifecycle.Request(mandateSpec, specialist, Now) with { Id = 1 }, officer, Now);
        var robots = "User-agent: *\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"Disallow: /private{i}/*.php$\n"));
        _robots = RobotsTxt.Parse(robots);
        _urls = Enumerable.Range(0, 256).Select(i => CanonicalUrl.Create($"https://ads.example.nl/ads/{i}.html?page={i % 7}")).ToArray();
        var check = RequestPolicy.Decide(Context(_urls[0]));
        if (!check.Allowed)
        {
            throw new InvalidOperationException("benchmark URL refused: " + check.Reason);
        }
    }

    private RequestContext Context(Uri url) =>
        new(url, 1, RequestPurpose.Page, Now, _target, _mandate, _usage, 5, _policy, false, _robots);

    [Benchmark]
    public PolicyDecision DecideAllowed()
    {
        var url = _urls[_next++ & 255];
        return RequestPolicy.Decide(Context(url));
    }
}
