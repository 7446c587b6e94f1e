using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>Erasure and compaction: what retention needs, each step in one transaction.</summary>
public sealed class LiteRetentionStore(LiteDatabaseContext db) : IRetentionStore
{
    public Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(CancellationToken ct = default) => db.ReadAsync<IReadOnlyList<SnapshotInfo>>(d =>
        d.GetCollection("snapshots").Query().Select("{_id, mandateId, fetchedAt, sha256}").ToEnumerable()
            .Select(doc => new SnapshotInfo(doc["_id"].AsInt64, doc["mandateId"].AsInt64, new DateTimeOffset(doc["fetchedAt"].AsInt64, TimeSpan.Zero),
                doc["sha256"].AsString))
            .OrderBy(s => s.HitId).ToList());

    public Task<bool> EraseSnapshotAsync(long hitId, CancellationToken ct = default) => db.WriteAsync(d => (EraseSnapshot(d, hitId), true));

    public Task RestrictHitAsync(long hitId, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(d =>
        {
            var hits = d.GetCollection("hits");
            if (hits.FindById(hitId) is { } doc && doc.ContainsKey("json"))
            {
                // Wpg art. 14: kept for complaints and accountability only; the raw snapshot goes now.
                doc["json"] = StoreJson.Write(LiteHitStore.ReadHit(doc) with { RestrictedAt = at, HasSnapshot = false });
                hits.Update(doc);
                d.GetCollection("snapshots").Delete(hitId);
            }
        });

    public Task<bool> EraseHitAsync(long id, Func<Hit, string> urlReference, CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var hits = d.GetCollection("hits");
        if (LiteHitStore.Find(d, id) is not { } hit)
        {
            return (false, false);
        }

        hits.Delete(id);
        d.GetCollection("snapshots").Delete(id);

        // A linking result names the erased hit and its pseudonyms: it goes, and the next linking starts afresh.
        d.GetCollection("links").Delete(hit.MandateId);
        var sameUrlKept = hits.Find(Filters.Equal("mandateId", hit.MandateId))
            .Any(doc => doc.ContainsKey("json") && LiteHitStore.ReadHit(doc).Url == hit.Url);
        if (!sameUrlKept)
        {
            // The trail names the URL by reference only: with the URL gone, the reference proves
            // that something was collected and erased, and no longer says what.
            d.GetCollection("urls").Delete(urlReference(hit));
        }

        return (true, true);
    });

    public Task<int> PurgeFinishedFrontiersAsync(CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var over = d.GetCollection("runs").FindAll().Where(doc => doc.ContainsKey("json"))
            .Select(doc => StoreJson.Read<CrawlRun>(doc["json"].AsString))
            .Where(r => r.IsOver)
            .Select(r => r.Id).ToList();
        var frontier = d.GetCollection("frontier");
        var purged = over.Sum(id => frontier.DeleteMany(Filters.Equal("runId", id)));
        return (purged, true);
    });

    public Task<AuditAnchor?> EraseAuditBeforeAsync(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now, AuditSigner signer,
        CancellationToken ct = default) => db.WriteAsync(d =>
    {
        var col = d.GetCollection("audit");
        var first = LiteAuditLog.Anchor(d)?.Sequence ?? 0;
        AuditEntry? last = null;
        foreach (var doc in col.Find(Filters.Above("_id", first)))
        {
            var entry = LiteAuditLog.FromBson(doc);
            if (entry.Time >= cutoff)
            {
                break;
            }

            last = entry;
        }

        if (last is null)
        {
            return ((AuditAnchor?)null, false);
        }

        col.DeleteMany(Filters.AtMost("_id", last.Sequence));
        var anchor = new AuditAnchor(last.Sequence, last.Hash, now);
        d.GetCollection("settings").Upsert(new BsonDocument
        {
            ["_id"] = "audit-anchor",
            ["sequence"] = anchor.Sequence,
            ["hash"] = anchor.Hash,
            ["erasedAt"] = now.UtcTicks,
        });
        d.GetCollection("urls").DeleteMany(Filters.Below("lastUsed", cutoff.UtcTicks));

        // Appended under the new anchor, in the same transaction: the chain itself says where it now starts.
        db.AuditHead = null;
        LiteAuditLog.Append(db, d, [erasure with { Subject = anchor.Subject, Rule = AuditAnchor.Rule, Reason = $"{erasure.Reason}; last erased entry {anchor.Sequence} had hash {anchor.Hash}" }],
            now, [], signer);
        return ((AuditAnchor?)anchor, true);
    });

    public Task CompactAsync(CancellationToken ct = default) =>
        db.ExclusiveAsync(d =>
        {
            d.Checkpoint();

            // The rebuild writes every live document into a fresh file; without the password it would
            // write the new file unencrypted, so the key is passed on explicitly.
            d.Rebuild(new LiteDB.Engine.RebuildOptions { Password = db.Folder.DatabasePassword });
            d.Checkpoint();

            // The rebuild keeps the old file as a backup: the very pages retention just erased.
            var path = db.Folder.DatabasePath;
            foreach (var backup in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-backup*"))
            {
                Shred(backup);
            }

            return true;
        });

    private static bool EraseSnapshot(LiteDatabase d, long hitId)
    {
        var erased = d.GetCollection("snapshots").Delete(hitId);
        if (erased && LiteHitStore.Find(d, hitId) is { } hit)
        {
            var hits = d.GetCollection("hits");
            var doc = hits.FindById(hitId);
            doc["json"] = StoreJson.Write(hit with { HasSnapshot = false });
            hits.Update(doc);
        }

        return erased;
    }

    /// <summary>Overwrites a file with zeros before deleting it, so its blocks do not keep the data for whoever reads the disk next.</summary>
    private static void Shred(string file)
    {
        using (var f = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var zeros = new byte[64 * 1024];
            for (var left = f.Length; left > 0; left -= zeros.Length)
            {
                f.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
            }

            f.Flush(flushToDisk: true);
        }

        File.Delete(file);
    }
}
