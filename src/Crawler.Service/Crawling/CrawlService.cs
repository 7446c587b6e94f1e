using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Fetching;
using Crawler.Service.Application;

namespace Crawler.Service.Crawling;

/// <summary>Live counters for a progress display.</summary>
public sealed record CrawlProgress(int Fetched, int Refused, int Hits, int Discarded, string? CurrentUrl);

/// <summary>
/// How a crawl run ended. <see cref="State"/> is <c>completed</c>, <c>partial</c>, <c>failed</c>, <c>stopped</c>
/// or <c>interrupted</c>; <see cref="Failures"/> counts the URLs that failed in transport or on a fetch guard, by rule.
/// </summary>
public sealed record CrawlSummary(
    long RunId,
    long TargetId,
    long MandateId,
    bool Resumed,
    int Fetched,
    int Refused,
    int Hits,
    int Discarded,
    string State,
    string? EndReason,
    IReadOnlyDictionary<string, int> Failures);

/// <summary>
/// Runs one crawl of a target under the mandate that covers it. Every request is put to the
/// policy gate at the instant it would be sent, with the mandate read afresh from the store, so
/// revocation, expiry or a cap stops the crawl before its next request. One run per target at a
/// time, across processes: a run holds the target's lease (<see cref="RunLeases"/>) while it lasts.
/// </summary>
/// <param name="context">The data folder, policy and clock.</param>
/// <param name="mandates">Finds the mandate that covers a target.</param>
/// <param name="resolve">Name resolution for the network guard; the system resolver unless a test supplies answers it cannot get here.</param>
public sealed class CrawlService(CrawlerContext context, MandateService mandates, Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve = null)
{
    public const string ServiceActor = "crawler-service";

    public const string AlreadyRunningRule = "crawl.already-running";

    public const string RecrawlIntervalRule = "mandate.recrawl-interval";

    private readonly RunLeases _leases = new(context);

