using System.Threading.Channels;
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
/// allows, and picks next the pending item whose host's slot comes first. An item holds its request slot until its
/// response is in (the processing callback gives it back), and a processing slot until its end is saved: a page being
/// extracted and recorded does not keep the next request to its host waiting. Each item's end is saved with the
/// run's counters in one write, by the item itself, so that the dispatcher never waits on the store.
/// </summary>
internal sealed class Dispatcher(ICrawlStateStore store, RunFrontier frontier, HostPacing politeness, RunCounters counters, RunStop stop, int globalCap,
    int perHost, IProgress<CrawlProgress>? progress)
{
    /// <summary>
    /// Pages past their request, being extracted, admitted and recorded at once. Recording waits for the store's group
    /// commit, so several pages wait together; the bound keeps their memory (a page and its parse) in check.
    /// </summary>
    public const int MaxPagesInProcess = 256;

    private readonly Channel<ItemEvent> _events = Channel.CreateUnbounded<ItemEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Processes items until none is pending and none in flight, or the run stops.</summary>
    /// <param name="process">Fetches and processes one item; calls its second argument once the item's request is over.</param>
    /// <param name="ct">Ends the run: no item starts; an item whose answer is not in stays pending, one whose answer is in is finished.</param>
    public async Task RunAsync(Func<FrontierItem, Action, CancellationToken, Task<ItemOutcome>> process, CancellationToken ct)
    {
        var running = new Dictionary<long, (FrontierItem Item, Task Task)>();
        var hostBusy = new Dictionary<string, int>(StringComparer.Ordinal);
        var requests = 0;
        while (true)
        {
            var stopping = ct.IsCancellationRequested || stop.Reason is not null;
            if (!stopping && requests < globalCap && running.Count < Math.Max(globalCap, MaxPagesInProcess) && Pick(running, hostBusy) is { } pick)
            {
                var host = HostPacing.HostKey(new Uri(pick.Url));
                hostBusy[host] = hostBusy.GetValueOrDefault(host) + 1;
                requests++;
                running[pick.Id] = (pick, RunItemAsync(process, pick, ct));
                continue;
            }

            if (running.Count == 0)
            {
                break;
            }

            // Wait for a request or an item to end; take every event already there before picking again.
            var next = await _events.Reader.ReadAsync(CancellationToken.None);
            do
            {
                if (next.Finished)
                {
                    var (_, task) = running[next.Item.Id];
                    running.Remove(next.Item.Id);

                    // An item that failed (not cancelled) fails the run, as it did before items saved their own end.
                    await task;
                }
                else
                {
                    hostBusy[HostPacing.HostKey(new Uri(next.Item.Url))]--;
                    requests--;
                }
            }
            while (_events.Reader.TryRead(out next));
        }
    }

    private async Task RunItemAsync(Func<FrontierItem, Action, CancellationToken, Task<ItemOutcome>> process, FrontierItem item, CancellationToken ct)
    {
        var requestOver = 0;
        void EndRequest()
        {
            if (Interlocked.Exchange(ref requestOver, 1) == 0)
            {
                _events.Writer.TryWrite(new ItemEvent(item, Finished: false));
            }
        }

        try
        {
            // Start on the thread pool, so the dispatcher goes on filling slots while this item waits.
            await Task.Yield();
            ItemOutcome outcome;
            try
            {
                outcome = await process(item, EndRequest, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                outcome = ItemOutcome.Cancelled;
            }

            EndRequest();
            var run = counters.Snapshot();
            if (outcome == ItemOutcome.Cancelled)
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
        finally
        {
            EndRequest();
            _events.Writer.TryWrite(new ItemEvent(item, Finished: true));
        }
    }

    /// <summary>The pending item to start next: its host has room, and of those the host whose next slot comes first.</summary>
    private FrontierItem? Pick(Dictionary<long, (FrontierItem Item, Task Task)> running, Dictionary<string, int> hostBusy)
    {
        FrontierItem? best = null;
        var bestWait = TimeSpan.MaxValue;
        foreach (var candidate in frontier.Pending(64, running.ContainsKey))
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

    /// <summary>An item's request is over, or the item is.</summary>
    private sealed record ItemEvent(FrontierItem Item, bool Finished);
}
