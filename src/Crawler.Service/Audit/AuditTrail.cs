using System.Collections.Concurrent;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Service.Telemetry;

namespace Crawler.Service.Audit;

/// <summary>
/// Appends to the tamper-evident trail: page URLs replaced by their keyed references (kept beside the trail), the
/// policy version and the mandate's legal basis filled in where the caller left them out, linked by the audit key.
/// </summary>
public sealed class AuditTrail(IAuditLog log, IMandateStore mandates, AuditSigner signer, Pseudonymiser pseudonymiser, PolicySet policy, TimeProvider time,
    CrawlerMetrics metrics)
{
    // A mandate's legal basis never changes (an amendment is a new mandate), so it is read once.
    private readonly ConcurrentDictionary<long, string?> _legalBasis = new();

    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken ct = default) => (await AppendAsync([record], Durability.Committed, ct))[0];

    /// <summary>Appends one entry, acknowledged as <paramref name="durability"/> says (a crawl's page entries: once applied).</summary>
    public async Task<AuditEntry> AppendAsync(AuditRecord record, Durability durability, CancellationToken ct) => (await AppendAsync([record], durability, ct))[0];

    /// <summary>Appends entries together, all or none (one page's decisions, say), at the clock's now.</summary>
    public Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct = default) =>
        AppendAsync(records, Durability.Committed, ct);

    /// <summary>Appends entries together, all or none, acknowledged as <paramref name="durability"/> says.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, Durability durability, CancellationToken ct)
    {
        var mentions = new List<UrlMention>();
        var complete = new AuditRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            complete[i] = pseudonymiser.SealUrls(await CompleteAsync(records[i], ct), mentions);
        }

        var appended = await log.AppendAsync(complete, time.GetUtcNow(), mentions, signer, durability, ct);
        metrics.AuditAppended(appended.Count);
        return appended;
    }

    /// <summary>
    /// A hit's "stored" entry made ready (completed and its URLs sealed as <see cref="AppendAsync(IReadOnlyList{AuditRecord}, Durability, CancellationToken)"/>
    /// does) for the hit store to link in the hit's own transaction; <see cref="Appended"/> counts it once stored.
    /// </summary>
    public async Task<HitStoredEntry> PrepareStoredAsync(AuditRecord record, CancellationToken ct)
    {
        var mentions = new List<UrlMention>();
        var complete = pseudonymiser.SealUrls(await CompleteAsync(record, ct), mentions);
        return new HitStoredEntry(complete, time.GetUtcNow(), mentions, signer);
    }

    /// <summary>Counts entries a store appended on the trail's behalf (a hit's "stored" entry).</summary>
    public void Appended(int entries) => metrics.AuditAppended(entries);

    private async ValueTask<AuditRecord> CompleteAsync(AuditRecord r, CancellationToken ct) => r with
    {
        PolicyVersion = r.PolicyVersion ?? policy.Version,
        LegalBasis = r.LegalBasis ?? (r.MandateId is { } m ? await LegalBasisOfAsync(m, ct) : null),
    };

    private async ValueTask<string?> LegalBasisOfAsync(long mandateId, CancellationToken ct)
    {
        if (_legalBasis.TryGetValue(mandateId, out var basis))
        {
            return basis;
        }

        basis = (await mandates.FindAsync(mandateId, ct))?.Spec.LegalBasis;
        _legalBasis[mandateId] = basis;
        return basis;
    }
}
