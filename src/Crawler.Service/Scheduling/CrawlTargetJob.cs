using Crawler.Core.Mandates;
using Crawler.Service.Crawling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crawler.Service.Scheduling;

/// <summary>A thin adapter: Quartz fires it on the target's cron schedule, the crawl service does the work.</summary>
[DisallowConcurrentExecution]
public sealed class CrawlTargetJob(CrawlService crawls, IHostApplicationLifetime lifetime, ILogger<CrawlTargetJob> logger) : IJob
{
    public const string TargetIdKey = "targetId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var targetId = context.MergedJobDataMap.GetLong(TargetIdKey);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // A firing that queued behind a running crawl must not start once the service is stopping.
            return;
        }

        // Quartz waits for running jobs at shutdown but does not cancel them; stopping the host must
        // end the crawl at its next request, with the frontier saved for the next start.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            var summary = await crawls.RunAsync(targetId, startedBy: null, progress: null, stop.Token);
            logger.LogInformation("Crawl of target {TargetId} {State}: fetched {Fetched}, refused {Refused}, hits {Hits} ({Reason})",
                targetId, summary.State, summary.Fetched, summary.Refused, summary.Hits, summary.EndReason);
        }
        catch (RefusalException ex)
        {
            // Already in the audit trail; the schedule sync removes the job once no mandate covers the target.
            logger.LogWarning("Crawl of target {TargetId} refused: {Reason}", targetId, ex.Message);
        }
    }
}
