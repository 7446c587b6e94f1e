using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

public sealed class LiteRobotsCache(LiteDatabaseContext db) : IRobotsCache
{
    public Task<CachedRobots?> FindAsync(string host, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("robots").FindById(host) is { } doc ? StoreJson.Read<CachedRobots>(doc["json"].AsString) : null);

    public Task SaveAsync(CachedRobots robots, CancellationToken ct = default) =>
        db.WriteAsync(d => d.GetCollection("robots").Upsert(new BsonDocument { ["_id"] = robots.Host, ["json"] = StoreJson.Write(robots) }));
}