    /// <param name="targetId">The target to crawl.</param>
    /// <param name="startedBy">The person who starts the crawl; null when the schedule does.</param>
    /// <param name="progress">Receives counters after each page.</param>
    /// <param name="cancellationToken">Stops the crawl between requests; the run is then resumable.</param>
    /// <param name="startNote">Added to the crawl-start entry: what the schedule skipped before this run, say.</param>
    public async Task<CrawlSummary> RunAsync(long targetId, string? startedBy, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken,
        string? startNote = null)
    {
        string? person = null;
        if (startedBy is not null)
        {
            person = context.RequireUser(startedBy).Name;
        }

        context.Authorize(Permission.CrawlRun, $"target:{targetId}");
        var target = context.Store.FindTarget(targetId)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--target", $"no target with id {targetId} (see 'crawler target list')"));
        var now = context.Now;
        var mandate = mandates.FindCovering(target, now);
        string actor;
        if (person is not null)
        {
            actor = $"{ServiceActor} for {person}";
        }
        else
        {
            actor = $"{ServiceActor} (schedule) for {mandate?.RequestedBy ?? "nobody"}";
        }

        if (mandate is null)
        {
            var reason = $"no approved mandate covers target '{target.Name}' now: {mandates.WhyNotCovered(target, now)}";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, "mandate.present", Lab: context.Lab));
            throw new RefusalException("mandate.present", reason);
        }

        // Taken before the frontier is read: whoever holds it is the only one to resume or start a run of this target.
        var taking = _leases.TryTake(targetId);
        if (taking.Handle is null)
        {
            var holder = taking.Holder!;
            var reason = $"target '{target.Name}' is already being crawled since {holder.AcquiredAt:O} by another process (process {holder.ProcessId} on " +
                         $"{holder.HostName}, last heartbeat {holder.HeartbeatAt:O}); one run per target at a time";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, AlreadyRunningRule,
                mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
            throw new RefusalException(AlreadyRunningRule, reason);
        }

        using var lease = taking.Handle;
        var chain = mandates.Versions(mandate.Id).Select(m => m.Id).ToList();
        var run = context.Store.UnfinishedRun(targetId);
        var resumed = run is not null && run.MandateId == mandate.Id;
        if (!resumed && NextRunAllowedAt(targetId, mandate, chain, now) is { } allowedAt)
        {
            // The mandate binds how often a target is crawled, whatever its schedule says, over all its versions:
            // a renewal does not restart the interval.
            var reason = $"mandate {mandate.Id} allows a new run of target '{target.Name}' every {mandate.Spec.RecrawlIntervalHours} h " +
                         $"(counting runs under every version of the mandate); the next may start at {allowedAt:O}";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, RecrawlIntervalRule,
                mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
            throw new RefusalException(RecrawlIntervalRule, reason);
        }

        if (!resumed)
        {
            if (run is not null)
            {
                context.Store.SaveRun(run with { State = RunState.Stopped, EndReason = "superseded: a new mandate covers the target" });
            }

            run = context.Store.StartRun(targetId, mandate.Id, actor, now);
        }
        else
        {
            run = run! with { State = RunState.Running };
            context.Store.SaveRun(run);
        }

        var notes = new List<string>();
        if (taking.Replaced is { } dead)
        {
            notes.Add($"took over the run lease of process {dead.ProcessId} on {dead.HostName} (held since {dead.AcquiredAt:O}): {_leases.DeathOf(dead, now)}");
        }

        if (startNote is not null)
        {
            notes.Add(startNote);
        }

        context.Audit(new AuditRecord(actor, AuditOperation.CrawlStart, $"run:{run.Id}", resumed ? "resumed" : "started",
            $"crawl of target '{target.Name}' under mandate {mandate.Id}{string.Concat(notes.Select(n => "; " + n))}", null,
            mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
        foreach (var seed in target.Spec.Seeds)
        {
            context.Store.Enqueue(run.Id, seed, 0);
        }

        var session = new CrawlSession(context, target, mandate.Id, chain, run, actor, progress,
            new NetworkGuard(context.Lab, context.Policy.Network.AllowLoopbackInLab, resolve));
        lease.OnLost(session.Stop);
        try
        {
            await session.RunAsync(cancellationToken);
        }
        finally
        {
            session.Finish(cancellationToken.IsCancellationRequested);
        }

        var final = session.Run;
        if (final.Hits > 0 && context.Store.FindMandate(mandate.Id) is { Spec.Linking: true })
        {
            // The mandate allows combining: new hits are linked with the case's earlier ones at once.
            new Application.LinkingService(context).Link(mandate.Id, actor);
        }

        return new CrawlSummary(final.Id, targetId, mandate.Id, resumed, final.Fetched, final.Refused, final.Hits, session.Discarded,
            final.State.ToString().ToLowerInvariant(), final.EndReason, final.Failures ?? new Dictionary<string, int>());
    }

    /// <summary>
    /// When the schedule may next start a run of the target: null when it may now (or when no mandate covers it,
    /// which <see cref="RunAsync"/> refuses and explains). A run left unfinished under the mandate may always resume.
    /// </summary>
    public DateTimeOffset? NextScheduledStart(long targetId)
    {
        var now = context.Now;
        if (context.Store.FindTarget(targetId) is not { } target || mandates.FindCovering(target, now) is not { } mandate ||
            context.Store.UnfinishedRun(targetId) is { } run && run.MandateId == mandate.Id)
        {
            return null;
        }

        return NextRunAllowedAt(targetId, mandate, mandates.Versions(mandate.Id).Select(m => m.Id).ToList(), now);
    }

    /// <summary>The live lease of another run of the target, if one holds it now.</summary>
    public RunLease? RunningElsewhere(long targetId) => _leases.Live(targetId);

    /// <summary>When the mandate's recrawl interval allows a new run, if that is later than <paramref name="now"/>.</summary>
    private DateTimeOffset? NextRunAllowedAt(long targetId, Mandate mandate, IReadOnlyCollection<long> chain, DateTimeOffset now)
    {
        if (mandate.Spec.RecrawlIntervalHours is not { } hours ||
            context.Store.Runs(targetId).Where(r => chain.Contains(r.MandateId)).MaxBy(r => r.StartedAt) is not { } last)
        {
            return null;
        }

        var allowed = last.StartedAt + TimeSpan.FromHours(hours);
        return now < allowed ? allowed : null;
    }
}
