using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Service.Access;

namespace Crawler.Service.Application;

/// <summary>A target as the status page shows it: no seeds or scope, its name and schedule only.</summary>
public sealed record TargetStatus(long Id, string Name, string? Schedule, RunLease? RunningNow);

/// <summary>What the service is doing: the latest runs with their counters, and which targets are being crawled now.</summary>
public sealed record ServiceStatus(IReadOnlyList<CrawlRun> Runs, IReadOnlyList<TargetStatus> Targets, DateTimeOffset At);

/// <summary>
/// The operator's view (the console's status page): runs, counters and leases. It holds no personal data (target names,
/// counts, times), so reading it is not a consultation of police data and is not logged; it is still authorised.
/// </summary>
public sealed class StatusService(IInstallationStore installation, ICrawlStateStore crawlState, ITargetStore targets, Crawling.CrawlService crawls, AccessControl access, TimeProvider time)
{
    public async Task<ServiceStatus> StatusAsync(int latestRuns, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latestRuns, 1);
        await access.AuthorizeAsync(Permission.StatusRead, "status", ct);
        var now = time.GetUtcNow();
        var runs = (await crawlState.RunsAsync(null, ct)).OrderByDescending(r => r.Id).Take(latestRuns).ToList();
        var list = new List<TargetStatus>();
        foreach (CrawlTarget t in await targets.ListAsync(ct))
        {
            list.Add(new TargetStatus(t.Id, t.Name, t.Spec.Schedule, await crawls.RunningElsewhereAsync(t.Id, ct)));
        }

        return new ServiceStatus(runs, list, now);
    }

    /// <summary>Whether the database answers a read now (for <c>/readyz</c>; needs no one signed in and returns no data).</summary>
    public async Task<bool> DatabaseAnswersAsync(CancellationToken ct = default)
    {
        try
        {
            await installation.IsLabAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
