using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Retention;
using Crawler.Core.Storage;
using Crawler.Service.Access;
using Crawler.Service.Audit;

namespace Crawler.Service.Application;

/// <summary>One item retention dealt with (or, in a dry run, would deal with).</summary>
public sealed record RetentionItem(
    string Subject,
    RetentionClass Class,
    RetentionAction Action,
    DateTimeOffset? DeleteAt,
    string Rule,
    string Basis,
    long? MandateId,
    string? Case,
    string? ContentSha256);

/// <summary>What retention holds for one mandate now: its hits and snapshots, how many are due, and the next deadline of each.</summary>
public sealed record MandateRetention(long MandateId, int Version, string Case, int Hits, int HitsDue, DateTimeOffset? NextHitDeadline,
    int Snapshots, int SnapshotsDue, DateTimeOffset? NextSnapshotDeadline);

/// <summary>
/// What falls due when: per mandate, and for the audit trail the instant before which its entries are erased at the
/// next run (<see cref="RetentionPolicy.AuditDays"/> days back).
/// </summary>
public sealed record RetentionStatus(IReadOnlyList<MandateRetention> Mandates, int AuditDays, DateTimeOffset AuditCutoff, DateTimeOffset At);

public sealed record RetentionReport(bool DryRun, IReadOnlyList<RetentionItem> Items, int FrontierItemsPurged, AuditAnchor? AuditAnchor, bool Compacted);

