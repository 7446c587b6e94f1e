using System.Security.Cryptography;
using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Urls;
using Crawler.Fetching;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// robots.txt per host (RFC 9309): read once per run and host (every worker that needs it waits for the one read),
/// from the cache when it is younger than the policy's period (at most 24 hours, §2.4), else fetched through the gate
/// and the host's pace. Unreachable means disallow all (§2.3.1.4), a 4xx allow all, a 5xx disallow all.
/// </summary>
internal sealed class RobotsRules(IRobotsCache cache, RequestGate gate, HostPacing politeness, CrawlAudit audit, RunCounters counters, PolicySet policy,
    TimeProvider time)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Task<RobotsTxt?>> _hosts = new(StringComparer.Ordinal);

    public Task<RobotsTxt?> ForAsync(PageFetcher fetcher, Uri url, CancellationToken ct)
    {
        var key = HostPacing.HostKey(url);
        lock (_lock)
        {
            if (!_hosts.TryGetValue(key, out var task))
            {
                task = LoadAsync(fetcher, url, key, ct);
                _hosts[key] = task;
            }

            return task;
        }
    }

    private async Task<RobotsTxt?> LoadAsync(PageFetcher fetcher, Uri url, string key, CancellationToken ct)
    {
        await Task.Yield();
        var robotsUrl = new Uri($"{url.Scheme}://{url.Authority}/robots.txt");
        var decision = await gate.DecideAsync(robotsUrl, 0, RequestPurpose.Robots, null, ct);
        if (!decision.Allowed)
        {
            // The page decision will refuse for the same reason; nothing was sent.
            return null;
        }

        if (await cache.FindAsync(key, ct) is { } cached && time.GetUtcNow() - cached.FetchedAt < TimeSpan.FromHours(policy.Fetch.RobotsCacheHours))
        {
            // A restart does not fetch it again within the cache period.
            return cached.ToRules();
        }

        RobotsTxt robots;
        string? content = null;
        var disallowAll = false;
        string source;
        var current = robotsUrl;
        for (var hop = 0; ; hop++)
        {
            await politeness.WaitForSlotAsync(current, null, ct);
            FetchResult result;
            using (await politeness.StartTurnAsync(current, null, ct))
            {
                result = await fetcher.GetAsync(current, RobotsTxt.MaxParsedBytes, ct);
            }

            if (result.Failed)
            {
                // Unreachable means disallow all; a network-guard refusal is logged as such.
                source = result.FailureReason!;
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
                counters.Failed(result.FailureRule!);
                await audit.RefusedAsync(current, result.FailureReason!, result.FailureRule!, decision, ct);
                break;
            }

            if (result.RedirectLocation is { } next && hop < 5 &&
                CanonicalUrl.TryCreate(next.ToString(), null, policy.Urls, out var nextUrl, out _) &&
                (await gate.DecideAsync(nextUrl, 0, RequestPurpose.Robots, null, ct)).Allowed)
            {
                await audit.CollectedAsync(current, "redirect", $"robots.txt HTTP {result.Status} to {nextUrl}", "robots.fetch", decision, null, result.Status, ct);
                current = nextUrl;
                continue;
            }

            source = $"robots.txt HTTP {result.Status}";
            if (result.RedirectLocation is not null)
            {
                source = $"robots.txt redirects out of reach (HTTP {result.Status})";
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
            }
            else if (result.Status is >= 200 and < 300)
            {
                content = PageText.Decode(result.Body, result.Charset);
                robots = RobotsTxt.Parse(content, source);
            }
            else if (result.Status is >= 400 and < 500)
            {
                robots = RobotsTxt.AllowAll(source);
            }
            else
            {
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
            }

            await audit.CollectedAsync(current, "robots", robots.Source, "robots.fetch", decision,
                result.Body.Length > 0 ? Convert.ToHexStringLower(SHA256.HashData(result.Body)) : null, result.Status, ct);
            break;
        }

        await cache.SaveAsync(new CachedRobots(key, content, source, disallowAll, time.GetUtcNow()), ct);
        return robots;
    }
}
