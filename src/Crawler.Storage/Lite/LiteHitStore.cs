using Crawler.Core.Hits;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Hits, their raw snapshots, the contact keys behind the contact cap, and linking results.</summary>
public sealed class LiteHitStore(LiteDatabaseContext db) : IHitStore
{
    private readonly LiteMandateStore _mandates = new(db);

    public Task<HitStoreResult> TryAddAsync(Hit hit, IReadOnlyCollection<string> contactKeys, HitAdmission admit, Snapshot? snapshot = null,
        Durability durability = Durability.Committed, long? pageItem = null, HitStoredEntry? stored = null, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var contacts = d.GetCollection("contacts");
        var fresh = contactKeys.Where(k => contacts.FindById(k) is null).ToList();
        var known = (int)_mandates.Contacts(d, hit.MandateId);
        if (admit(_mandates.Find(d, hit.MandateId), _mandates.Usage(d, hit.MandateId), known, fresh.Count) is { } refused)
        {
            return (refused, false);
        }

        foreach (var k in fresh)
        {
            contacts.Insert(new BsonDocument { ["_id"] = k, ["mandateId"] = hit.MandateId });
        }

        // One insert: the id is the document's own, and read back into the hit from there.
        var col = d.GetCollection("hits", BsonAutoId.Int64);
        var doc = new BsonDocument
        {
            ["mandateId"] = hit.MandateId,
            ["sameKey"] = HitKeys.Same(hit.MandateId, hit.Url, hit.ContentSha256),
            ["json"] = StoreJson.Write(hit with { Id = 0 }),
        };
        var id = col.Insert(doc).AsInt64;
        if (snapshot is not null)
        {
            SaveSnapshot(d, snapshot with { HitId = id });
        }

        _mandates.Add(d, hit.MandateId, pages: 0, hits: 1, contacts: known + fresh.Count);
        if (pageItem is { } item)
        {
            LiteCrawlStateStore.MarkDone(d, item);
        }

        if (stored is not null)
        {
            LiteAuditLog.Append(db, d, [stored.For(id)], stored.Time, stored.Urls, stored.Signer);
        }

        return (HitStoreResult.Stored(id), true);
    }, durability);

    public Task<Hit?> FindAsync(long id, CancellationToken ct = default) => db.ReadAsync(d => Find(d, id));

    public Task UpdateAsync(Hit hit, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("hits");
            var doc = col.FindById(hit.Id) ?? throw new InvalidOperationException($"hit {hit.Id} does not exist");
            doc["json"] = StoreJson.Write(hit);
            col.Update(doc);
        });

    public Task<long?> FindSameAsync(IReadOnlyCollection<long> mandateIds, string url, string contentSha256, CancellationToken ct = default) =>
        db.ReadAsync(d =>
        {
            var hits = d.GetCollection("hits");
            return mandateIds.Select(m => hits.FindOne(Filters.Equal("sameKey", HitKeys.Same(m, url, contentSha256)))?["_id"].AsInt64)
                .OfType<long>().Order().Cast<long?>().FirstOrDefault();
        });

    public Task<IReadOnlyList<Hit>> ListAsync(long? mandateId, CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<Hit>>(d =>
    {
        var col = d.GetCollection("hits");
        var docs = mandateId is null ? col.FindAll() : col.Find(Filters.Equal("mandateId", mandateId.Value));
        return docs.Where(doc => doc.ContainsKey("json")).Select(ReadHit).OrderBy(h => h.Id).ToList();
    });

    public Task SaveLinksAsync(long mandateId, Core.Linking.LinkResult result, CancellationToken ct = default) =>
        db.WriteAsync(d => d.GetCollection("links").Upsert(new BsonDocument { ["_id"] = mandateId, ["json"] = StoreJson.Write(result) }));

    public Task<Core.Linking.LinkResult?> FindLinksAsync(long mandateId, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("links").FindById(mandateId) is { } doc ? StoreJson.Read<Core.Linking.LinkResult>(doc["json"].AsString) : null);

    public Task<Snapshot?> FindSnapshotAsync(long hitId, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("snapshots").FindById(hitId) is { } doc
            ? StoreJson.Read<Snapshot>(doc["json"].AsString) with { Body = doc["body"].AsBinary }
            : null);

    internal static Hit? Find(LiteDatabase d, long id) =>
        d.GetCollection("hits").FindById(id) is { } doc && doc.ContainsKey("json") ? ReadHit(doc) : null;

    /// <summary>A stored hit, with the document's id (a hit is written once, before its id is known in its JSON).</summary>
    internal static Hit ReadHit(BsonDocument doc) => StoreJson.Read<Hit>(doc["json"].AsString) with { Id = doc["_id"].AsInt64 };

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
}
