using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Runs, their frontiers (one document per URL, found by run) and their leases.</summary>
public sealed class LiteCrawlStateStore(LiteDatabaseContext db) : ICrawlStateStore
{
    public Task<CrawlRun> StartRunAsync(long targetId, long mandateId, string startedBy, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var id = d.GetCollection("runs", BsonAutoId.Int64).Insert(new BsonDocument { ["targetId"] = targetId }).AsInt64;
            var run = new CrawlRun(id, targetId, mandateId, startedBy, at, RunState.Running, 0, 0, 0, null);
            Save(d, run);
            return (run, true);
        });

    public Task<CrawlRun?> UnfinishedRunAsync(long targetId, CancellationToken ct = default) => db.ReadAsync(d =>
        Runs(d, targetId).LastOrDefault(r => r.State is RunState.Running or RunState.Interrupted));

    public Task SaveRunAsync(CrawlRun run, CancellationToken ct = default) => db.WriteAsync(d => Save(d, run));

    public Task<IReadOnlyList<CrawlRun>> RunsAsync(long? targetId, CancellationToken ct = default) => db.ReadAsync(d => Runs(d, targetId));

    public Task<CrawlRun?> FindRunAsync(long runId, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("runs").FindById(runId) is { } doc && doc.ContainsKey("json") ? StoreJson.Read<CrawlRun>(doc["json"].AsString) : null);

    public Task<IReadOnlyList<FrontierItem>> EnqueueAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(d =>
        {
            // Without an index on the URL (a random key in a large index costs a page write for every new URL), the run's
            // frontier is read once here; a crawl, which holds its frontier in memory, adds through AddNewAsync instead.
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            var known = col.Find(Filters.Equal("runId", runId)).ToDictionary(doc => doc["url"].AsString, StringComparer.Ordinal);
            var added = new List<FrontierItem>();
            var deepened = false;
            foreach (var (url, depth) in urls)
            {
                if (known.TryGetValue(url, out var existing))
                {
                    // The shortest way to a URL decides its depth, whichever request found it first.
                    if (!existing["done"].AsBoolean && depth < existing["depth"].AsInt32)
                    {
                        existing["depth"] = depth;
                        col.Update(existing);
                        deepened = true;
                    }

                    continue;
                }

                var doc = new BsonDocument { ["runId"] = runId, ["url"] = url, ["depth"] = depth, ["done"] = false };
                var id = col.Insert(doc).AsInt64;
                known[url] = doc;
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, added.Count > 0 || deepened);
        }, durability);

    public Task<IReadOnlyList<FrontierItem>> AddNewAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(d =>
        {
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            var added = new List<FrontierItem>(urls.Count);
            foreach (var (url, depth) in urls)
            {
                var id = col.Insert(new BsonDocument { ["runId"] = runId, ["url"] = url, ["depth"] = depth, ["done"] = false }).AsInt64;
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, true);
        }, durability);

    public Task DeepenAsync(IReadOnlyList<(long ItemId, int Depth)> items, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        items.Count == 0 ? Task.CompletedTask : db.WriteAsync(d =>
        {
            var col = d.GetCollection("frontier");
            var changed = false;
            foreach (var (itemId, depth) in items)
            {
                if (col.FindById(itemId) is { } doc && !doc["done"].AsBoolean && depth < doc["depth"].AsInt32)
                {
                    doc["depth"] = depth;
                    col.Update(doc);
                    changed = true;
                }
            }

            return (changed, changed);
        }, durability);

    public Task<IReadOnlyList<(FrontierItem Item, bool Done)>> FrontierAsync(long runId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<(FrontierItem, bool)>>(d => d.GetCollection("frontier")
            .Find(Filters.Equal("runId", runId))
            .Select(doc => (Item(doc, runId), doc["done"].AsBoolean))
            .OrderBy(e => e.Item1.Id)
            .ToList());

    public Task<IReadOnlyList<FrontierItem>> PendingAsync(long runId, int limit, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<FrontierItem>>(d => d.GetCollection("frontier").Query()
            .Where(Filters.Equal("runId", runId))
            .Where(Filters.Equal("done", false))
            .OrderBy("_id")
            .Limit(limit)
            .ToEnumerable()
            .Select(doc => Item(doc, runId))
            .ToList());

    public Task CompleteAsync(FrontierCompletion completion, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            if (col.FindById(completion.ItemId) is { } doc)
            {
                // Its handling ended, one way or another: it was not in flight when a process died.
                doc["starts"] = Math.Max(0, Int(doc, "starts") - 1);
                if (completion.Requeue)
                {
                    // Pending still, with one more attempt counted; the run puts it at the end of its queue.
                    doc["attempts"] = Int(doc, "attempts") + 1;
                }
                else if (!completion.Abandon)
                {
                    doc["done"] = true;
                }

                col.Update(doc);
            }

            if (completion.Run is { } run)
            {
                Save(d, run);
            }
        });

    public Task MarkStartedAsync(long itemId, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("frontier");
            if (col.FindById(itemId) is not { } doc)
            {
                return (false, false);
            }

            doc["starts"] = Int(doc, "starts") + 1;
            col.Update(doc);
            return (true, true);
        });

    public Task ReservePagesAsync(long runId, int pages, CancellationToken ct = default) =>
        db.WriteAsync(d => d.GetCollection("runReservations").Upsert(new BsonDocument { ["_id"] = runId, ["pages"] = pages }));

    public Task<int> ReservedPagesAsync(long runId, CancellationToken ct = default) =>
        db.ReadAsync(d => d.GetCollection("runReservations").FindById(runId) is { } doc ? doc["pages"].AsInt32 : 0);

    public Task<RunLeaseAttempt> TryTakeLeaseAsync(RunLease candidate, Func<RunLease, bool> isDead, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("runLeases");
            var held = col.FindById(candidate.TargetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null;
            if (held is not null && held.OwnerId != candidate.OwnerId && !isDead(held))
            {
                return (new RunLeaseAttempt(null, held, null), false);
            }

            col.Upsert(new BsonDocument { ["_id"] = candidate.TargetId, ["owner"] = candidate.OwnerId, ["json"] = StoreJson.Write(candidate) });
            return (new RunLeaseAttempt(candidate, null, held?.OwnerId == candidate.OwnerId ? null : held), true);
        });

    public Task<bool> RenewLeaseAsync(long targetId, string ownerId, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("runLeases");
            if (col.FindById(targetId) is not { } doc || doc["owner"].AsString != ownerId)
            {
                return (false, false);
            }

            doc["json"] = StoreJson.Write(StoreJson.Read<RunLease>(doc["json"].AsString) with { HeartbeatAt = at });
            col.Update(doc);
            return (true, true);
        });

    public Task ReleaseLeaseAsync(long targetId, string ownerId, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("runLeases");
            var mine = col.FindById(targetId) is { } doc && doc["owner"].AsString == ownerId;
            if (mine)
            {
                col.Delete(targetId);
            }

            return (mine, mine);
        });

    public Task<RunLease?> FindLeaseAsync(long targetId, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("runLeases").FindById(targetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null);

    public Task SaveTemplateAsync(HostTemplate hostTemplate, CancellationToken ct = default) =>
        db.WriteAsync(d => d.GetCollection("siteTemplates").Upsert(new BsonDocument { ["_id"] = hostTemplate.Host, ["json"] = StoreJson.Write(hostTemplate) }));

    public Task<HostTemplate?> FindTemplateAsync(string host, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("siteTemplates").FindById(host) is { } doc ? StoreJson.Read<HostTemplate>(doc["json"].AsString) : null);

    private static IReadOnlyList<CrawlRun> Runs(LiteDatabase d, long? targetId)
    {
        var col = d.GetCollection("runs");
        var docs = targetId is null ? col.FindAll() : col.Find(Filters.Equal("targetId", targetId.Value));
        return docs.Where(doc => doc.ContainsKey("json")).Select(doc => StoreJson.Read<CrawlRun>(doc["json"].AsString)).OrderBy(r => r.Id).ToList();
    }

    /// <summary>Marks a frontier item done inside the caller's transaction (the write that stores its page's hit).</summary>
    internal static void MarkDone(LiteDatabase d, long itemId)
    {
        var col = d.GetCollection("frontier");
        if (col.FindById(itemId) is { } doc && !doc["done"].AsBoolean)
        {
            doc["done"] = true;
            col.Update(doc);
        }
    }

    private static FrontierItem Item(BsonDocument doc, long runId) =>
        new(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32, Int(doc, "attempts"), Int(doc, "starts"));

    private static int Int(BsonDocument doc, string field) => doc.TryGetValue(field, out var value) && value.IsInt32 ? value.AsInt32 : 0;

    private static void Save(LiteDatabase d, CrawlRun run) =>
        d.GetCollection("runs").Upsert(new BsonDocument { ["_id"] = run.Id, ["targetId"] = run.TargetId, ["json"] = StoreJson.Write(run) });
}
