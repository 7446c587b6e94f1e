using Crawler.Core.Mandates;
using Crawler.Service.Crawling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>
/// A thin adapter: Quartz fires it on the target's cron schedule, the crawl service does the work. The
/// schedule never outruns the mandate: until the mandate's recrawl interval has passed, a tick does not even
/// try to start a run, and while another process crawls the target, a tick does not ask again; such ticks
/// are counted (<see cref="SkippedTicks"/>), not logged and audited one by one.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CrawlTargetJob(CrawlService crawls, Core.Storage.ICrawlStateStore runs, Access.AccessControl access, SkippedTicks skipped,
    TimeProvider time, IHostApplicationLifetime lifetime, ILogger<CrawlTargetJob> logger) : IJob
{
    public const string TargetIdKey = "targetId";

    /// <summary>On a firing that resumes an orphaned run (<see cref="ScheduleSyncJob"/>): the run's id.</summary>
    public const string ResumeRunKey = "resumeRun";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var targetId = context.MergedJobDataMap.GetLong(TargetIdKey);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // A firing that queued behind a running crawl must not start once the service is stopping.
            return;
        }

        if (context.MergedJobDataMap.ContainsKey(ResumeRunKey) &&
            (await runs.UnfinishedRunAsync(targetId, cancellationToken))?.Id != context.MergedJobDataMap.GetLong(ResumeRunKey))
        {
            // A resume that came after the run was finished (by the instance that resumed it first): it never starts a new run.
            return;
        }

        // The schedule acts as the service itself: no person started this run.
        access.ActAsService();
        var now = time.GetUtcNow();
        if (await crawls.NextScheduledStartAsync(targetId, cancellationToken) is { } allowedAt)
        {
            if (skipped.Skip(targetId, CrawlService.RecrawlIntervalRule, now, $"the mandate allows the next run at {allowedAt:O}"))
            {
                LogWaitingForInterval(targetId, allowedAt);
            }

            return;
        }

        if (skipped.IsSkipping(targetId, CrawlService.AlreadyRunningRule) && await crawls.RunningElsewhereAsync(targetId, cancellationToken) is not null)
        {
            // Refused and logged once already; the other process still holds the target.
            skipped.Skip(targetId, CrawlService.AlreadyRunningRule, now, "another process crawls the target");
            return;
        }

        // Quartz waits for running jobs at shutdown but does not cancel them; stopping the host must
        // end the crawl at its next request, with the frontier saved for the next start.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            var streak = skipped.Peek(targetId);
            var summary = await crawls.RunAsync(targetId, startedBy: null, progress: null, stop.Token,
                streak is null ? null : SkippedTicks.Describe(streak));
            skipped.Clear(targetId);
            if (streak is not null)
            {
                LogTicksSkipped(targetId, streak.Count, streak.Since, streak.Rule);
            }

            LogCrawlEnded(targetId, summary.State, summary.Fetched, summary.Refused, summary.Hits, summary.Failures.Values.Sum());
        }
        catch (RefusalException ex) when (ex.Rule is CrawlService.AlreadyRunningRule or CrawlService.RecrawlIntervalRule)
        {
            // In the audit trail once; the ticks after it are counted until a run starts.
            if (skipped.Skip(targetId, ex.Rule, now, ex.Message))
            {
                LogRefused(targetId, ex.Rule, ex.Message);
            }
        }
        catch (RefusalException ex)
        {
            // Already in the audit trail; the schedule sync removes the job once no mandate covers the target.
            LogRefused(targetId, ex.Rule, ex.Message);
        }
    }

    // Refusal reasons name targets, mandates and processes, never a page's URL.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Crawl of target {TargetId} refused ({Rule}): {Reason}")]
    private partial void LogRefused(long targetId, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Target {TargetId}: the mandate's recrawl interval allows the next run at {AllowedAt:O}; ticks until then are counted, not logged")]
    private partial void LogWaitingForInterval(long targetId, DateTimeOffset allowedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {TargetId}: {Count} schedule ticks were skipped since {Since:O} ({Rule})")]
    private partial void LogTicksSkipped(long targetId, int count, DateTimeOffset since, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crawl of target {TargetId} {State}: fetched {Fetched}, refused {Refused}, hits {Hits}, failed {Failed}")]
    private partial void LogCrawlEnded(long targetId, string state, int fetched, int refused, int hits, int failed);
}
