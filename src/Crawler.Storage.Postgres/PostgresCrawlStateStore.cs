using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>Runs, their frontiers (one row per URL) and their leases.</summary>
public sealed class PostgresCrawlStateStore(PostgresDatabase db) : ICrawlStateStore
{
    /// <summary>The advisory lock class of a target's run lease.</summary>
    private const int LeaseLock = 0x4c656173;

    public Task<CrawlRun> StartRunAsync(long targetId, long mandateId, string startedBy, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            var id = await c.ScalarAsync<long>("SELECT nextval('runs_id_seq')");
            var run = new CrawlRun(id, targetId, mandateId, startedBy, at, RunState.Running, 0, 0, 0, null);
            await SaveAsync(c, run);
            return (run, true);
        }, ct: ct);

    public Task<CrawlRun?> UnfinishedRunAsync(long targetId, CancellationToken ct = default) => db.ReadAsync(async c =>
        (await RunsAsync(c, targetId)).LastOrDefault(r => r.State is RunState.Running or RunState.Interrupted), ct);

    public Task SaveRunAsync(CrawlRun run, CancellationToken ct = default) => db.WriteAsync(c => SaveAsync(c, run), ct: ct);

    public Task<IReadOnlyList<CrawlRun>> RunsAsync(long? targetId, CancellationToken ct = default) => db.ReadAsync(c => RunsAsync(c, targetId), ct);

    public Task<CrawlRun?> FindRunAsync(long runId, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM runs WHERE id = $1", r => StoreJson.Read<CrawlRun>(r.GetString(0)), runId), ct);

    public Task<IReadOnlyList<FrontierItem>> EnqueueAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(async c =>
        {
            // One writer per run's frontier at a time, so that two enqueues of one URL cannot both find it missing.
            await c.LockAsync(FrontierLock, runId);
            var distinct = urls.Select(u => u.CanonicalUrl).Distinct(StringComparer.Ordinal).ToArray();
            var known = (await c.QueryAsync(
                    "SELECT id, url, depth, done FROM frontier WHERE run_id = $1 AND md5(url) = ANY(SELECT md5(u) FROM unnest($2::text[]) u) AND url = ANY($2)",
                    r => (Id: r.GetInt64(0), Url: r.GetString(1), Depth: r.GetInt32(2), Done: r.GetBoolean(3)), runId, distinct))
                .ToDictionary(x => x.Url, StringComparer.Ordinal);
            var added = new List<FrontierItem>();
            var changed = false;
            foreach (var (url, depth) in urls)
            {
                if (known.TryGetValue(url, out var existing))
                {
                    // The shortest way to a URL decides its depth, whichever request found it first.
                    if (!existing.Done && depth < existing.Depth)
                    {
                        await c.ExecAsync("UPDATE frontier SET depth = $2 WHERE id = $1", existing.Id, depth);
                        known[url] = existing with { Depth = depth };
                        changed = true;
                    }

                    continue;
                }

                var id = await c.ScalarAsync<long>("INSERT INTO frontier (run_id, url, depth) VALUES ($1, $2, $3) RETURNING id", runId, url, depth);
                known[url] = (id, url, depth, false);
                added.Add(new FrontierItem(id, runId, url, depth));
            }

            return (added, added.Count > 0 || changed);
        }, durability, ct);

    public Task<IReadOnlyList<FrontierItem>> AddNewAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default) =>
        urls.Count == 0 ? Task.FromResult<IReadOnlyList<FrontierItem>>([]) : db.WriteAsync<IReadOnlyList<FrontierItem>>(async c =>
        {
            // One statement for the batch; the ids follow the order of the URLs given.
            var added = await c.QueryAsync(
                """
                INSERT INTO frontier (run_id, url, depth)
                SELECT $1, u.url, u.depth FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS u(url, depth, n) ORDER BY u.n
                RETURNING id, url, depth
                """,
                r => new FrontierItem(r.GetInt64(0), runId, r.GetString(1), r.GetInt32(2)),
                runId, urls.Select(u => u.CanonicalUrl).ToArray(), urls.Select(u => u.Depth).ToArray());
            return (added.OrderBy(i => i.Id).ToList(), true);
        }, durability, ct);

    public Task DeepenAsync(IReadOnlyList<(long ItemId, int Depth)> items, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        items.Count == 0 ? Task.CompletedTask : db.WriteAsync(c => c.ExecAsync(
            """
            UPDATE frontier f SET depth = d.depth FROM unnest($1::bigint[], $2::int[]) AS d(id, depth)
            WHERE f.id = d.id AND NOT f.done AND d.depth < f.depth
            """,
            items.Select(i => i.ItemId).ToArray(), items.Select(i => i.Depth).ToArray()), durability, ct);

    public Task<IReadOnlyList<FrontierItem>> PendingAsync(long runId, int limit, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<FrontierItem>>(async c => await c.QueryAsync(
            "SELECT id, url, depth, attempts, starts FROM frontier WHERE run_id = $1 AND NOT done ORDER BY id LIMIT $2",
            r => Item(r, runId), runId, limit), ct);

    public Task<IReadOnlyList<(FrontierItem Item, bool Done)>> FrontierAsync(long runId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<(FrontierItem, bool)>>(async c => await c.QueryAsync(
            "SELECT id, url, depth, attempts, starts, done FROM frontier WHERE run_id = $1 ORDER BY id",
            r => (Item(r, runId), r.GetBoolean(5)), runId), ct);

    public Task CompleteAsync(FrontierCompletion completion, CancellationToken ct = default) => db.WriteAsync(async c =>
    {
        // Its handling ended, one way or another: it was not in flight when a process died. Requeued, it stays pending
        // with one more attempt counted; abandoned, it stays pending as it was.
        await c.ExecAsync(
            "UPDATE frontier SET starts = greatest(0, starts - 1), attempts = attempts + $2, done = done OR $3 WHERE id = $1",
            completion.ItemId, completion.Requeue ? 1 : 0, !completion.Requeue && !completion.Abandon);
        if (completion.Run is { } run)
        {
            await SaveAsync(c, run);
        }
    }, ct: ct);

    public Task MarkStartedAsync(long itemId, CancellationToken ct = default) =>
        db.WriteAsync(c => c.ExecAsync("UPDATE frontier SET starts = starts + 1 WHERE id = $1", itemId), ct: ct);

    public Task ReservePagesAsync(long runId, int pages, CancellationToken ct = default) => db.WriteAsync(c => c.ExecAsync(
        "INSERT INTO run_reservations (run_id, pages) VALUES ($1, $2) ON CONFLICT (run_id) DO UPDATE SET pages = excluded.pages", runId, pages), ct: ct);

    public Task<int> ReservedPagesAsync(long runId, CancellationToken ct = default) =>
        db.ReadAsync(c => c.ScalarAsync<int>("SELECT pages FROM run_reservations WHERE run_id = $1", runId), ct);

    public Task<RunLeaseAttempt> TryTakeLeaseAsync(RunLease candidate, Func<RunLease, bool> isDead, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            // Held until the transaction ends: two processes cannot both find the lease free (or its holder dead).
            await c.LockAsync(LeaseLock, candidate.TargetId);
            var held = await FindLeaseAsync(c, candidate.TargetId);
            if (held is not null && held.OwnerId != candidate.OwnerId && !isDead(held))
            {
                return (new RunLeaseAttempt(null, held, null), false);
            }

            await c.ExecAsync(
                "INSERT INTO run_leases (target_id, owner, json) VALUES ($1, $2, $3) ON CONFLICT (target_id) DO UPDATE SET owner = excluded.owner, json = excluded.json",
                candidate.TargetId, candidate.OwnerId, StoreJson.Write(candidate));
            return (new RunLeaseAttempt(candidate, null, held?.OwnerId == candidate.OwnerId ? null : held), true);
        }, ct: ct);

    public Task<bool> RenewLeaseAsync(long targetId, string ownerId, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            var held = await c.FirstAsync("SELECT json FROM run_leases WHERE target_id = $1 AND owner = $2 FOR UPDATE",
                r => StoreJson.Read<RunLease>(r.GetString(0)), targetId, ownerId);
            if (held is null)
            {
                return (false, false);
            }

            await c.ExecAsync("UPDATE run_leases SET json = $2 WHERE target_id = $1", targetId, StoreJson.Write(held with { HeartbeatAt = at }));
            return (true, true);
        }, ct: ct);

    public Task ReleaseLeaseAsync(long targetId, string ownerId, CancellationToken ct = default) =>
        db.WriteAsync(c => c.ExecAsync("DELETE FROM run_leases WHERE target_id = $1 AND owner = $2", targetId, ownerId), ct: ct);

    public Task<RunLease?> FindLeaseAsync(long targetId, CancellationToken ct = default) => db.ReadAsync(c => FindLeaseAsync(c, targetId), ct);

    public Task SaveTemplateAsync(HostTemplate hostTemplate, CancellationToken ct = default) => db.WriteAsync(c =>
        c.ExecAsync("INSERT INTO site_templates (host, json) VALUES ($1, $2) ON CONFLICT (host) DO UPDATE SET json = excluded.json",
            hostTemplate.Host, StoreJson.Write(hostTemplate)), ct: ct);

    public Task<HostTemplate?> FindTemplateAsync(string host, CancellationToken ct = default) => db.ReadAsync(c =>
        c.FirstAsync("SELECT json FROM site_templates WHERE host = $1", r => StoreJson.Read<HostTemplate>(r.GetString(0)), host), ct);

    /// <summary>The advisory lock class of a run's frontier.</summary>
    private const int FrontierLock = 0x46726f6e;

    internal static async Task<IReadOnlyList<CrawlRun>> RunsAsync(NpgsqlConnection c, long? targetId) => await c.QueryAsync(
        "SELECT json FROM runs WHERE $1::bigint IS NULL OR target_id = $1 ORDER BY id", r => StoreJson.Read<CrawlRun>(r.GetString(0)), targetId);

    private static Task<RunLease?> FindLeaseAsync(NpgsqlConnection c, long targetId) =>
        c.FirstAsync("SELECT json FROM run_leases WHERE target_id = $1", r => StoreJson.Read<RunLease>(r.GetString(0)), targetId);

    private static FrontierItem Item(NpgsqlDataReader r, long runId) =>
        new(r.GetInt64(0), runId, r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));

    private static Task<int> SaveAsync(NpgsqlConnection c, CrawlRun run) => c.ExecAsync(
        "INSERT INTO runs (id, target_id, json) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET target_id = excluded.target_id, json = excluded.json",
        run.Id, run.TargetId, StoreJson.Write(run));
}
