using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Quartz;

namespace Crawler.Web.Pages;

/// <summary>A scheduled job as the status page shows it.</summary>
public sealed record JobStatus(string Name, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire);

/// <summary>The operator's view: targets and whether they are being crawled now, the latest runs with their counters, and the scheduler's jobs.</summary>
[RequirePermission(Permission.StatusRead)]
public sealed class StatusModel(StatusService status) : ConsolePageModel
{
    public ServiceStatus Status { get; private set; } = null!;

    /// <summary>Null when this process has no scheduler (the console run on its own).</summary>
    public IReadOnlyList<JobStatus>? Jobs { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Status = await status.StatusAsync(20, ct);
        if (HttpContext.RequestServices.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            var jobs = new List<JobStatus>();
            var triggers = await scheduler.QueryTriggers(new TriggerQuery { Take = PagedQuery.All }, ct);
            foreach (var trigger in triggers.Items)
            {
                jobs.Add(new JobStatus(trigger.JobKey.Name, trigger.NextFireTimeUtc, trigger.PreviousFireTimeUtc));
            }

            Jobs = jobs.OrderBy(j => j.NextFire ?? DateTimeOffset.MaxValue).ToList();
        }
    }
}
