using System.Runtime.CompilerServices;
using Crawler.Core.Audit;
using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>
/// The audit trail and, beside it, the URLs its references stand for. Every append locks the chain's head row first:
/// however many processes append, each takes the sequence and the previous hash the one before it left, and the
/// application's role may add entries but never change or remove one.
/// </summary>
public sealed class PostgresAuditLog(PostgresDatabase db) : IAuditLog
{
    private const int Page = 10_000;

    public Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls,
        AuditSigner signer, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        db.WriteAsync(async c => (await AppendAsync(c, records, time, urls, signer), true), durability, ct);

    public Task<string?> FindUrlAsync(string reference, CancellationToken ct = default) =>
        db.ReadAsync(c => c.FirstAsync("SELECT url FROM audit_urls WHERE reference = $1", r => r.GetString(0), reference), ct);

    public async IAsyncEnumerable<AuditEntry> EntriesAsync(long after = 0, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            // Keyset paging on the primary key: each page is one index range, and nothing is held between pages.
            var from = after;
            var page = await db.ReadAsync(c => c.QueryAsync("SELECT entry, hash FROM audit WHERE sequence > $1 ORDER BY sequence LIMIT $2",
                r => AuditCodec.Decode(r.GetFieldValue<byte[]>(0), r.GetString(1)), from, Page), ct);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    public Task<long> CountAsync(CancellationToken ct = default) => db.ReadAsync(c => c.ScalarAsync<long>("SELECT count(*) FROM audit"), ct);

    public Task<AuditAnchor?> AnchorAsync(CancellationToken ct = default) => db.ReadAsync(AnchorAsync, ct);

    /// <summary>Appends after the head, locked for the rest of the caller's transaction.</summary>
    internal static async Task<IReadOnlyList<AuditEntry>> AppendAsync(NpgsqlConnection c, IReadOnlyList<AuditRecord> records, DateTimeOffset time,
        IReadOnlyList<UrlMention> urls, AuditSigner signer)
    {
        var head = await c.FirstAsync("SELECT sequence, hash FROM audit_head WHERE chain = 1 FOR UPDATE", r => new AuditHead(r.GetInt64(0), r.GetString(1)))
            ?? throw new InvalidDataException($"database '{c.Database}': the audit trail's head row is missing; the schema was altered outside the crawler");
        var entries = signer.Link(head, time, records);

        // The entries, the head and the URLs go in one round trip: the head's row lock is held for as short as can be.
        await using var batch = new NpgsqlBatch(c);
        foreach (var e in entries)
        {
            batch.BatchCommands.Add(Sql.Statement("INSERT INTO audit (sequence, time_ticks, entry, hash) VALUES ($1, $2, $3, $4)",
                e.Sequence, e.Time.UtcTicks, AuditCodec.Encode(e.Sequence, e.Time, e.Record, e.PreviousHash), e.Hash));
        }

        if (entries.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Statement("UPDATE audit_head SET sequence = $1, hash = $2 WHERE chain = 1", entries[^1].Sequence, entries[^1].Hash));
        }

        foreach (var u in urls.DistinctBy(u => u.Reference))
        {
            batch.BatchCommands.Add(Sql.Statement(
                """
                INSERT INTO audit_urls (reference, url, mandate_id, last_used_ticks) VALUES ($1, $2, $3, $4)
                ON CONFLICT (reference) DO UPDATE SET url = excluded.url, mandate_id = excluded.mandate_id, last_used_ticks = excluded.last_used_ticks
                """,
                u.Reference, u.Url, u.MandateId, time.UtcTicks));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }

        return entries;
    }

    internal static Task<AuditAnchor?> AnchorAsync(NpgsqlConnection c) =>
        c.FirstAsync("SELECT sequence, hash, erased_at_ticks FROM audit_anchor WHERE id = 1",
            r => new AuditAnchor(r.GetInt64(0), r.GetString(1), new DateTimeOffset(r.GetInt64(2), TimeSpan.Zero)));
}
