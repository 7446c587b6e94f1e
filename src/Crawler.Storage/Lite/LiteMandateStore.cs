using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Mandates, each with its revision, and their usage counters.</summary>
public sealed class LiteMandateStore(LiteDatabaseContext db) : IMandateStore
{
    public Task<long?> TryAddAsync(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible, CancellationToken ct = default) =>
        db.WriteAsync(d =>
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
            db.NoteMandateChange();
            db.Mandates.Remove(id);
            return ((long?)id, true);
        });

    public long ChangeStamp => db.Generation + db.MandateChanges;

    public Task<Mandate?> FindAsync(long id, CancellationToken ct = default) => db.ReadAsync(d => Find(d, id));

    public Task<IReadOnlyList<Mandate>> ListAsync(CancellationToken ct = default) => db.ReadAsync(All);

    public Task<bool> TryUpdateAsync(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            // Every revision is checked before anything is written: a body that declines must leave its group untouched.
            var col = d.GetCollection("mandates");
            var docs = changes.Select(c => col.FindById(c.Expected.Id)).ToList();
            if (docs.Zip(changes).Any(p => p.First is null || RevisionOf(p.First) != p.Second.Expected.Revision))
            {
                return (false, false);
            }

            foreach (var ((expected, updated), doc) in changes.Zip(docs))
            {
                var revision = expected.Revision + 1;
                doc["status"] = updated.Status.ToString();
                doc["revision"] = revision;
                doc["json"] = StoreJson.Write(updated with { Revision = revision });
                col.Update(doc);
            }

            db.NoteMandateChange();
            db.Mandates.Clear();
            return (true, true);
        });

    public Task<MandateUsage> UsageAsync(long mandateId, CancellationToken ct = default) => db.ReadAsync(d => Usage(d, mandateId));

    public Task CountPageAsync(long mandateId, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        db.WriteAsync(d => Add(d, mandateId, pages: 1, hits: 0), durability);

    /// <summary>The mandate, decoded once and then kept by the database's owner until a mandate is written or the file reopened.</summary>
    internal Mandate? Find(LiteDatabase d, long id)
    {
        if (db.Mandates.TryGetValue(id, out var known))
        {
            return known;
        }

        var mandate = d.GetCollection("mandates").FindById(id) is { } doc && doc.ContainsKey("json") ? Read(doc) : null;
        db.Mandates[id] = mandate;
        return mandate;
    }

    internal static IReadOnlyList<Mandate> All(LiteDatabase d) =>
        d.GetCollection("mandates").FindAll().Where(doc => doc.ContainsKey("json")).Select(Read).OrderBy(m => m.Id).ToList();

    internal MandateUsage Usage(LiteDatabase d, long mandateId) => Counters(d, mandateId).Usage;

    /// <summary>How many distinct contacts the mandate's hits hold: counted beside the usage, so the cap costs a look-up, not a count of every contact.</summary>
    internal long Contacts(LiteDatabase d, long mandateId) =>
        Counters(d, mandateId).Contacts ?? d.GetCollection("contacts").LongCount(Filters.Equal("mandateId", mandateId));

    /// <summary>Adds to the usage counters; <paramref name="contacts"/>, when given, is the new number of distinct contacts.</summary>
    internal void Add(LiteDatabase d, long mandateId, long pages, long hits, long? contacts = null)
    {
        var (usage, known) = Counters(d, mandateId);
        usage = new MandateUsage(usage.PagesFetched + pages, usage.HitsStored + hits);
        known = contacts ?? known;
        var doc = new BsonDocument { ["_id"] = mandateId, ["pages"] = usage.PagesFetched, ["hits"] = usage.HitsStored };
        if (known is { } k)
        {
            doc["contacts"] = k;
        }

        d.GetCollection("usage").Upsert(doc);
        db.Usage[mandateId] = (usage, known);
    }

    /// <summary>The usage counters, read once and then kept by the database's owner (its own writes keep them current) until the file is reopened.</summary>
    private (MandateUsage Usage, long? Contacts) Counters(LiteDatabase d, long mandateId)
    {
        if (db.Usage.TryGetValue(mandateId, out var known))
        {
            return known;
        }

        var counters = d.GetCollection("usage").FindById(mandateId) is { } doc
            ? (new MandateUsage(doc["pages"].AsInt64, doc["hits"].AsInt64), doc.TryGetValue("contacts", out var c) && c.IsNumber ? c.AsInt64 : (long?)null)
            : (MandateUsage.None, null);
        db.Usage[mandateId] = counters;
        return counters;
    }

    // The revision lives beside the JSON as well, so documents from before it existed read as revision 0.
    private static Mandate Read(BsonDocument doc) => StoreJson.Read<Mandate>(doc["json"].AsString) with { Revision = RevisionOf(doc) };

    private static long RevisionOf(BsonDocument doc) => doc.TryGetValue("revision", out var r) && r.IsNumber ? r.AsInt64 : 0;
}
