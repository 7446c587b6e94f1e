using Crawler.Service.Application;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>Quartz fires it on retention.yaml's schedule; the retention service does the work.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionService retention, ILogger<RetentionJob> logger) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var report = retention.Run(dryRun: false);
        logger.LogInformation("Retention: {Items} items erased or restricted, {Frontier} frontier entries purged, compacted: {Compacted}",
            report.Items.Count, report.FrontierItemsPurged, report.Compacted);
        return ValueTask.CompletedTask;
    }
}
