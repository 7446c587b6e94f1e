using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Mandates, each with its revision, and their usage counters.</summary>
public sealed class LiteMandateStore(LiteDatabaseContext db) : IMandateStore
{
    public Task<long?> TryAddAsync(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible, CancellationToken ct = default) =>
        Task.FromResult(db.Write(d =>
        {
            if (!admissible(All(d)))
            {
                return ((long?)null, false);
            }

            var col = d.GetCollection("mandates", BsonAutoId.Int64);
            var doc = new BsonDocument { ["status"] = mandate.Status.ToString(), ["revision"] = 1L };
            var id = col.Insert(doc).AsInt64;
            doc["_id"] = id;
            doc["json"] = StoreJson.Write(mandate with { Id = id, Revision = 1 });
            col.Update(doc);
            return ((long?)id, true);
        }));

    public Task<Mandate?> FindAsync(long id, CancellationToken ct = default) => Task.FromResult(db.Read(d => Find(d, id)));

    public Task<IReadOnlyList<Mandate>> ListAsync(CancellationToken ct = default) => Task.FromResult(db.Read(All));

    public Task<bool> TryUpdateAsync(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes, CancellationToken ct = default) =>
        Task.FromResult(db.Write(d =>
        {
            var col = d.GetCollection("mandates");
            foreach (var (expected, updated) in changes)
            {
                var doc = col.FindById(expected.Id);
                if (doc is null || RevisionOf(doc) != expected.Revision)
                {
                    return (false, false);
                }

                var revision = expected.Revision + 1;
                doc["status"] = updated.Status.ToString();
                doc["revision"] = revision;
                doc["json"] = StoreJson.Write(updated with { Revision = revision });
                col.Update(doc);
            }

            return (true, true);
        }));

    public Task<MandateUsage> UsageAsync(long mandateId, CancellationToken ct = default) => Task.FromResult(db.Read(d => Usage(d, mandateId)));

    public Task CountPageAsync(long mandateId, CancellationToken ct = default)
    {
        db.Write(d => Add(d, mandateId, pages: 1, hits: 0));
        return Task.CompletedTask;
    }

    internal static Mandate? Find(LiteDatabase d, long id) =>
        d.GetCollection("mandates").FindById(id) is { } doc && doc.ContainsKey("json") ? Read(doc) : null;

    internal static IReadOnlyList<Mandate> All(LiteDatabase d) =>
        d.GetCollection("mandates").FindAll().Where(doc => doc.ContainsKey("json")).Select(Read).OrderBy(m => m.Id).ToList();

    internal static MandateUsage Usage(LiteDatabase d, long mandateId) =>
        d.GetCollection("usage").FindById(mandateId) is { } doc ? new MandateUsage(doc["pages"].AsInt64, doc["hits"].AsInt64) : MandateUsage.None;

    internal static void Add(LiteDatabase d, long mandateId, long pages, long hits)
    {
        var col = d.GetCollection("usage");
        var doc = col.FindById(mandateId) ?? new BsonDocument { ["_id"] = mandateId, ["pages"] = 0L, ["hits"] = 0L };
        doc["pages"] = doc["pages"].AsInt64 + pages;
        doc["hits"] = doc["hits"].AsInt64 + hits;
        col.Upsert(doc);
    }

    // The revision lives beside the JSON as well, so documents from before it existed read as revision 0.
    private static Mandate Read(BsonDocument doc) => StoreJson.Read<Mandate>(doc["json"].AsString) with { Revision = RevisionOf(doc) };

    private static long RevisionOf(BsonDocument doc) => doc.TryGetValue("revision", out var r) && r.IsNumber ? r.AsInt64 : 0;
}
