using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Urls;
using Crawler.Fetching;
using Crawler.Service.Telemetry;

namespace Crawler.Service.Crawling.Stages;

/// <summary>What stage 4 made of a frontier item: a response to read on, or nothing (refused, failed, redirected away), or the item put back.</summary>
internal sealed record Fetched(Uri Url, FetchResult Result, PolicyDecision Decision)
{
    public static Fetched? Nothing => null;
}

/// <summary>
/// Stage 4, fetching: the request is decided (stage 2) before the politeness wait and again, reserving a page of the
/// caps, at the moment it is sent (stage 3's turn); each redirect hop is decided again, and a 429 or 503 slows the
/// whole host and puts the URL back, through the gate again, a bounded number of times.
/// </summary>
internal sealed class PageRequests(RequestGate gate, HostPacing politeness, RobotsRules robots, IMandateStore mandates, long mandateId, CrawlAudit audit,
    RunCounters counters, RunStop stop, PolicySet policy, CrawlerMetrics metrics, TimeProvider time)
{
    /// <summary>A URL the host pushed back on (429/503) is tried this many times in all.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The response for <paramref name="item"/>, or null; and whether the item goes back to the frontier.</summary>
    public async Task<(Fetched? Page, bool Requeued)> FetchAsync(PageFetcher fetcher, FrontierItem item, CancellationToken ct)
    {
        var url = new Uri(item.Url);
        var chain = new List<string>();
        for (var hop = 0; ; hop++)
        {
            var rules = await robots.ForAsync(fetcher, url, ct);
            if (ct.IsCancellationRequested)
            {
                return (null, false);
            }

            var decision = await gate.DecideAsync(url, item.Depth, RequestPurpose.Page, rules, ct);
            if (!decision.Allowed)
            {
                await RefuseAsync(decision, chain, ct);
                return (null, false);
            }

            await politeness.WaitForSlotAsync(url, rules, ct);
            if (ct.IsCancellationRequested)
            {
                return (null, false);
            }

            // Decided again after the politeness wait (the mandate may have ended meanwhile), and a page of the caps reserved.
            decision = await gate.DecideAndReserveAsync(url, item.Depth, RequestPurpose.Page, rules, ct);
            if (!decision.Allowed)
            {
                await RefuseAsync(decision, chain, ct);
                return (null, false);
            }

            var result = await FetchReservedAsync(fetcher, url, rules, ct);
            if (result.Failed)
            {
                await FailedAsync(url, result, decision, ct);
                return (null, false);
            }

            counters.Fetched();
            if (result.Status is 429 or 503)
            {
                // The host asks for less: slow the whole host, and try this URL again later, through the gate again.
                var delay = politeness.PushedBack(url, result.RetryAfter);
                var attempts = item.Attempts + 1;
                var again = attempts < MaxAttempts;
                await audit.CollectedAsync(url, "pushed-back",
                    $"HTTP {result.Status}{(result.RetryAfter is { } ra ? $", Retry-After {ra.TotalSeconds:0} s" : "")}: host slowed to one request per {delay.TotalSeconds:0.#} s; " +
                    (again ? $"retry {attempts} of {MaxAttempts - 1} later" : "giving up on this URL"),
                    "host.slow-down", decision, null, result.Status, ct);
                return (null, again);
            }

            politeness.Answered(url);
            if (result.RedirectLocation is not { } location)
            {
                return (new Fetched(url, result, decision), false);
            }

            chain.Add($"{url} -> HTTP {result.Status}");
            await audit.CollectedAsync(url, "redirect", $"HTTP {result.Status} to {location}", "fetch.redirect", decision, null, result.Status, ct);
            if (hop + 1 > policy.Fetch.MaxRedirects)
            {
                await audit.RefusedAsync(location, $"more than {policy.Fetch.MaxRedirects} redirects: {string.Join(" ; ", chain)}", "fetch.max-redirects", decision, ct);
                counters.Refused("fetch.max-redirects");
                return (null, false);
            }

            if (!CanonicalUrl.TryCreate(location.ToString(), null, policy.Urls, out var next, out var why))
            {
                await audit.RefusedAsync(location, $"redirect target unusable: {why}", "url.scheme", decision, ct);
                counters.Refused("url.scheme");
                return (null, false);
            }

            url = next;
        }
    }

    /// <summary>
    /// An image of a stored ad, fetched only for its digest, under the gate's image rules and the host's pace, counting
    /// against the page caps. Null when it was refused or failed (both recorded).
    /// </summary>
    public async Task<(FetchResult Result, PolicyDecision Decision)?> FetchImageAsync(PageFetcher fetcher, Uri url, int depth, CancellationToken ct)
    {
        var rules = await robots.ForAsync(fetcher, url, ct);
        var decision = await gate.DecideAsync(url, depth, RequestPurpose.Image, rules, ct);
        if (!decision.Allowed)
        {
            await RefuseAsync(decision, [], ct);
            return null;
        }

        await politeness.WaitForSlotAsync(url, rules, ct);
        decision = await gate.DecideAndReserveAsync(url, depth, RequestPurpose.Image, rules, ct);
        if (!decision.Allowed)
        {
            await RefuseAsync(decision, [], ct);
            return null;
        }

        if (ct.IsCancellationRequested)
        {
            gate.Release(fetched: false);
            return null;
        }

        var result = await FetchReservedAsync(fetcher, url, rules, ct);
        if (result.Failed)
        {
            await FailedAsync(url, result, decision, ct);
            return null;
        }

        return (result, decision);
    }

    /// <summary>Fetches a request whose cap reservation is held, in the host's turn; the page is counted before the reservation goes.</summary>
    private async Task<FetchResult> FetchReservedAsync(PageFetcher fetcher, Uri url, Core.Robots.RobotsTxt? rules, CancellationToken ct)
    {
        FetchResult? result = null;
        IDisposable? turn = null;
        try
        {
            turn = await politeness.StartTurnAsync(url, rules, ct);
            var sent = time.GetTimestamp();
            result = await fetcher.GetAsync(url, policy.Fetch.MaxBodyBytes, ct);
            metrics.Fetch(time.GetElapsedTime(sent));
            return result;
        }
        finally
        {
            // The host's part ends with the answer; the cap's reservation only once the page is counted.
            turn?.Dispose();
            var fetched = result is { Failed: false };
            if (fetched)
            {
                // Counted in the store before the reservation is given back, so that a decision in between sees the page once; the
                // count is committed with the page's completion, and a crash before that leaves the page to be fetched (and counted) again.
                await mandates.CountPageAsync(mandateId, Durability.Applied, CancellationToken.None);
            }

            gate.Release(fetched);
        }
    }

    /// <summary>A URL that failed in transport or on a fetch guard: refused in the trail, and counted by rule for the run's outcome.</summary>
    private Task FailedAsync(Uri url, FetchResult result, PolicyDecision decision, CancellationToken ct)
    {
        counters.Failed(result.FailureRule!);
        return audit.RefusedAsync(url, result.FailureReason!, result.FailureRule!, decision, ct);
    }

    private async Task RefuseAsync(PolicyDecision decision, List<string> chain, CancellationToken ct)
    {
        var reason = chain.Count == 0 ? decision.Reason : $"{decision.Reason} (redirect chain: {string.Join(" ; ", chain)})";
        await audit.RefusedAsync(new Uri(decision.Url), reason, decision.Rule, decision, ct);
        counters.Refused(decision.Rule);
        if (RequestGate.StopRules.Contains(decision.Rule))
        {
            stop.Stop(decision.Reason);
        }
    }
}
