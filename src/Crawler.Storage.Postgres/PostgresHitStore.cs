using Crawler.Core.Hits;
using Crawler.Core.Linking;
using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>Hits, their raw snapshots, the contact keys behind the contact cap, and linking results.</summary>
public sealed class PostgresHitStore(PostgresDatabase db) : IHitStore
{
    public Task<HitStoreResult> TryAddAsync(Hit hit, IReadOnlyCollection<string> contactKeys, HitAdmission admit, Snapshot? snapshot = null,
        Durability durability = Durability.Committed, long? pageItem = null, HitStoredEntry? stored = null, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        // The mandate's counters row is locked first: hits of one mandate are admitted one after the other, in every process.
        var (usage, known) = await PostgresMandateStore.CountersAsync(c, hit.MandateId, forUpdate: true);
        var keys = contactKeys.Distinct(StringComparer.Ordinal).ToArray();
        var taken = (await c.QueryAsync("SELECT key FROM contacts WHERE key = ANY($1)", r => r.GetString(0), (object)keys)).ToHashSet(StringComparer.Ordinal);
        var fresh = keys.Where(k => !taken.Contains(k)).ToArray();
        if (admit(await PostgresMandateStore.FindAsync(c, hit.MandateId), usage, (int)known, fresh.Length) is { } refused)
        {
            return (refused, false);
        }

        // The counter moves by the contacts actually added, in the same statement.
        await c.ExecAsync(
            """
            WITH added AS (INSERT INTO contacts (key, mandate_id) SELECT k, $2 FROM unnest($1::text[]) k ON CONFLICT (key) DO NOTHING RETURNING 1)
            UPDATE mandate_usage SET hits = hits + 1, contacts = contacts + (SELECT count(*) FROM added) WHERE mandate_id = $2
            """, fresh, hit.MandateId);
        var id = await c.ScalarAsync<long>("INSERT INTO hits (mandate_id, same_key, url, json) VALUES ($1, $2, $3, $4) RETURNING id",
            hit.MandateId, HitKeys.Same(hit.MandateId, hit.Url, hit.ContentSha256), hit.Url, StoreJson.Write(hit with { Id = 0 }));
        if (snapshot is not null)
        {
            await SaveSnapshotAsync(c, snapshot with { HitId = id });
        }

        if (pageItem is { } item)
        {
            await c.ExecAsync("UPDATE frontier SET done = true WHERE id = $1", item);
        }

        if (stored is not null)
        {
            await PostgresAuditLog.AppendAsync(c, [stored.For(id)], stored.Time, stored.Urls, stored.Signer);
        }

        return (HitStoreResult.Stored(id), true);
    }, durability, ct);

    public Task<Hit?> FindAsync(long id, CancellationToken ct = default) => db.ReadAsync(c => FindAsync(c, id), ct);

    public Task UpdateAsync(Hit hit, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        if (await c.ExecAsync("UPDATE hits SET json = $2 WHERE id = $1", hit.Id, StoreJson.Write(hit)) == 0)
        {
            throw new InvalidOperationException($"hit {hit.Id} does not exist");
        }
    }, ct: ct);

    public Task<long?> FindSameAsync(IReadOnlyCollection<long> mandateIds, string url, string contentSha256, CancellationToken ct = default) =>
        db.ReadAsync(async c =>
        {
            var keys = mandateIds.Select(m => HitKeys.Same(m, url, contentSha256)).ToArray();
            // Materialised first: else the planner may walk the primary key in order for min(id), reading every hit when none matches.
            var id = await c.ScalarAsync<long?>("WITH same AS MATERIALIZED (SELECT id FROM hits WHERE same_key = ANY($1)) SELECT min(id) FROM same", (object)keys);
            return id;
        }, ct);

    public Task<IReadOnlyList<Hit>> ListAsync(long? mandateId, CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<Hit>>(async c =>
        await c.QueryAsync("SELECT id, json FROM hits WHERE $1::bigint IS NULL OR mandate_id = $1 ORDER BY id", Read, mandateId), ct);

    public Task SaveLinksAsync(long mandateId, LinkResult result, CancellationToken ct = default) => db.WriteAsync(c =>
        c.ExecAsync("INSERT INTO links (mandate_id, json) VALUES ($1, $2) ON CONFLICT (mandate_id) DO UPDATE SET json = excluded.json",
            mandateId, StoreJson.Write(result)), ct: ct);

    public Task<LinkResult?> FindLinksAsync(long mandateId, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM links WHERE mandate_id = $1", r => StoreJson.Read<LinkResult>(r.GetString(0)), mandateId), ct);

    public Task<Snapshot?> FindSnapshotAsync(long hitId, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json, body FROM snapshots WHERE hit_id = $1",
            r => StoreJson.Read<Snapshot>(r.GetString(0)) with { Body = r.GetFieldValue<byte[]>(1) }, hitId), ct);

    internal static Task<Hit?> FindAsync(NpgsqlConnection c, long id, bool forUpdate = false) =>
        c.FirstAsync("SELECT id, json FROM hits WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""), Read, id);

    /// <summary>A stored hit, with the row's id (a hit is written once, before its id is known in its JSON).</summary>
    private static Hit Read(NpgsqlDataReader r) => StoreJson.Read<Hit>(r.GetString(1)) with { Id = r.GetInt64(0) };

    private static Task SaveSnapshotAsync(NpgsqlConnection c, Snapshot snapshot) => c.ExecAsync(
        """
        INSERT INTO snapshots (hit_id, mandate_id, fetched_at_ticks, sha256, json, body) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (hit_id) DO UPDATE SET mandate_id = excluded.mandate_id, fetched_at_ticks = excluded.fetched_at_ticks,
            sha256 = excluded.sha256, json = excluded.json, body = excluded.body
        """,
        snapshot.HitId, snapshot.MandateId, snapshot.FetchedAt.UtcTicks, snapshot.ContentSha256, StoreJson.Write(snapshot with { Body = [] }), snapshot.Body);
}
