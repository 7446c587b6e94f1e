using Crawler.Core.Audit;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Extraction;
using Crawler.Fetching;
using Crawler.Service.Audit;
using Crawler.Service.Crawling.Stages;
using Crawler.Service.Telemetry;

namespace Crawler.Service.Crawling;

/// <summary>
/// One run in progress: the stages of <see cref="Stages"/> wired together for this target, mandate and run. The
/// dispatcher (1) hands each frontier item to the request stages (2 to 4, <see cref="PageRequests"/>), and each
/// response to the page pipeline (5 to 10, <see cref="PagePipeline"/>).
/// </summary>
internal sealed class CrawlRunner
{
    private readonly RunCounters _counters;
    private readonly RunStop _stop = new();
    private readonly CrawlAudit _audit;
    private readonly Dispatcher _dispatcher;
    private readonly PageRequests _requests;
    private readonly PagePipeline _pipeline;
    private readonly ICrawlStateStore _state;
    private readonly IMandateStore _mandates;
    private readonly long _mandateId;
    private readonly PolicySet _policy;
    private readonly PageFetcherFactory _fetchers;
    private readonly NetworkGuard _guard;
    private readonly RunFrontier _frontier;
    private readonly PageReservations _reservations;
    private readonly CrawlerMetrics _metrics;
    private readonly SiteTemplates _templates;

    public CrawlRunner(CrawlDependencies d, CrawlTarget target, long mandateId, IReadOnlyCollection<long> mandateChain, CrawlRun run, RunFrontier frontier,
        int reservedPages, string actor, IProgress<CrawlProgress>? progress, NetworkGuard guard)
    {
        _frontier = frontier;
        _reservations = new PageReservations(d.State, run.Id, reservedPages, target.Spec.Scope.MaxPagesPerRun);
        _state = d.State;
        _mandates = d.Mandates;
        _mandateId = mandateId;
        _policy = d.Policy;
        _fetchers = d.Fetchers;
        _guard = guard;
        _metrics = d.Metrics;
        _counters = new RunCounters(run, d.Metrics);
        _audit = new CrawlAudit(d.Audit, actor, mandateId, d.Installation.Lab);
        var watch = new MandateWatch(d.Mandates, mandateId);
        var gate = new RequestGate(d.Mandates, watch, target, d.Policy, d.Installation.Lab, d.Time,
            Math.Max(run.Fetched, reservedPages), _reservations);
        var politeness = new HostPacing(target, d.Policy.Network.MinDelayMsPublic, d.Installation.Lab, d.Policy.ProductToken, d.HostSlots, d.Time);
        var robots = new RobotsRules(d.Robots, gate, politeness, _audit, _counters, d.Policy, d.Time);
        _requests = new PageRequests(gate, politeness, robots, d.Mandates, mandateId, _audit, _counters, _stop, d.Policy, d.Metrics, d.Time);
        var extractor = new AdExtractor(d.Policy.Fetch.NotPublicSelectors, d.Policy.Urls, d.Policy.Profiles.Find(target.Spec.Profile));
        _templates = new SiteTemplates(d.State, d.Pseudonymiser.SiteTemplateSecret(), d.Time);
        _pipeline = new PagePipeline(new ResponseGate(d.Mandates, watch, target, d.Policy, d.Time), extractor, _templates, frontier, d.Hits, watch,
            new ImageDigests(_requests, _audit, d.Pseudonymiser, d.Policy), new HitRecorder(d.Hits, d.Pseudonymiser, target, run.Id, d.Policy, d.Time),
            _audit, _counters, _stop, mandateId, mandateChain, d.Policy);
        _dispatcher = new Dispatcher(d.State, frontier, politeness, _counters, _stop, d.Policy.Fetch.MaxConcurrentRequests,
            target.Spec.Politeness.MaxConcurrencyPerHost, progress, d.Time);
    }

    public int Discarded => _counters.Discarded;

    /// <summary>Ends the run at its next request (the run lease was lost, say); requests in flight still finish.</summary>
    public void Stop(string reason) => _stop.Stop(reason);

    public async Task RunAsync(CancellationToken ct)
    {
        _metrics.RunStarted();
        try
        {
            await FetchAllAsync(ct);
        }
        finally
        {
            _metrics.RunEnded();
        }
    }

