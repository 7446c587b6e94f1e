using Crawler.Core.Storage;
using Crawler.Core.Users;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Users with their credentials, and sign-in tokens stored by their SHA-256 only.</summary>
public sealed class LiteUserStore(LiteDatabaseContext db) : IUserStore
{
    public Task<User?> FindAsync(string name, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("users").FindById(name) is { } doc ? StoreJson.Read<User>(doc["json"].AsString) : null);

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<User>>(d =>
        d.GetCollection("users").FindAll().Select(doc => StoreJson.Read<User>(doc["json"].AsString)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList());

    public Task<bool> TryAddAsync(User user, Credential credential, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var users = d.GetCollection("users");
        if (users.FindById(user.Name) is not null)
        {
            return (false, false);
        }

        users.Insert(new BsonDocument { ["_id"] = user.Name, ["json"] = StoreJson.Write(user), ["credential"] = StoreJson.Write(credential) });
        return (true, true);
    });

    public Task<Credential?> FindCredentialAsync(string name, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("users").FindById(name) is { } doc ? CredentialOf(doc) : null);

    public Task<bool> TryUpdateCredentialAsync(string name, Credential expected, Credential updated, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var users = d.GetCollection("users");
            if (users.FindById(name) is not { } doc || CredentialOf(doc) != expected)
            {
                return (false, false);
            }

            doc["credential"] = StoreJson.Write(updated);
            users.Update(doc);
            return (true, true);
        });

    public Task AddTokenAsync(AccessToken token, CancellationToken ct = default) =>
        db.WriteAsync(d => d.GetCollection("tokens").Insert(new BsonDocument
        {
            ["_id"] = token.Sha256, ["user"] = token.UserName, ["json"] = StoreJson.Write(token),
        }));

    public Task<AccessToken?> FindTokenAsync(string sha256, CancellationToken ct = default) => db.ReadAsync(d =>
        d.GetCollection("tokens").FindById(sha256) is { } doc ? StoreJson.Read<AccessToken>(doc["json"].AsString) : null);

    public Task<int> RevokeTokensAsync(string userName, DateTimeOffset at, string? onlySha256 = null, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var col = d.GetCollection("tokens");
            var docs = onlySha256 is null
                ? col.Find(Filters.Equal("user", userName)).ToList()
                : col.FindById(onlySha256) is { } one ? [one] : [];
            var revoked = 0;
            foreach (var doc in docs)
            {
                var token = StoreJson.Read<AccessToken>(doc["json"].AsString);
                if (token.UserName != userName || token.RevokedAt is not null)
                {
                    continue;
                }

                doc["json"] = StoreJson.Write(token with { RevokedAt = at });
                col.Update(doc);
                revoked++;
            }

            return (revoked, true);
        });

    // Users from before sign-in existed have no credential: they cannot sign in until an admin resets them.
    private static Credential CredentialOf(BsonDocument doc) =>
        doc.TryGetValue("credential", out var c) && c.IsString ? StoreJson.Read<Credential>(c.AsString) : Credential.None;
}
