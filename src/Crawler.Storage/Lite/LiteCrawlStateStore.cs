using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Runs, their frontiers (one document per URL, keyed by run and URL hash) and their leases.</summary>
public sealed class LiteCrawlStateStore(LiteDatabaseContext db) : ICrawlStateStore
{
    public Task<CrawlRun> StartRunAsync(long targetId, long mandateId, string startedBy, DateTimeOffset at, CancellationToken ct = default) =>
        Task.FromResult(db.Write(d =>
        {
            var id = d.GetCollection("runs", BsonAutoId.Int64).Insert(new BsonDocument { ["targetId"] = targetId }).AsInt64;
            var run = new CrawlRun(id, targetId, mandateId, startedBy, at, RunState.Running, 0, 0, 0, null);
            Save(d, run);
            return (run, true);
        }));

    public Task<CrawlRun?> UnfinishedRunAsync(long targetId, CancellationToken ct = default) => Task.FromResult(db.Read(d =>
        Runs(d, targetId).LastOrDefault(r => r.State is RunState.Running or RunState.Interrupted)));

    public Task SaveRunAsync(CrawlRun run, CancellationToken ct = default)
    {
        db.Write(d => Save(d, run));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CrawlRun>> RunsAsync(long? targetId, CancellationToken ct = default) => Task.FromResult(db.Read(d => Runs(d, targetId)));

    public Task<IReadOnlyList<FrontierItem>> EnqueueAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<FrontierItem>>(urls.Count == 0 ? [] : db.Write(d =>
        {
            var col = d.GetCollection("frontier", BsonAutoId.Int64);
            var added = new List<FrontierItem>();
            foreach (var (url, depth) in urls)
            {
                var key = runId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
                if (col.FindOne(Query.EQ("key", key)) is { } existing)
                {
                    // The shortest way to a URL decides its depth, whichever request found it first.
                    if (!existing["done"].AsBoolean && depth < existing["depth"].AsInt32)
                    {
                        existing["depth"] = depth;
                        col.Update(existing);
                    }

                    continue;
                }

                var id = col.Insert(new BsonDocument { ["key"] = key, ["runId"] = runId, ["url"] = url, ["depth"] = depth, ["done"] = false }).AsInt64;
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, true);
        }));

    public Task<IReadOnlyList<(FrontierItem Item, bool Done)>> FrontierAsync(long runId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<(FrontierItem, bool)>>(db.Read(d => d.GetCollection("frontier")
            .Find(Query.EQ("runId", runId))
            .Select(doc => (new FrontierItem(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32,
                doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0), doc["done"].AsBoolean))
            .OrderBy(e => e.Item1.Id)
            .ToList()));

    public Task<IReadOnlyList<FrontierItem>> PendingAsync(long runId, int limit, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<FrontierItem>>(db.Read(d => d.GetCollection("frontier").Query()
            .Where(Query.EQ("runId", runId))
            .Where(Query.EQ("done", false))
            .OrderBy("_id")
            .Limit(limit)
            .ToEnumerable()
            .Select(doc => new FrontierItem(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32,
                doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0))
            .ToList()));

    public Task CompleteAsync(FrontierCompletion completion, CancellationToken ct = default)
    {
        db.Write(d =>
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
        return Task.CompletedTask;
    }

    public Task<RunLeaseAttempt> TryTakeLeaseAsync(RunLease candidate, Func<RunLease, bool> isDead, CancellationToken ct = default) =>
        Task.FromResult(db.Write(d =>
        {
            var col = d.GetCollection("runLeases");
            var held = col.FindById(candidate.TargetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null;
            if (held is not null && held.OwnerId != candidate.OwnerId && !isDead(held))
            {
                return (new RunLeaseAttempt(null, held, null), false);
            }

            col.Upsert(new BsonDocument { ["_id"] = candidate.TargetId, ["owner"] = candidate.OwnerId, ["json"] = StoreJson.Write(candidate) });
            return (new RunLeaseAttempt(candidate, null, held?.OwnerId == candidate.OwnerId ? null : held), true);
        }));

    public Task<bool> RenewLeaseAsync(long targetId, string ownerId, DateTimeOffset at, CancellationToken ct = default) =>
        Task.FromResult(db.Write(d =>
        {
            var col = d.GetCollection("runLeases");
            if (col.FindById(targetId) is not { } doc || doc["owner"].AsString != ownerId)
            {
                return (false, false);
            }

            doc["json"] = StoreJson.Write(StoreJson.Read<RunLease>(doc["json"].AsString) with { HeartbeatAt = at });
            col.Update(doc);
            return (true, true);
        }));

    public Task ReleaseLeaseAsync(long targetId, string ownerId, CancellationToken ct = default)
    {
        db.Write(d =>
        {
            var col = d.GetCollection("runLeases");
            var mine = col.FindById(targetId) is { } doc && doc["owner"].AsString == ownerId;
            if (mine)
            {
                col.Delete(targetId);
            }

            return (mine, mine);
        });
        return Task.CompletedTask;
    }

    public Task<RunLease?> FindLeaseAsync(long targetId, CancellationToken ct = default) => Task.FromResult(db.Read(d =>
        d.GetCollection("runLeases").FindById(targetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null));

    private static IReadOnlyList<CrawlRun> Runs(LiteDatabase d, long? targetId)
    {
        var col = d.GetCollection("runs");
        var docs = targetId is null ? col.FindAll() : col.Find(Query.EQ("targetId", targetId.Value));
        return docs.Where(doc => doc.ContainsKey("json")).Select(doc => StoreJson.Read<CrawlRun>(doc["json"].AsString)).OrderBy(r => r.Id).ToList();
    }

    private static void Save(LiteDatabase d, CrawlRun run) =>
        d.GetCollection("runs").Upsert(new BsonDocument { ["_id"] = run.Id, ["targetId"] = run.TargetId, ["json"] = StoreJson.Write(run) });
}