/// <summary>
/// Enforces policies/retention.yaml: erases what has expired, moves relevant hits whose period ended
/// to the restricted store, trims the audit trail's start, and compacts the database file so that
/// erased data does not linger in its free pages. Each erased item gets its own erase entry with its
/// content hash, never its content.
/// </summary>
public sealed class RetentionService(IMandateStore mandateStore, IHitStore hits, IRetentionStore store, AccessControl access, AuditTrail audit,
    AuditSigner signer, Pseudonymiser pseudonymiser, RetentionPolicy retention, PolicySet policySet, TimeProvider time)
{
    /// <summary>A hit's retention as it stands now, given every mandate: what the review queue shows as its deletion date.</summary>
    public RetentionVerdict VerdictFor(Hit hit, IReadOnlyList<Mandate> mandates)
    {
        var now = time.GetUtcNow();
        var mandate = mandates.FirstOrDefault(m => m.Id == hit.MandateId);
        var purpose = mandate?.Spec.WpgPurpose ?? WpgPurpose.Art9;
        var end = mandate is null ? now : RetentionRules.MandateEnd(mandate, mandates, now);
        return RetentionRules.ForHit(hit, purpose, end, retention, now);
    }

    public async Task<RetentionVerdict> VerdictForAsync(Hit hit, CancellationToken ct = default) => VerdictFor(hit, await mandateStore.ListAsync(ct));

    /// <summary>
    /// The retention status without changing anything: the same verdicts a run would reach, counted per mandate. It holds
    /// counts, dates and case numbers, no content; it is authorised as a dry run is.
    /// </summary>
    public async Task<RetentionStatus> StatusAsync(CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Core.Users.Permission.RetentionPreview, "retention:status", ct);
        var now = time.GetUtcNow();
        var mandates = await mandateStore.ListAsync(ct);
        var hitVerdicts = (await hits.ListAsync(null, ct)).Select(h => (h.MandateId, Verdict: VerdictFor(h, mandates))).ToList();
        var snapshotVerdicts = (await store.SnapshotsAsync(ct)).Select(s =>
        {
            var mandate = mandates.FirstOrDefault(m => m.Id == s.MandateId);
            var end = mandate is null ? now : RetentionRules.MandateEnd(mandate, mandates, now);
            return (s.MandateId, Verdict: RetentionRules.ForSnapshot(s.FetchedAt, end, retention, now));
        }).ToList();

        static (int Count, int Due, DateTimeOffset? Next) Sum(IEnumerable<RetentionVerdict> verdicts)
        {
            var list = verdicts.ToList();
            return (list.Count, list.Count(v => v.Due != RetentionAction.Keep),
                list.Where(v => v.Due == RetentionAction.Keep).Select(v => v.DeleteAt).OfType<DateTimeOffset>().Order().Cast<DateTimeOffset?>().FirstOrDefault());
        }

        var rows = new List<MandateRetention>();
        foreach (var m in mandates.OrderBy(m => m.Id))
        {
            var h = Sum(hitVerdicts.Where(x => x.MandateId == m.Id).Select(x => x.Verdict));
            var s = Sum(snapshotVerdicts.Where(x => x.MandateId == m.Id).Select(x => x.Verdict));
            if (h.Count > 0 || s.Count > 0)
            {
                rows.Add(new MandateRetention(m.Id, m.Version, m.Spec.Case, h.Count, h.Due, h.Next, s.Count, s.Due, s.Next));
            }
        }

        return new RetentionStatus(rows, retention.AuditDays, RetentionRules.AuditCutoff(retention, now), now);
    }

    public async Task<RetentionReport> RunAsync(bool dryRun, CancellationToken ct = default)
    {
        var actor = (await access.AuthorizeAsync(dryRun ? Core.Users.Permission.RetentionPreview : Core.Users.Permission.RetentionRun, "retention", ct)).Name;
        var now = time.GetUtcNow();
        var policy = retention;
        var mandates = await mandateStore.ListAsync(ct);
        var items = new List<RetentionItem>();
        var erasedHits = new HashSet<long>();
        foreach (var hit in await hits.ListAsync(null, ct))
        {
            var verdict = VerdictFor(hit, mandates);
            if (verdict.Due == RetentionAction.Keep)
            {
                continue;
            }

            items.Add(new RetentionItem($"hit:{hit.Id}", verdict.Class, verdict.Due, verdict.DeleteAt, verdict.Rule, verdict.Basis,
                hit.MandateId, hit.Case, hit.ContentSha256));
            if (dryRun)
            {
                continue;
            }

            if (verdict.Due == RetentionAction.Erase)
            {
                await store.EraseHitAsync(hit.Id, h => pseudonymiser.UrlReferenceOf(h.MandateId, h.Url), ct);
                erasedHits.Add(hit.Id);
                await LogAsync(actor, AuditOperation.Erase, $"hit:{hit.Id}", "erased", verdict, hit.MandateId, hit.MandateVersion, hit.Case, hit.ContentSha256, ct);
            }
            else
            {
                // Wpg art. 14: kept for complaints and accountability only; the raw snapshot goes now.
                await store.RestrictHitAsync(hit.Id, now, ct);
                await LogAsync(actor, AuditOperation.Restrict, $"hit:{hit.Id}", "restricted", verdict, hit.MandateId, hit.MandateVersion, hit.Case, hit.ContentSha256, ct);
            }
        }

        foreach (var snapshot in (await store.SnapshotsAsync(ct)).Where(s => !erasedHits.Contains(s.HitId)))
        {
            var mandate = mandates.FirstOrDefault(m => m.Id == snapshot.MandateId);
            var end = mandate is null ? now : RetentionRules.MandateEnd(mandate, mandates, now);
            var verdict = RetentionRules.ForSnapshot(snapshot.FetchedAt, end, policy, now);
            if (verdict.Due == RetentionAction.Keep)
            {
                continue;
            }

            items.Add(new RetentionItem($"snapshot:{snapshot.HitId}", verdict.Class, verdict.Due, verdict.DeleteAt, verdict.Rule, verdict.Basis,
                snapshot.MandateId, mandate?.Spec.Case, snapshot.ContentSha256));
            if (!dryRun && await store.EraseSnapshotAsync(snapshot.HitId, ct))
            {
                await LogAsync(actor, AuditOperation.Erase, $"snapshot:{snapshot.HitId}", "erased", verdict, snapshot.MandateId, mandate?.Version, mandate?.Spec.Case,
                    snapshot.ContentSha256, ct);
            }
        }

        if (dryRun)
        {
            await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Consult, "retention", "dry-run",
                $"dry run: {items.Count} items due (nothing changed)", "retention.dry-run"), ct);
            return new RetentionReport(true, items, 0, null, false);
        }

        var purged = await store.PurgeFinishedFrontiersAsync(ct);
        if (purged > 0)
        {
            await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Erase, "frontier", "erased",
                $"{purged} frontier entries of finished runs erased (URLs no run needs any more)", "retention.frontier"), ct);
        }

        var anchor = await store.EraseAuditBeforeAsync(RetentionRules.AuditCutoff(policy, now),
            new AuditRecord(actor, AuditOperation.Erase, "audit", "erased", $"audit entries older than {policy.AuditDays} days erased",
                AuditAnchor.Rule, PolicyVersion: policySet.Version), now, signer, ct);

        var compacted = false;
        if (items.Count > 0 || purged > 0 || anchor is not null)
        {
            await store.CompactAsync(ct);
            compacted = true;
        }

        await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Erase, "retention", "ok",
            $"retention run: {items.Count(i => i.Action == RetentionAction.Erase)} erased, {items.Count(i => i.Action == RetentionAction.Restrict)} restricted, " +
            $"{purged} frontier entries purged{(anchor is null ? "" : $", audit trail now starts after entry {anchor.Sequence}")}" +
            (compacted ? "; database file compacted" : ""), "retention.run"), ct);
        return new RetentionReport(false, items, purged, anchor, compacted);
    }

    private Task LogAsync(string actor, string operation, string subject, string outcome, RetentionVerdict verdict, long? mandateId, int? mandateVersion,
        string? @case, string contentSha256, CancellationToken ct) =>
        audit.AppendAsync(new AuditRecord(actor, operation, subject, outcome,
            $"{verdict.Basis}; deadline {verdict.DeleteAt:O}", verdict.Rule, mandateId, mandateVersion, @case, ContentSha256: contentSha256,
            DataSubject: DataSubject.Unknown), ct);
}
