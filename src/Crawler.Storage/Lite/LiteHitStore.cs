using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Hits;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Hits, their raw snapshots, the contact keys behind the contact cap, and linking results.</summary>
public sealed class LiteHitStore(LiteDatabaseContext db) : IHitStore
{
    public Task<HitStoreResult> TryAddAsync(Hit hit, IReadOnlyCollection<string> contactKeys, HitAdmission admit, Snapshot? snapshot = null,
        CancellationToken ct = default) => Task.FromResult(db.Write(d =>
    {
        var contacts = d.GetCollection("contacts");
        var fresh = contactKeys.Where(k => contacts.FindById(k) is null).ToList();
        var known = contacts.Count(Query.EQ("mandateId", hit.MandateId));
        if (admit(LiteMandateStore.Find(d, hit.MandateId), LiteMandateStore.Usage(d, hit.MandateId), known, fresh.Count) is { } refused)
        {
            return (refused, false);
        }

        foreach (var k in fresh)
        {
            contacts.Insert(new BsonDocument { ["_id"] = k, ["mandateId"] = hit.MandateId });
        }

        var col = d.GetCollection("hits", BsonAutoId.Int64);
        var doc = new BsonDocument { ["mandateId"] = hit.MandateId, ["sameKey"] = SameKey(hit.MandateId, hit.Url, hit.ContentSha256) };
        var id = col.Insert(doc).AsInt64;
        doc["_id"] = id;
        doc["json"] = StoreJson.Write(hit with { Id = id });
        col.Update(doc);
        if (snapshot is not null)
        {
            SaveSnapshot(d, snapshot with { HitId = id });
        }

        LiteMandateStore.Add(d, hit.MandateId, pages: 0, hits: 1);
        return (HitStoreResult.Stored(id), true);
    }));

    public Task<Hit?> FindAsync(long id, CancellationToken ct = default) => Task.FromResult(db.Read(d => Find(d, id)));

    public Task UpdateAsync(Hit hit, CancellationToken ct = default)
    {
        db.Write(d =>
        {
            var col = d.GetCollection("hits");
            var doc = col.FindById(hit.Id) ?? throw new InvalidOperationException($"hit {hit.Id} does not exist");
            doc["json"] = StoreJson.Write(hit);
            col.Update(doc);
        });
        return Task.CompletedTask;
    }

    public Task<long?> FindSameAsync(IReadOnlyCollection<long> mandateIds, string url, string contentSha256, CancellationToken ct = default) =>
        Task.FromResult(db.Read(d =>
        {
            var hits = d.GetCollection("hits");
            return mandateIds.Select(m => hits.FindOne(Query.EQ("sameKey", SameKey(m, url, contentSha256)))?["_id"].AsInt64)
                .OfType<long>().Order().Cast<long?>().FirstOrDefault();
        }));

    public Task<IReadOnlyList<Hit>> ListAsync(long? mandateId, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<Hit>>(db.Read(d =>
    {
        var col = d.GetCollection("hits");
        var docs = mandateId is null ? col.FindAll() : col.Find(Query.EQ("mandateId", mandateId.Value));
        return docs.Where(doc => doc.ContainsKey("json")).Select(doc => StoreJson.Read<Hit>(doc["json"].AsString)).OrderBy(h => h.Id).ToList();
    }));

    public Task SaveLinksAsync(long mandateId, Core.Linking.LinkResult result, CancellationToken ct = default)
    {
        db.Write(d => d.GetCollection("links").Upsert(new BsonDocument { ["_id"] = mandateId, ["json"] = StoreJson.Write(result) }));
        return Task.CompletedTask;
    }

    public Task<Core.Linking.LinkResult?> FindLinksAsync(long mandateId, CancellationToken ct = default) => Task.FromResult(db.Read(d =>
        d.GetCollection("links").FindById(mandateId) is { } doc ? StoreJson.Read<Core.Linking.LinkResult>(doc["json"].AsString) : null));

    public Task<Snapshot?> FindSnapshotAsync(long hitId, CancellationToken ct = default) => Task.FromResult(db.Read(d =>
        d.GetCollection("snapshots").FindById(hitId) is { } doc
            ? StoreJson.Read<Snapshot>(doc["json"].AsString) with { Body = doc["body"].AsBinary }
            : null));

    internal static Hit? Find(LiteDatabase d, long id) =>
        d.GetCollection("hits").FindById(id) is { } doc && doc.ContainsKey("json") ? StoreJson.Read<Hit>(doc["json"].AsString) : null;

    private static void SaveSnapshot(LiteDatabase d, Snapshot snapshot) =>
        d.GetCollection("snapshots").Upsert(new BsonDocument
        {
            ["_id"] = snapshot.HitId,
            ["mandateId"] = snapshot.MandateId,
            ["fetchedAt"] = snapshot.FetchedAt.UtcTicks,
            ["sha256"] = snapshot.ContentSha256,
            ["json"] = StoreJson.Write(snapshot with { Body = [] }),
            ["body"] = snapshot.Body,
        });

    // Hashed so that the index key stays short whatever the URL's length.
    private static string SameKey(long mandateId, string url, string contentSha256) =>
        mandateId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))) + ":" + contentSha256;
}
