using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Runs, their frontiers (one document per URL, keyed by run and URL hash) and their leases.</summary>
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

    public Task<IReadOnlyList<FrontierItem>> EnqueueAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(d =>
        {
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            var added = new List<FrontierItem>();
            var deepened = false;
            foreach (var (url, depth) in urls)
            {
                var key = Key(runId, url);
                if (col.FindOne(Filters.Equal("key", key)) is { } existing)
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

                var id = col.Insert(new BsonDocument { ["key"] = key, ["runId"] = runId, ["url"] = url, ["depth"] = depth, ["done"] = false }).AsInt64;
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, added.Count > 0 || deepened);
        }, durability);

    public Task<IReadOnlyList<FrontierItem>> AddNewAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(d =>
        {
            // The unique index on the key still stands guard: a URL that was there after all fails the write rather than doubling.
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            var added = new List<FrontierItem>(urls.Count);
            foreach (var (url, depth) in urls)
            {
                var id = col.Insert(new BsonDocument { ["key"] = Key(runId, url), ["runId"] = runId, ["url"] = url, ["depth"] = depth, ["done"] = false }).AsInt64;
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, true);
        }, durability);

    public Task<IReadOnlyList<(FrontierItem Item, bool Done)>> FrontierAsync(long runId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<(FrontierItem, bool)>>(d => d.GetCollection("frontier")
            .Find(Filters.Equal("runId", runId))
            .Select(doc => (new FrontierItem(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32,
                doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0), doc["done"].AsBoolean))
            .OrderBy(e => e.Item1.Id)
            .ToList());

    public Task<IReadOnlyList<FrontierItem>> PendingAsync(long runId, int limit, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<FrontierItem>>(d => d.GetCollection("frontier").Query()
            .Where(Filters.Equal("runId", runId))
            .Where(Filters.Equal("done", false))
            .OrderBy("_id")
            .Limit(limit)
            .ToEnumerable()
            .Select(doc => new FrontierItem(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32,
                doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0))
            .ToList());

    public Task CompleteAsync(FrontierCompletion completion, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            if (col.FindById(completion.ItemId) is { } doc)
            {
                if (completion.Requeue)
                {
                    // Pending still, with one more attempt counted; the run puts it at the end of its queue.
                    doc["attempts"] = (doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0) + 1;
                    col.Update(doc);
                }
                else
                {
                    doc["done"] = true;
                    col.Update(doc);
                }
            }

            if (completion.Run is { } run)
            {
                Save(d, run);
            }
        });

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

    private static IReadOnlyList<CrawlRun> Runs(LiteDatabase d, long? targetId)
    {
        var col = d.GetCollection("runs");
        var docs = targetId is null ? col.FindAll() : col.Find(Filters.Equal("targetId", targetId.Value));
        return docs.Where(doc => doc.ContainsKey("json")).Select(doc => StoreJson.Read<CrawlRun>(doc["json"].AsString)).OrderBy(r => r.Id).ToList();
    }

    // Hashed so that the index key stays short whatever the URL's length.
    private static string Key(long runId, string url) => runId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));

    private static void Save(LiteDatabase d, CrawlRun run) =>
        d.GetCollection("runs").Upsert(new BsonDocument { ["_id"] = run.Id, ["targetId"] = run.TargetId, ["json"] = StoreJson.Write(run) });
}
