using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>Mandates, each with its revision, and their usage counters.</summary>
public sealed class PostgresMandateStore(PostgresDatabase db) : IMandateStore
{
    private long _seen;

    /// <summary>
    /// The database's mandate change counter as this process last saw it: moved by its own writes, and by every usage or
    /// mandate read, which also reads the counter, so a revocation by another process is noticed at the next such read.
    /// </summary>
    public long ChangeStamp => Interlocked.Read(ref _seen);

    public Task<long?> TryAddAsync(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            // Adds and updates are serialised, so the mandates admissible sees are the ones in force at the insert.
            await c.ExecAsync("LOCK TABLE mandates IN SHARE ROW EXCLUSIVE MODE");
            if (!admissible(await AllAsync(c)))
            {
                return ((long?)null, false);
            }

            var id = await c.ScalarAsync<long>("SELECT nextval('mandates_id_seq')");
            await c.ExecAsync("INSERT INTO mandates (id, revision, status, json) VALUES ($1, 1, $2, $3)",
                id, mandate.Status.ToString(), StoreJson.Write(mandate with { Id = id, Revision = 1 }));
            await NoteChangeAsync(c);
            return ((long?)id, true);
        }, ct: ct);

    public Task<Mandate?> FindAsync(long id, CancellationToken ct = default) => db.ReadAsync(async c =>
    {
        await SeeChangesAsync(c);
        return await FindAsync(c, id);
    }, ct);

    public Task<IReadOnlyList<Mandate>> ListAsync(CancellationToken ct = default) => db.ReadAsync(async c =>
    {
        await SeeChangesAsync(c);
        return await AllAsync(c);
    }, ct);

    public Task<bool> TryUpdateAsync(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            // Locked in id order, so two updates of overlapping sets cannot deadlock; all revisions checked before any write.
            var ids = changes.Select(x => x.Expected.Id).Distinct().Order().ToArray();
            var revisions = (await c.QueryAsync("SELECT id, revision FROM mandates WHERE id = ANY($1) ORDER BY id FOR UPDATE",
                r => (Id: r.GetInt64(0), Revision: r.GetInt64(1)), ids)).ToDictionary(x => x.Id, x => x.Revision);
            if (changes.Any(x => !revisions.TryGetValue(x.Expected.Id, out var stored) || stored != x.Expected.Revision))
            {
                return (false, false);
            }

            foreach (var (expected, updated) in changes)
            {
                var revision = expected.Revision + 1;
                await c.ExecAsync("UPDATE mandates SET revision = $2, status = $3, json = $4 WHERE id = $1",
                    expected.Id, revision, updated.Status.ToString(), StoreJson.Write(updated with { Revision = revision }));
            }

            await NoteChangeAsync(c);
            return (true, true);
        }, ct: ct);

    public Task<MandateUsage> UsageAsync(long mandateId, CancellationToken ct = default) => db.ReadAsync(async c =>
    {
        await SeeChangesAsync(c);
        return await UsageAsync(c, mandateId, forUpdate: false);
    }, ct);

    public Task CountPageAsync(long mandateId, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        db.WriteAsync(c => c.ExecAsync(
            "INSERT INTO mandate_usage (mandate_id, pages) VALUES ($1, 1) ON CONFLICT (mandate_id) DO UPDATE SET pages = mandate_usage.pages + 1", mandateId),
            durability, ct);

    internal static async Task<Mandate?> FindAsync(NpgsqlConnection c, long id) =>
        await c.FirstAsync("SELECT json, revision FROM mandates WHERE id = $1", Read, id);

    /// <summary>The usage; <paramref name="forUpdate"/> locks the mandate's counters row (created when missing) until the transaction ends.</summary>
    internal static async Task<MandateUsage> UsageAsync(NpgsqlConnection c, long mandateId, bool forUpdate) =>
        (await CountersAsync(c, mandateId, forUpdate)).Usage;

    /// <summary>The usage and the number of distinct contacts the mandate's hits hold (<paramref name="forUpdate"/> locks the row as for the usage alone).</summary>
    internal static async Task<(MandateUsage Usage, long Contacts)> CountersAsync(NpgsqlConnection c, long mandateId, bool forUpdate)
    {
        if (forUpdate)
        {
            await c.ExecAsync("INSERT INTO mandate_usage (mandate_id) VALUES ($1) ON CONFLICT (mandate_id) DO NOTHING", mandateId);
        }

        var counters = await c.QueryAsync("SELECT pages, hits, contacts FROM mandate_usage WHERE mandate_id = $1" + (forUpdate ? " FOR UPDATE" : ""),
            r => (Usage: new MandateUsage(r.GetInt64(0), r.GetInt64(1)), Contacts: r.GetInt64(2)), mandateId);
        return counters.Count > 0 ? counters[0] : (MandateUsage.None, 0);
    }

    private static async Task<IReadOnlyList<Mandate>> AllAsync(NpgsqlConnection c) => await c.QueryAsync("SELECT json, revision FROM mandates ORDER BY id", Read);

    private async Task NoteChangeAsync(NpgsqlConnection c) =>
        See(await c.ScalarAsync<long>("UPDATE mandate_changes SET stamp = stamp + 1 WHERE id = 1 RETURNING stamp"));

    private async Task SeeChangesAsync(NpgsqlConnection c) => See(await c.ScalarAsync<long>("SELECT stamp FROM mandate_changes WHERE id = 1"));

    private void See(long stamp)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _seen);
            if (stamp <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _seen, stamp, seen) != seen);
    }

    private static Mandate Read(NpgsqlDataReader r) => StoreJson.Read<Mandate>(r.GetString(0)) with { Revision = r.GetInt64(1) };
}
