using Crawler.Core.Storage;
using Crawler.Core.Targets;
using LiteDB;

namespace Crawler.Storage.Lite;

public sealed class LiteTargetStore(LiteDatabaseContext db) : ITargetStore
{
    public Task<long> AddAsync(TargetSpec spec, string createdBy, DateTimeOffset at, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var col = d.GetCollection("targets", BsonAutoId.Int64);
        var doc = new BsonDocument { ["name"] = spec.Name };
        var id = col.Insert(doc).AsInt64;
        doc["_id"] = id;
        doc["json"] = StoreJson.Write(new CrawlTarget(id, spec, createdBy, at));
        col.Update(doc);
        return (id, true);
    });

    public Task<CrawlTarget?> FindAsync(long id, CancellationToken ct = default) =>
        db.ReadAsync(d => Read(d.GetCollection("targets").FindById(id)));

    public Task<CrawlTarget?> FindByNameAsync(string name, CancellationToken ct = default) =>
        db.ReadAsync(d => Read(d.GetCollection("targets").FindOne(Filters.Equal("name", name))));

    public Task<IReadOnlyList<CrawlTarget>> ListAsync(CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<CrawlTarget>>(d =>
        d.GetCollection("targets").FindAll().Select(Read).OfType<CrawlTarget>().OrderBy(t => t.Id).ToList());

    public Task<bool> UpdateAsync(CrawlTarget target, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var col = d.GetCollection("targets");
        var doc = col.FindById(target.Id);
        if (doc is null)
        {
            return (false, false);
        }

        doc["json"] = StoreJson.Write(target);
        col.Update(doc);
        return (true, true);
    });

    private static CrawlTarget? Read(BsonDocument? doc) =>
        doc is null || !doc.ContainsKey("json") ? null : StoreJson.Read<CrawlTarget>(doc["json"].AsString);
}
