using System.Runtime.CompilerServices;
using Crawler.Core.Audit;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>
/// The audit trail and, beside it, the URLs its references stand for. An entry is stored as its canonical bytes
/// (what the HMAC covers) and its hash: reading the trail back decodes one binary field instead of mapping a
/// document of twenty.
/// </summary>
public sealed class LiteAuditLog(LiteDatabaseContext db) : IAuditLog
{
    private const int Page = 10_000;

    public Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls,
        AuditSigner signer, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        db.WriteAsync(d => (Append(db, d, records, time, urls, signer), true), durability);

    public Task<string?> FindUrlAsync(string reference, CancellationToken ct = default) =>
        db.ReadAsync(d => d.GetCollection("urls").FindById(reference)?["url"].AsString);

    public async IAsyncEnumerable<AuditEntry> EntriesAsync(long after = 0, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();

            // A range on _id walks the primary index in order: no sort, no materialised query, and nothing held between pages.
            var from = after;
            var page = await db.ReadAsync(d => d.GetCollection("audit").Find(Filters.Above("_id", from), 0, Page).Select(FromBson).ToList());
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

    public Task<long> CountAsync(CancellationToken ct = default) => db.ReadAsync(d => d.GetCollection("audit").LongCount());

    public Task<AuditAnchor?> AnchorAsync(CancellationToken ct = default) => db.ReadAsync(Anchor);

    /// <summary>Appends after the head, which the database's owner keeps in memory between appends (read from the file after a reopen or a rollback).</summary>
    internal static IReadOnlyList<AuditEntry> Append(LiteDatabaseContext context, LiteDatabase d, IReadOnlyList<AuditRecord> records, DateTimeOffset time,
        IReadOnlyList<UrlMention> urls, AuditSigner signer)
    {
        var col = d.GetCollection("audit");
        var head = context.AuditHead ?? Head(d);
        var entries = signer.Link(head, time, records);
        col.InsertBulk(entries.Select(ToBson));
        context.AuditHead = entries.Count > 0 ? new AuditHead(entries[^1].Sequence, entries[^1].Hash) : head;
        if (urls.Count > 0)
        {
            var vault = d.GetCollection("urls");
            foreach (var u in urls.DistinctBy(u => u.Reference))
            {
                vault.Upsert(new BsonDocument
                {
                    ["_id"] = u.Reference,
                    ["url"] = u.Url,
                    ["mandateId"] = u.MandateId is { } m ? new BsonValue(m) : BsonValue.Null,
                    ["lastUsed"] = time.UtcTicks,
                });
            }
        }

        return entries;
    }

    private static AuditHead Head(LiteDatabase d)
    {
        var last = d.GetCollection("audit").Query().OrderByDescending("_id").Limit(1).FirstOrDefault();
        return last is not null ? new AuditHead(last["_id"].AsInt64, last["hash"].AsString)
            : Anchor(d) is { } anchor ? new AuditHead(anchor.Sequence, anchor.Hash)
            : AuditHead.Genesis;
    }

    internal static AuditAnchor? Anchor(LiteDatabase d) =>
        d.GetCollection("settings").FindById("audit-anchor") is { } doc
            ? new AuditAnchor(doc["sequence"].AsInt64, doc["hash"].AsString, new DateTimeOffset(doc["erasedAt"].AsInt64, TimeSpan.Zero))
            : null;

    internal static BsonDocument ToBson(AuditEntry e) => new()
    {
        ["_id"] = e.Sequence,
        ["entry"] = AuditCodec.Encode(e.Sequence, e.Time, e.Record, e.PreviousHash),
        ["hash"] = e.Hash,
    };

    internal static AuditEntry FromBson(BsonDocument d) => AuditCodec.Decode(d["entry"].AsBinary, d["hash"].AsString);
}
