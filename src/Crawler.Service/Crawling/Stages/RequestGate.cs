using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Targets;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stage 2, the request gate: every request is put to the policy with the mandate as it stands (held in memory until the
/// store says it changed) and its usage read afresh, so a revocation, expiry or cap stops the crawl at its next request. An allowed request reserves a page of the caps
/// until its fetch is counted, so requests in flight at once can never overshoot a cap. The store is read before the
/// lock is taken; only the in-memory counters are under it. A resumed run starts from the pages it had fetched before
/// it was stopped: its budget is one, across a stop or a crash.
/// </summary>
internal sealed class RequestGate(IMandateStore mandates, MandateWatch watch, CrawlTarget target, PolicySet policy, bool lab, TimeProvider time, int pagesBefore)
{
    /// <summary>Refusals by these rules end the run: nothing after them could be allowed either.</summary>
    public static readonly IReadOnlySet<string> StopRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "mandate.present", "mandate.approved", "mandate.window", "mandate.covers-target",
        "mandate.page-cap", "mandate.hit-cap", "run.page-cap",
    };

    private readonly object _lock = new();
    private int _runPages = pagesBefore;
    private int _inFlight;

    /// <summary>The decision for a request now, reserving nothing (before the politeness wait).</summary>
    public Task<PolicyDecision> DecideAsync(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots, CancellationToken ct) =>
        DecideAsync(url, depth, purpose, robots, reserve: false, ct);

    /// <summary>The decision at the moment of sending; an allowed request holds a page of the caps until <see cref="Release"/>.</summary>
    public Task<PolicyDecision> DecideAndReserveAsync(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots, CancellationToken ct) =>
        DecideAsync(url, depth, purpose, robots, reserve: true, ct);

    /// <summary>Gives a reservation back; a fetched page is counted in the run and (already) in the mandate's usage.</summary>
    public void Release(bool fetched)
    {
        lock (_lock)
        {
            _inFlight--;
            if (fetched)
            {
                _runPages++;
            }
        }
    }

    private async Task<PolicyDecision> DecideAsync(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots, bool reserve, CancellationToken ct)
    {
        var stored = await mandates.UsageAsync(watch.MandateId, ct);
        var mandate = await watch.CurrentAsync(ct);
        lock (_lock)
        {
            // Pages in flight count against the caps as if already fetched.
            var usage = stored with { PagesFetched = stored.PagesFetched + _inFlight };
            var decision = RequestPolicy.Decide(new RequestContext(url, depth, purpose, time.GetUtcNow(), target, mandate, usage, _runPages + _inFlight,
                policy, lab, robots));
            if (reserve && decision.Allowed)
            {
                _inFlight++;
            }

            return decision;
        }
    }
}
