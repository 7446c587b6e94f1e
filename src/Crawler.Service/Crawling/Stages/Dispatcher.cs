using Crawler.Core.Storage;

namespace Crawler.Service.Crawling.Stages;

/// <summary>How one frontier item's processing ended.</summary>
internal enum ItemOutcome
{
    Done,
    Requeued,
    Cancelled,
}

/// <summary>
/// Stage 1, dispatch: keeps up to the policy's number of requests in flight, never more per host than the target
/// allows, and picks next the pending item whose host's slot comes first. Each item's end is saved with the run's
/// counters in one write.
/// </summary>
internal sealed class Dispatcher(ICrawlStateStore store, RunFrontier frontier, HostPacing politeness, RunCounters counters, RunStop stop, int globalCap,
    int perHost, IProgress<CrawlProgress>? progress)
{
    public async Task RunAsync(Func<FrontierItem, CancellationToken, Task<ItemOutcome>> process, CancellationToken ct)
    {
        var running = new Dictionary<Task<ItemOutcome>, FrontierItem>();
        var hostBusy = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            var stopping = ct.IsCancellationRequested || stop.Reason is not null;
            if (!stopping && running.Count < globalCap && Pick(running, hostBusy) is { } pick)
            {
                var host = HostPacing.HostKey(new Uri(pick.Url));
                hostBusy[host] = hostBusy.GetValueOrDefault(host) + 1;
                running[StartAsync(process, pick, ct)] = pick;
                continue;
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys);
            var item = running[finished];
            running.Remove(finished);
            hostBusy[HostPacing.HostKey(new Uri(item.Url))]--;
            var outcome = await finished;
            var run = counters.Snapshot();
            if (outcome == ItemOutcome.Cancelled || ct.IsCancellationRequested)
            {
                // Stopped mid-request: the item stays pending and is fetched again on resume.
                await store.SaveRunAsync(run, CancellationToken.None);
            }
            else
            {
                await store.CompleteAsync(new FrontierCompletion(item.Id, outcome == ItemOutcome.Requeued, run), CancellationToken.None);
                frontier.Complete(item, outcome == ItemOutcome.Requeued);
            }

            progress?.Report(new CrawlProgress(run.Fetched, run.Refused, run.Hits, counters.Discarded, item.Url));
        }
    }

    private static async Task<ItemOutcome> StartAsync(Func<FrontierItem, CancellationToken, Task<ItemOutcome>> process, FrontierItem item, CancellationToken ct)
    {
        // Start on the thread pool, so the dispatcher goes on filling slots while this item waits.
        await Task.Yield();
        try
        {
            return await process(item, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ItemOutcome.Cancelled;
        }
    }

    /// <summary>The pending item to start next: its host has room, and of those the host whose next slot comes first.</summary>
    private FrontierItem? Pick(Dictionary<Task<ItemOutcome>, FrontierItem> running, Dictionary<string, int> hostBusy)
    {
        var busyIds = running.Values.Select(v => v.Id).ToHashSet();
        FrontierItem? best = null;
        var bestWait = TimeSpan.MaxValue;
        foreach (var candidate in frontier.Pending(64, busyIds))
        {
            var url = new Uri(candidate.Url);
            if (hostBusy.GetValueOrDefault(HostPacing.HostKey(url)) >= perHost)
            {
                continue;
            }

            var wait = politeness.WaitFor(url);
            if (wait < bestWait)
            {
                (best, bestWait) = (candidate, wait);
                if (wait == TimeSpan.Zero)
                {
                    break;
                }
            }
        }

        return best;
    }
}
