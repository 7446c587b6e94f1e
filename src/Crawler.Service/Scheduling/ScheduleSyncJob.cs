using Crawler.Core.Storage;
using Crawler.Service.Application;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>
/// Keeps Quartz in step with the data folder: a target gets a cron job while an active mandate
/// covers it and loses it when none does. Mandates change from the CLI while the service runs,
/// so this runs periodically rather than once at start. A run left interrupted by a stop is
/// fired at once, so the next start resumes it.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ScheduleSyncJob(ITargetStore targets, ICrawlStateStore runs, MandateService mandates, TimeProvider time, ILogger<ScheduleSyncJob> logger) : IJob
{
    public const string Group = "crawl-targets";

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
            var existing = await scheduler.GetTrigger(triggerKey, ct) as ICronTrigger;
            if (existing is not null && existing.CronExpressionString == cron)
            {
                continue;
            }

            var job = JobBuilder.Create<CrawlTargetJob>().WithIdentity(key).UsingJobData(CrawlTargetJob.TargetIdKey, targetId).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(key).WithCronSchedule(cron).Build();
            await scheduler.DeleteJob(key, ct);
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);

            LogScheduled(logger, targetId, cron);
            if (await runs.UnfinishedRunAsync(targetId, ct) is { State: RunState.Interrupted })
            {
                await scheduler.TriggerJob(key, cancellationToken: ct);
                LogResuming(logger, targetId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unscheduled {Job}: no active mandate covers it now")]
    private static partial void LogUnscheduled(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled target {TargetId} on '{Cron}'")]
    private static partial void LogScheduled(ILogger logger, long targetId, string cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the interrupted run of target {TargetId}")]
    private static partial void LogResuming(ILogger logger, long targetId);
}
