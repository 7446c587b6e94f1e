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

/// <summary>How a crawl run ended.</summary>
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
    string? EndReason);

/// <summary>
/// Runs one crawl of a target under the mandate that covers it. Every request is put to the
/// policy gate at the instant it would be sent, with the mandate read afresh from the store, so
/// revocation, expiry or a cap stops the crawl before its next request.
/// </summary>
/// <param name="context">The data folder, policy and clock.</param>
/// <param name="mandates">Finds the mandate that covers a target.</param>
/// <param name="resolve">Name resolution for the network guard; the system resolver unless a test supplies answers it cannot get here.</param>
public sealed class CrawlService(CrawlerContext context, MandateService mandates, Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve = null)
{
    public const string ServiceActor = "crawler-service";

    /// <param name="targetId">The target to crawl.</param>
    /// <param name="startedBy">The person who starts the crawl; null when the schedule does.</param>
    /// <param name="progress">Receives counters after each page.</param>
    /// <param name="cancellationToken">Stops the crawl between requests; the run is then resumable.</param>
    public async Task<CrawlSummary> RunAsync(long targetId, string? startedBy, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
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

        var run = context.Store.UnfinishedRun(targetId);
        var resumed = run is not null && run.MandateId == mandate.Id;
        if (!resumed && mandate.Spec.RecrawlIntervalHours is { } hours &&
            context.Store.Runs(targetId).Where(r => r.MandateId == mandate.Id).OrderBy(r => r.StartedAt).LastOrDefault() is { } last &&
            now - last.StartedAt < TimeSpan.FromHours(hours))
        {
            // The mandate binds how often a target is crawled, whatever its schedule says.
            var reason = $"mandate {mandate.Id} allows a new run of target '{target.Name}' every {hours} h; the last started {last.StartedAt:O}";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, "mandate.recrawl-interval",
                mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
            throw new RefusalException("mandate.recrawl-interval", reason);
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

        context.Audit(new AuditRecord(actor, AuditOperation.CrawlStart, $"run:{run.Id}", resumed ? "resumed" : "started",
            $"crawl of target '{target.Name}' under mandate {mandate.Id}", null, mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
        foreach (var seed in target.Spec.Seeds)
        {
            context.Store.Enqueue(run.Id, seed, 0);
        }

        var session = new CrawlSession(context, target, mandate.Id, run, actor, progress, new NetworkGuard(context.Lab, context.Policy.Network.AllowLoopbackInLab, resolve));
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
            final.State.ToString().ToLowerInvariant(), final.EndReason);
    }
}
