using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Fetching;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Crawler.Service.Crawling.Stages;

namespace Crawler.Service.Crawling;

/// <summary>Live counters for a progress display.</summary>
/// <summary>
/// The run as it goes: its counters, the URL last finished, failures by rule so far, and the host whose answer has been
/// awaited longest (with how long), so that a crawl held up by a silent server says what it is waiting for.
/// </summary>
public sealed record CrawlProgress(int Fetched, int Refused, int Hits, int Discarded, string? CurrentUrl,
    IReadOnlyDictionary<string, int>? Failures = null, string? WaitingOnHost = null, TimeSpan WaitingFor = default);

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
/// Starts (or resumes) one crawl of a target under the mandate that covers it, and runs it with <see cref="CrawlRunner"/>.
/// Every request is put to the policy gate at the instant it would be sent, with the mandate read afresh, so revocation,
/// expiry or a cap stops the crawl before its next request. One run per target at a time, across processes: a run holds
/// the target's lease (<see cref="RunLeases"/>) while it lasts.
/// </summary>
/// <param name="dependencies">Stores, trail, keys, policy, installation and clock for the run.</param>
/// <param name="targets">The targets.</param>
/// <param name="mandates">Finds the mandate that covers a target.</param>
/// <param name="linking">Links the new hits when the mandate allows it.</param>
/// <param name="access">Who starts the crawl.</param>
/// <param name="resolve">Name resolution for the network guard; the system resolver unless a test supplies answers it cannot get here.</param>
public sealed class CrawlService(CrawlDependencies dependencies, ITargetStore targets, MandateService mandates, LinkingService linking,
    AccessControl access, Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve = null)
{
    public const string ServiceActor = "crawler-service";

    public const string AlreadyRunningRule = "crawl.already-running";

    public const string RecrawlIntervalRule = "mandate.recrawl-interval";

    public const string DisabledRule = "target.disabled";

    private readonly RunLeases _leases = new(dependencies.State, dependencies.Policy, dependencies.Time);
    private readonly CrawlDependencies _d = dependencies;

    /// <param name="targetId">The target to crawl.</param>
    /// <param name="startedBy">The person who starts the crawl; null when the schedule does.</param>
    /// <param name="progress">Receives counters after each page.</param>
    /// <param name="cancellationToken">Stops the crawl between requests; the run is then resumable.</param>
    /// <param name="startNote">Added to the crawl-start entry: what the schedule skipped before this run, say.</param>
    /// <param name="started">Told the run once it has started (its crawl-start entry written): the console redirects to the run's page then.</param>
    public async Task<CrawlSummary> RunAsync(long targetId, string? startedBy, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken,
        string? startNote = null, Action<CrawlRun>? started = null)
    {
        var ct = cancellationToken;
        var person = startedBy is null ? null : (await access.RequireUserAsync(startedBy, ct)).Name;
        await access.AuthorizeAsync(Permission.CrawlRun, $"target:{targetId}", ct);
        var target = await targets.FindAsync(targetId, ct)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--target", $"no target with id {targetId} (see 'crawler target list')"));
        var now = _d.Time.GetUtcNow();
        var mandate = await mandates.FindCoveringAsync(target, now, ct);
        var actor = person is not null ? $"{ServiceActor} for {person}" : $"{ServiceActor} (schedule) for {mandate?.RequestedBy ?? "nobody"}";
        var lab = _d.Installation.Lab;
        if (target.Disabled is { } off)
        {
            var reason = $"target '{target.Name}' was disabled by {off.By} at {off.At:O}: {off.Reason}";
            await _d.Audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, DisabledRule, Lab: lab), ct);
            throw new RefusalException(DisabledRule, reason);
        }

        if (mandate is null)
        {
            var reason = $"no approved mandate covers target '{target.Name}' now: {await mandates.WhyNotCoveredAsync(target, now, ct)}";
            await _d.Audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, "mandate.present", Lab: lab), ct);
            throw new RefusalException("mandate.present", reason);
        }

        // Taken before the frontier is read: whoever holds it is the only one to resume or start a run of this target.
        var taking = await _leases.TryTakeAsync(targetId, ct);
        if (taking.Handle is null)
        {
            var holder = taking.Holder!;
            var reason = $"target '{target.Name}' is already being crawled since {holder.AcquiredAt:O} by another process (process {holder.ProcessId} on " +
                         $"{holder.HostName}, last heartbeat {holder.HeartbeatAt:O}); one run per target at a time";
            await _d.Audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, AlreadyRunningRule,
                mandate.Id, mandate.Version, mandate.Spec.Case, Lab: lab), ct);
            throw new RefusalException(AlreadyRunningRule, reason);
        }

        await using var lease = taking.Handle;
        var chain = (await mandates.VersionsAsync(mandate.Id, ct)).Select(m => m.Id).ToList();
        var run = await _d.State.UnfinishedRunAsync(targetId, ct);
        var resumed = run is not null && run.MandateId == mandate.Id;
        if (!resumed && await NextRunAllowedAtAsync(targetId, mandate, chain, now, ct) is { } allowedAt)
        {
            // The mandate binds how often a target is crawled, whatever its schedule says, over all its versions:
            // a renewal does not restart the interval.
            var reason = $"mandate {mandate.Id} allows a new run of target '{target.Name}' every {mandate.Spec.RecrawlIntervalHours} h " +
                         $"(counting runs under every version of the mandate); the next may start at {allowedAt:O}";
            await _d.Audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, RecrawlIntervalRule,
                mandate.Id, mandate.Version, mandate.Spec.Case, Lab: lab), ct);
            throw new RefusalException(RecrawlIntervalRule, reason);
        }

        if (!resumed)
        {
            if (run is not null)
            {
                await _d.State.SaveRunAsync(run with { State = RunState.Stopped, EndReason = "superseded: a new mandate covers the target" }, ct);
            }

            run = await _d.State.StartRunAsync(targetId, mandate.Id, actor, now, ct);
        }
        else
        {
            run = run! with { State = RunState.Running };
            await _d.State.SaveRunAsync(run, ct);
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

        await _d.Audit.AppendAsync(new AuditRecord(actor, AuditOperation.CrawlStart, $"run:{run.Id}", resumed ? "resumed" : "started",
            $"crawl of target '{target.Name}' under mandate {mandate.Id}{string.Concat(notes.Select(n => "; " + n))}", null,
            mandate.Id, mandate.Version, mandate.Spec.Case, Lab: lab), ct);
        started?.Invoke(run);
        var frontier = await RunFrontier.LoadAsync(_d.State, run.Id, ct);
        await frontier.AddAsync(target.Spec.Seeds.Select(seed => (seed, 0)).ToList(), ct);

        var runner = new CrawlRunner(_d, target, mandate.Id, chain, run, frontier, await _d.State.ReservedPagesAsync(run.Id, ct), actor, progress,
            new NetworkGuard(lab, _d.Policy.Network.AllowLoopbackInLab, resolve));
        lease.OnLost(runner.Stop);
        CrawlRun final;
        try
        {
            if (resumed)
            {
                await runner.RecoverAsync(mandate, ct);
            }

            await runner.RunAsync(ct);
        }
        finally
        {
            final = await runner.FinishAsync(ct.IsCancellationRequested);
        }

        if (final.Hits > 0 && (await _d.Mandates.FindAsync(mandate.Id, CancellationToken.None)) is { Spec.Linking: true })
        {
            // The mandate allows combining: new hits are linked with the case's earlier ones at once.
            await linking.LinkAsync(mandate.Id, actor, CancellationToken.None);
        }

        return new CrawlSummary(final.Id, targetId, mandate.Id, resumed, final.Fetched, final.Refused, final.Hits, runner.Discarded,
            final.State.ToString().ToLowerInvariant(), final.EndReason, final.Failures ?? new Dictionary<string, int>());
    }

    /// <summary>
    /// When the schedule may next start a run of the target: null when it may now (or when no mandate covers it,
    /// which <see cref="RunAsync"/> refuses and explains). A run left unfinished under the mandate may always resume.
    /// </summary>
    public async Task<DateTimeOffset?> NextScheduledStartAsync(long targetId, CancellationToken ct = default)
    {
        var now = _d.Time.GetUtcNow();
        if (await targets.FindAsync(targetId, ct) is not { } target || await mandates.FindCoveringAsync(target, now, ct) is not { } mandate ||
            await _d.State.UnfinishedRunAsync(targetId, ct) is { } run && run.MandateId == mandate.Id)
        {
            return null;
        }

        return await NextRunAllowedAtAsync(targetId, mandate, (await mandates.VersionsAsync(mandate.Id, ct)).Select(m => m.Id).ToList(), now, ct);
    }

    /// <summary>The live lease of another run of the target, if one holds it now.</summary>
    public Task<RunLease?> RunningElsewhereAsync(long targetId, CancellationToken ct = default) => _leases.LiveAsync(targetId, ct);

    /// <summary>When the mandate's recrawl interval allows a new run, if that is later than <paramref name="now"/>.</summary>
    private async Task<DateTimeOffset?> NextRunAllowedAtAsync(long targetId, Mandate mandate, IReadOnlyCollection<long> chain, DateTimeOffset now,
        CancellationToken ct)
    {
        if (mandate.Spec.RecrawlIntervalHours is not { } hours ||
            (await _d.State.RunsAsync(targetId, ct)).Where(r => chain.Contains(r.MandateId)).MaxBy(r => r.StartedAt) is not { } last)
        {
            return null;
        }

        var allowed = last.StartedAt + TimeSpan.FromHours(hours);
        return now < allowed ? allowed : null;
    }
}
