using Crawler.Service.Access;
using Crawler.Service.Application;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>Quartz fires it on retention.yaml's schedule; the retention service does the work, as the service itself.</summary>
[DisallowConcurrentExecution]
public sealed partial class RetentionJob(RetentionService retention, AccessControl access, ILogger<RetentionJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        access.ActAsService();
        var report = await retention.RunAsync(dryRun: false, cancellationToken);
        LogRetention(report.Items.Count, report.FrontierItemsPurged, report.Compacted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Items} items erased or restricted, {Frontier} frontier entries purged, compacted: {Compacted}")]
    private partial void LogRetention(int items, int frontier, bool compacted);
}