    private async Task FetchAllAsync(CancellationToken ct)
    {
        using var fetcher = _fetchers.Create(_guard, change =>
            // Polly reports a circuit's change synchronously; the store underneath completes synchronously too.
            _audit.RunEventAsync(AuditOperation.Circuit, "host:" + change.Host, change.Opened ? "opened" : "closed", "circuit breaker " + change.Reason,
                change.Opened ? "host.circuit-open" : "host.circuit-closed", null, CancellationToken.None).GetAwaiter().GetResult());
        await _dispatcher.RunAsync(async (item, requestOver, token) =>
        {
            // Marked as begun while the request goes out; the mark is committed before the answer is read, so a page
            // whose reading kills the process is known as such on resume.
            var started = _state.MarkStartedAsync(item.Id, CancellationToken.None);
            var (page, requeued) = await _requests.FetchAsync(fetcher, item, token);
            requestOver();
            await started;
            if (page is null)
            {
                // Stopped before an answer came: the item stays pending.
                return token.IsCancellationRequested ? ItemOutcome.Cancelled : requeued ? ItemOutcome.Requeued : ItemOutcome.Done;
            }

            // An answer that came in is read to its end, stop or not.
            await _pipeline.ProcessAsync(fetcher, item, page, token);
            return ItemOutcome.Done;
        }, ct);
    }

    /// <summary>
    /// What a resumed run owes to a process that died: every page request it may have sent unrecorded is charged to the
    /// run's and the mandate's page caps, and a URL that was in flight at too many deaths is given up.
    /// </summary>
    public async Task RecoverAsync(Core.Mandates.Mandate mandate, CancellationToken ct)
    {
        var run = _counters.Snapshot();
        var unrecorded = _reservations.Reserved - run.Fetched;
        if (unrecorded > 0)
        {
            var usage = await _mandates.UsageAsync(_mandateId, ct);
            var charged = (int)Math.Clamp(mandate.Spec.Limits.MaxPages - usage.PagesFetched, 0, unrecorded);
            for (var i = 0; i < charged; i++)
            {
                await _mandates.CountPageAsync(_mandateId, Durability.Applied, ct);
            }

            _counters.Unrecorded(unrecorded);
            await _audit.RunEventAsync(AuditOperation.CrawlStart, $"run:{run.Id}", "charged",
                $"the process that ran this crawl died with up to {unrecorded} page request(s) reserved but not recorded: they count as fetched " +
                $"against the run's page cap and {charged} against the mandate's", RunCrashRule, mandate, ct);
        }

        foreach (var item in _frontier.Quarantined)
        {
            _counters.Failed(CrawlAudit.QuarantineRule);
            await _audit.QuarantinedAsync(new Uri(item.Url),
                $"a crawler process died {item.Starts} times while this URL was in flight; it is not tried again in this run", mandate, _policy.Version, ct);
            await _state.CompleteAsync(new FrontierCompletion(item.Id, false, _counters.Snapshot()), ct);
        }

        await _state.SaveRunAsync(_counters.Snapshot(), ct);
    }

    /// <summary>The rule of the charge a resumed run pays for the requests a dead process may have sent.</summary>
    public const string RunCrashRule = "run.crash-charge";

    /// <summary>Saves how the run ended and records it; the outcome tells the truth about failures.</summary>
    public async Task<CrawlRun> FinishAsync(bool cancelled)
    {
        // What the run has used is what a later resume starts from; an unused part of a block is given back.
        await _reservations.TrimAsync(_counters.Snapshot().Fetched);
        await _templates.SaveAllAsync(CancellationToken.None);
        var snapshot = _counters.Snapshot();
        var (state, reason) = RunOutcome.Decide(_stop.Reason, cancelled, snapshot);
        var run = _counters.End(state, reason);
        await _state.SaveRunAsync(run, CancellationToken.None);
        var mandate = await _mandates.FindAsync(_mandateId, CancellationToken.None);
        var failures = run.FailureCount;
        var failed = failures == 0 || state is RunState.Failed or RunState.Partial ? "" : $"; failures: {RunOutcome.Describe(run.Failures!)}";
        await _audit.RunEventAsync(AuditOperation.CrawlEnd, $"run:{run.Id}", state.ToString().ToLowerInvariant(),
            $"{state.ToString().ToLowerInvariant()}: {reason}{failed} (fetched {run.Fetched}, refused {run.Refused}, hits {run.Hits}, failed {failures})", null,
            mandate, CancellationToken.None);
        return run;
    }
}

/// <summary>What every run needs from the application: stores (with the host slots every run shares), the trail, the key holder, the policy, the installation, the clock and the fetcher factory.</summary>
public sealed record CrawlDependencies(
    ICrawlStateStore State,
    IMandateStore Mandates,
    IHitStore Hits,
    IRobotsCache Robots,
    IHostSlots HostSlots,
    AuditTrail Audit,
    Core.Hits.Pseudonymiser Pseudonymiser,
    PolicySet Policy,
    Application.Installation Installation,
    TimeProvider Time,
    PageFetcherFactory Fetchers,
    Telemetry.CrawlerMetrics Metrics);
