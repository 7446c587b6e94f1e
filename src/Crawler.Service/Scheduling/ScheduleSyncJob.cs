using Crawler.Core.Storage;
using Crawler.Service.Application;
using Crawler.Service.Crawling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>
/// Keeps Quartz in step with the database: a target gets a cron job while an active mandate covers it and loses it
/// when none does. Mandates change from the CLI while the service runs, so this runs periodically rather than once at
/// start. It also resumes orphaned runs: a run left unfinished whose lease nobody holds alive (a stop, or a process or
/// machine that died mid-crawl) is fired at once, on whichever instance takes the firing, and resumes from its
/// persisted frontier. This sweep, not Quartz's job recovery, is what takes a dead instance's run over: Quartz notices
/// a dead instance when its check-ins stop, but the run may be taken only once its lease has expired, which is later
/// on another machine; a recovery firing before then would be refused and lost, and one after a run that had just
/// finished would start a second run. The sweep asks the lease, on every sync, until the run is taken over.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ScheduleSyncJob(ITargetStore targets, ICrawlStateStore runs, MandateService mandates, CrawlService crawls, TimeProvider time,
    ILogger<ScheduleSyncJob> logger) : IJob
{
    public const string Group = "crawl-targets";

    /// <summary>The group of the one-off firings that resume an orphaned run (one pending per target at most).</summary>
    public const string ResumeGroup = "crawl-resume";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduler = context.Scheduler;
        var ct = cancellationToken;
        var now = time.GetUtcNow();
        var wanted = new Dictionary<JobKey, (long TargetId, string Cron)>();
        foreach (var target in await targets.ListAsync(ct))
        {
            var key = new JobKey($"target-{target.Id}", Group);
            if (!target.IsDisabled && target.Spec.Schedule is { } cron && await mandates.FindCoveringAsync(target, now, ct) is not null)
            {
                wanted[key] = (target.Id, cron);
            }
            else if (await scheduler.DeleteJob(key, ct))
            {
                LogUnscheduled(logger, key.Name);
            }
        }

        foreach (var (key, (targetId, cron)) in wanted)
        {
            var triggerKey = new TriggerKey(key.Name, Group);
            if (await scheduler.GetTrigger(triggerKey, ct) is not ICronTrigger existing || existing.CronExpressionString != cron)
            {
                // Replacing, never adding: instances that sync the same change one after the other leave one job and one trigger.
                var job = JobBuilder.Create<CrawlTargetJob>().WithIdentity(key).UsingJobData(CrawlTargetJob.TargetIdKey, targetId).Build();
                var trigger = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(key).WithCronSchedule(cron).Build();
                await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
                LogScheduled(logger, targetId, cron);
            }

            await ResumeOrphanAsync(scheduler, key, targetId, ct);
        }
    }

    private async Task ResumeOrphanAsync(IScheduler scheduler, JobKey key, long targetId, CancellationToken ct)
    {
        if (await runs.UnfinishedRunAsync(targetId, ct) is not { } run || await crawls.RunningElsewhereAsync(targetId, ct) is not null)
        {
            return;
        }

        // One key per target, kept if already pending: a resume asked for and still waiting for an instance (or for
        // the dead instance's firing to be released) is not asked for again.
        var resume = new TriggerKey(key.Name, ResumeGroup);
        if (await scheduler.Exists(resume, ct))
        {
            return;
        }

        var trigger = TriggerBuilder.Create().WithIdentity(resume).ForJob(key).UsingJobData(CrawlTargetJob.ResumeRunKey, run.Id).StartNow().Build();
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, ct);
        LogResuming(logger, targetId, run.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unscheduled {Job}: no active mandate covers it now")]
    private static partial void LogUnscheduled(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled target {TargetId} on '{Cron}'")]
    private static partial void LogScheduled(ILogger logger, long targetId, string cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming run {RunId} of target {TargetId}: it is unfinished and no live process holds its lease")]
    private static partial void LogResuming(ILogger logger, long targetId, long runId);
}
