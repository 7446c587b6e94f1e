using System.IO.Hashing;
using System.Text;
using Crawler.Core.Storage;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// The run's frontier in memory, over its durable copy in the store: every URL the run has seen is remembered as a
/// 64-bit fingerprint, so a link found again costs a hash look-up, not a query; the pending items are a queue in
/// memory, so picking the next costs nothing per item already done. New URLs are written to the store before they
/// are queued, so a resumed run finds them.
/// </summary>
internal sealed class RunFrontier
{
    private readonly ICrawlStateStore _store;
    private readonly long _runId;
    private readonly object _lock = new();
    private readonly HashSet<ulong> _seen = [];
    private readonly Dictionary<ulong, (FrontierItem Item, LinkedListNode<ulong> Node)> _pending = [];
    private readonly LinkedList<ulong> _order = new();
    private readonly List<FrontierItem> _quarantined = [];

    private RunFrontier(ICrawlStateStore store, long runId)
    {
        _store = store;
        _runId = runId;
    }

    /// <summary>A URL that was in flight when this many processes died is not tried again.</summary>
    public const int MaxStarts = 2;

    /// <summary>
    /// The run's frontier as stored: what it has seen, and what is still pending, oldest first. A pending item that was
    /// in flight when a process died is tried again, unless that happened <see cref="MaxStarts"/> times: then it is in
    /// <see cref="Quarantined"/>, not pending, so that one URL that kills the process cannot make the target uncrawlable.
    /// </summary>
    public static async Task<RunFrontier> LoadAsync(ICrawlStateStore store, long runId, CancellationToken ct)
    {
        var frontier = new RunFrontier(store, runId);
        foreach (var (item, done) in await store.FrontierAsync(runId, ct))
        {
            var key = Fingerprint(item.Url);
            frontier._seen.Add(key);
            if (done)
            {
                continue;
            }

            if (item.Starts >= MaxStarts)
            {
                frontier._quarantined.Add(item);
            }
            else
            {
                frontier._pending[key] = (item, frontier._order.AddLast(key));
            }
        }

        return frontier;
    }

    /// <summary>Pending items that were in flight when a process died too often: to be given up, not fetched.</summary>
    public IReadOnlyList<FrontierItem> Quarantined => _quarantined;

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds the URLs not seen before (a pending one found on a shorter path is queued with the shorter depth).</summary>
    public async Task AddAsync(IReadOnlyList<(string Url, int Depth)> urls, CancellationToken ct)
    {
        var fresh = new List<(string Url, int Depth)>();
        var shorter = new List<(long ItemId, int Depth)>();
        lock (_lock)
        {
            foreach (var (url, depth) in urls)
            {
                var key = Fingerprint(url);
                if (_seen.Add(key))
                {
                    fresh.Add((url, depth));
                }
                else if (_pending.TryGetValue(key, out var pending) && depth < pending.Item.Depth)
                {
                    _pending[key] = (pending.Item with { Depth = depth }, pending.Node);
                    shorter.Add((pending.Item.Id, depth));
                }
            }
        }

        if (fresh.Count == 0 && shorter.Count == 0)
        {
            return;
        }

        // The store adds the unseen ones without looking for them: this run holds its lease and knows its whole frontier.
        var added = fresh.Count == 0 ? [] : await _store.AddNewAsync(_runId, fresh, Durability.Applied, ct);
        if (shorter.Count > 0)
        {
            await _store.DeepenAsync(shorter, Durability.Applied, ct);
        }

        lock (_lock)
        {
            foreach (var item in added)
            {
                var key = Fingerprint(item.Url);
                _pending[key] = (item, _order.AddLast(key));
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> pending items, oldest first, leaving out those that are <paramref name="busy"/>.</summary>
    public IReadOnlyList<FrontierItem> Pending(int limit, Func<long, bool> busy)
    {
        var items = new List<FrontierItem>(Math.Min(limit, 64));
        lock (_lock)
        {
            for (var node = _order.First; node is not null && items.Count < limit; node = node.Next)
            {
                if (_pending.TryGetValue(node.Value, out var entry) && !busy(entry.Item.Id))
                {
                    items.Add(entry.Item);
                }
            }
        }

        return items;
    }

    /// <summary>The item was dealt with: gone from the queue, or back at its end with one more attempt.</summary>
    public void Complete(FrontierItem item, bool requeue)
    {
        var key = Fingerprint(item.Url);
        lock (_lock)
        {
            if (!_pending.TryGetValue(key, out var pending))
            {
                return;
            }

            _order.Remove(pending.Node);
            if (requeue)
            {
                _pending[key] = (pending.Item with { Attempts = pending.Item.Attempts + 1 }, _order.AddLast(key));
            }
            else
            {
                _pending.Remove(key);
            }
        }
    }

    private static ulong Fingerprint(string url) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(url));
}
