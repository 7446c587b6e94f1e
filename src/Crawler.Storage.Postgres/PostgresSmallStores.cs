using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;

namespace Crawler.Storage.Postgres;

public sealed class PostgresInstallationStore(PostgresDatabase db) : IInstallationStore
{
    public Task<bool> EnsureAsync(bool lab, DateTimeOffset at, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        // The first caller's kind stays: a later one only reads it.
        await c.ExecAsync("INSERT INTO installation (id, lab, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING", lab, at.UtcDateTime);
        return (await c.ScalarAsync<bool>("SELECT lab FROM installation WHERE id = 1"), true);
    }, ct: ct);

    public Task<bool> IsLabAsync(CancellationToken ct = default) =>
        db.ReadAsync(c => c.ScalarAsync<bool>("SELECT lab FROM installation WHERE id = 1"), ct);
}

/// <summary>Users with their credentials, and sign-in tokens stored by their SHA-256 only.</summary>
public sealed class PostgresUserStore(PostgresDatabase db) : IUserStore
{
    public Task<User?> FindAsync(string name, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM users WHERE name = $1", r => StoreJson.Read<User>(r.GetString(0)), name), ct);

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<User>>(async c =>
        (await c.QueryAsync("SELECT json FROM users", r => StoreJson.Read<User>(r.GetString(0)))).OrderBy(u => u.Name, StringComparer.Ordinal).ToList(), ct);

    public Task<bool> TryAddAsync(User user, Credential credential, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        var added = await c.ExecAsync("INSERT INTO users (name, json, credential) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
            user.Name, StoreJson.Write(user), StoreJson.Write(credential)) == 1;
        return (added, added);
    }, ct: ct);

    public Task<Credential?> FindCredentialAsync(string name, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT credential FROM users WHERE name = $1", r => StoreJson.Read<Credential>(r.GetString(0)), name), ct);

    public Task<bool> TryUpdateCredentialAsync(string name, Credential expected, Credential updated, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            var stored = await c.FirstAsync("SELECT credential FROM users WHERE name = $1 FOR UPDATE", r => StoreJson.Read<Credential>(r.GetString(0)), name);
            if (stored is null || stored != expected)
            {
                return (false, false);
            }

            await c.ExecAsync("UPDATE users SET credential = $2 WHERE name = $1", name, StoreJson.Write(updated));
            return (true, true);
        }, ct: ct);

    public Task AddTokenAsync(AccessToken token, CancellationToken ct = default) => db.WriteAsync(c =>
        c.ExecAsync("INSERT INTO tokens (sha256, user_name, json) VALUES ($1, $2, $3)", token.Sha256, token.UserName, StoreJson.Write(token)), ct: ct);

    public Task<AccessToken?> FindTokenAsync(string sha256, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM tokens WHERE sha256 = $1", r => StoreJson.Read<AccessToken>(r.GetString(0)), sha256), ct);

    public Task<int> RevokeTokensAsync(string userName, DateTimeOffset at, string? onlySha256 = null, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            var tokens = await c.QueryAsync("SELECT json FROM tokens WHERE user_name = $1 AND ($2::text IS NULL OR sha256 = $2) FOR UPDATE",
                r => StoreJson.Read<AccessToken>(r.GetString(0)), userName, onlySha256);
            var revoked = 0;
            foreach (var token in tokens.Where(t => t.RevokedAt is null))
            {
                await c.ExecAsync("UPDATE tokens SET json = $2 WHERE sha256 = $1", token.Sha256, StoreJson.Write(token with { RevokedAt = at }));
                revoked++;
            }

            return (revoked, true);
        }, ct: ct);
}

public sealed class PostgresTargetStore(PostgresDatabase db) : ITargetStore
{
    public Task<long> AddAsync(TargetSpec spec, string createdBy, DateTimeOffset at, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        var id = await c.ScalarAsync<long>("SELECT nextval('targets_id_seq')");
        await c.ExecAsync("INSERT INTO targets (id, name, json) VALUES ($1, $2, $3)", id, spec.Name, StoreJson.Write(new CrawlTarget(id, spec, createdBy, at)));
        return (id, true);
    }, ct: ct);

    public Task<CrawlTarget?> FindAsync(long id, CancellationToken ct = default) =>
        db.ReadAsync(c => c.FirstAsync("SELECT json FROM targets WHERE id = $1", Read, id), ct);

    public Task<CrawlTarget?> FindByNameAsync(string name, CancellationToken ct = default) =>
        db.ReadAsync(c => c.FirstAsync("SELECT json FROM targets WHERE name = $1", Read, name), ct);

    public Task<IReadOnlyList<CrawlTarget>> ListAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<CrawlTarget>>(async c => await c.QueryAsync("SELECT json FROM targets ORDER BY id", Read), ct);

    public Task<bool> UpdateAsync(CrawlTarget target, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        var changed = await c.ExecAsync("UPDATE targets SET json = $2 WHERE id = $1", target.Id, StoreJson.Write(target)) == 1;
        return (changed, changed);
    }, ct: ct);

    private static CrawlTarget Read(Npgsql.NpgsqlDataReader r) => StoreJson.Read<CrawlTarget>(r.GetString(0));
}

public sealed class PostgresRobotsCache(PostgresDatabase db) : IRobotsCache
{
    public Task<CachedRobots?> FindAsync(string host, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM robots WHERE host = $1", r => StoreJson.Read<CachedRobots>(r.GetString(0)), host), ct);

    public Task SaveAsync(CachedRobots robots, CancellationToken ct = default) => db.WriteAsync(c =>
        c.ExecAsync("INSERT INTO robots (host, json) VALUES ($1, $2) ON CONFLICT (host) DO UPDATE SET json = excluded.json", robots.Host, StoreJson.Write(robots)), ct: ct);
}
