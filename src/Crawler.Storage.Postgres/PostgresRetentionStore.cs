using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>Erasure and compaction: what retention needs, each step in one transaction.</summary>
public sealed class PostgresRetentionStore(PostgresDatabase db) : IRetentionStore
{
    public Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<SnapshotInfo>>(async c =>
        await c.QueryAsync("SELECT hit_id, mandate_id, fetched_at_ticks, sha256 FROM snapshots ORDER BY hit_id",
            r => new SnapshotInfo(r.GetInt64(0), r.GetInt64(1), new DateTimeOffset(r.GetInt64(2), TimeSpan.Zero), r.GetString(3))), ct);

    public Task<bool> EraseSnapshotAsync(long hitId, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        var erased = await c.ExecAsync("DELETE FROM snapshots WHERE hit_id = $1", hitId) > 0;
        if (erased && await PostgresHitStore.FindAsync(c, hitId, forUpdate: true) is { } hit)
        {
            await SaveHitAsync(c, hit with { HasSnapshot = false });
        }

        return (erased, true);
    }, ct: ct);

    public Task RestrictHitAsync(long hitId, DateTimeOffset at, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        if (await PostgresHitStore.FindAsync(c, hitId, forUpdate: true) is { } hit)
        {
            // Wpg art. 14: kept for complaints and accountability only; the raw snapshot goes now.
            await SaveHitAsync(c, hit with { RestrictedAt = at, HasSnapshot = false });
            await c.ExecAsync("DELETE FROM snapshots WHERE hit_id = $1", hitId);
        }
    }, ct: ct);

    public Task<bool> EraseHitAsync(long id, Func<Hit, string> urlReference, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        if (await PostgresHitStore.FindAsync(c, id, forUpdate: true) is not { } hit)
        {
            return (false, false);
        }

        await c.ExecAsync("DELETE FROM hits WHERE id = $1", id);
        await c.ExecAsync("DELETE FROM snapshots WHERE hit_id = $1", id);

        // A linking result names the erased hit and its pseudonyms: it goes, and the next linking starts afresh.
        await c.ExecAsync("DELETE FROM links WHERE mandate_id = $1", hit.MandateId);
        if (!await c.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM hits WHERE mandate_id = $1 AND url = $2)", hit.MandateId, hit.Url))
        {
            // The trail names the URL by reference only: with the URL gone, the reference proves
            // that something was collected and erased, and no longer says what.
            await c.ExecAsync("DELETE FROM audit_urls WHERE reference = $1", urlReference(hit));
        }

        return (true, true);
    }, ct: ct);

    public Task<int> PurgeFinishedFrontiersAsync(CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        var over = (await PostgresCrawlStateStore.RunsAsync(c, null)).Where(r => r.IsOver).Select(r => r.Id).ToArray();
        return (await c.ExecAsync("DELETE FROM frontier WHERE run_id = ANY($1)", (object)over), true);
    }, ct: ct);

    public Task<AuditAnchor?> EraseAuditBeforeAsync(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now, AuditSigner signer,
        CancellationToken ct = default) => db.RetentionWriteAsync(async c =>
    {
        // The head first, as every append takes it: no entry is added while the trail's start moves.
        await c.ExecAsync("SELECT 1 FROM audit_head WHERE chain = 1 FOR UPDATE");

        // Entries are erased from the start up to the first one written at or after the cutoff.
        var last = await c.FirstAsync(
            """
            SELECT sequence, hash FROM audit
            WHERE sequence < coalesce((SELECT min(sequence) FROM audit WHERE time_ticks >= $1), 9223372036854775807)
            ORDER BY sequence DESC LIMIT 1
            """,
            r => new AuditHead(r.GetInt64(0), r.GetString(1)), cutoff.UtcTicks);
        if (last is null)
        {
            return ((AuditAnchor?)null, false);
        }

        await c.ExecAsync("DELETE FROM audit WHERE sequence <= $1", last.Sequence);
        var anchor = new AuditAnchor(last.Sequence, last.Hash, now);
        await c.ExecAsync(
            """
            INSERT INTO audit_anchor (id, sequence, hash, erased_at_ticks) VALUES (1, $1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, erased_at_ticks = excluded.erased_at_ticks
            """,
            anchor.Sequence, anchor.Hash, now.UtcTicks);
        await c.ExecAsync("DELETE FROM audit_urls WHERE last_used_ticks < $1", cutoff.UtcTicks);

        // Appended under the new anchor, in the same transaction: the chain itself says where it now starts.
        await PostgresAuditLog.AppendAsync(c,
            [erasure with { Subject = anchor.Subject, Rule = AuditAnchor.Rule, Reason = $"{erasure.Reason}; last erased entry {anchor.Sequence} had hash {anchor.Hash}" }],
            now, [], signer);
        return ((AuditAnchor?)anchor, true);
    }, ct);

    /// <summary>
    /// Rewrites the tables erasure removes from, so that erased rows do not linger in their files' free space (VACUUM
    /// FULL writes each table anew). The WAL and any base backup still hold them until they age out: see deploy/postgres.md.
    /// </summary>
    public Task CompactAsync(CancellationToken ct = default) =>
        db.ExecuteAloneAsync("VACUUM FULL hits, snapshots, links, contacts, audit, audit_urls, frontier", ct);

    private static Task<int> SaveHitAsync(NpgsqlConnection c, Hit hit) =>
        c.ExecAsync("UPDATE hits SET json = $2 WHERE id = $1", hit.Id, StoreJson.Write(hit with { Id = 0 }));
}
