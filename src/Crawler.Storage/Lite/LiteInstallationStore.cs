using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

public sealed class LiteInstallationStore(LiteDatabaseContext db) : IInstallationStore
{
    private const string SettingsId = "installation";

    public Task<bool> EnsureAsync(bool lab, DateTimeOffset at, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var settings = d.GetCollection("settings");
        if (settings.FindById(SettingsId) is { } existing)
        {
            return (existing["lab"].AsBoolean, false);
        }

        settings.Insert(new BsonDocument { ["_id"] = SettingsId, ["lab"] = lab, ["createdAt"] = at.UtcDateTime });
        return (lab, true);
    });

    public Task<bool> IsLabAsync(CancellationToken ct = default) =>
        db.ReadAsync(d => d.GetCollection("settings").FindById(SettingsId)?["lab"].AsBoolean ?? false);
}
