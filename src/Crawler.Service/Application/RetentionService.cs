using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Retention;

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

public sealed record RetentionReport(bool DryRun, IReadOnlyList<RetentionItem> Items, int FrontierItemsPurged, AuditAnchor? AuditAnchor, bool Compacted);

/// <summary>
/// Enforces policies/retention.yaml: erases what has expired, moves relevant hits whose period ended
/// to the restricted store, trims the audit trail's start, and compacts the database file so that
/// erased data does not linger in its free pages. Each erased item gets its own erase entry with its
/// content hash, never its content.
/// </summary>
public sealed class RetentionService(CrawlerContext context)
{
    /// <summary>A hit's retention as it stands now: what the review queue shows as its deletion date.</summary>
    public RetentionVerdict VerdictFor(Hit hit, IReadOnlyList<Mandate>? mandates = null)
    {
        mandates ??= context.Store.Mandates();
        var mandate = mandates.FirstOrDefault(m => m.Id == hit.MandateId);
        var purpose = mandate?.Spec.WpgPurpose ?? WpgPurpose.Art9;
        var end = mandate is null ? context.Now : RetentionRules.MandateEnd(mandate, mandates, context.Now);
        return RetentionRules.ForHit(hit, purpose, end, context.Retention, context.Now);
    }

    public RetentionReport Run(bool dryRun)
    {
        var actor = context.Authorize(dryRun ? Core.Users.Permission.RetentionPreview : Core.Users.Permission.RetentionRun, "retention").Name;
        var now = context.Now;
        var policy = context.Retention;
        var mandates = context.Store.Mandates();
        var items = new List<RetentionItem>();
        var erasedHits = new HashSet<long>();
        foreach (var hit in context.Store.Hits(null))
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
                context.Store.EraseHit(hit.Id);
                erasedHits.Add(hit.Id);
                Log(actor, AuditOperation.Erase, $"hit:{hit.Id}", "erased", verdict, hit.MandateId, hit.MandateVersion, hit.Case, hit.ContentSha256);
            }
            else
            {
                // Wpg art. 14: kept for complaints and accountability only; the raw snapshot goes now.
                context.Store.UpdateHit(hit with { RestrictedAt = now, HasSnapshot = false });
                context.Store.EraseSnapshot(hit.Id);
                Log(actor, AuditOperation.Restrict, $"hit:{hit.Id}", "restricted", verdict, hit.MandateId, hit.MandateVersion, hit.Case, hit.ContentSha256);
            }
        }

        foreach (var snapshot in context.Store.Snapshots().Where(s => !erasedHits.Contains(s.HitId)))
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
            if (!dryRun && context.Store.EraseSnapshot(snapshot.HitId))
            {
                Log(actor, AuditOperation.Erase, $"snapshot:{snapshot.HitId}", "erased", verdict, snapshot.MandateId, mandate?.Version, mandate?.Spec.Case,
                    snapshot.ContentSha256);
            }
        }

        if (dryRun)
        {
            context.Audit(new AuditRecord(actor, AuditOperation.Consult, "retention", "dry-run",
                $"dry run: {items.Count} items due (nothing changed)", "retention.dry-run"));
            return new RetentionReport(true, items, 0, null, false);
        }

        var purged = context.Store.PurgeFinishedFrontiers();
        if (purged > 0)
        {
            context.Audit(new AuditRecord(actor, AuditOperation.Erase, "frontier", "erased",
                $"{purged} frontier entries of finished runs erased (URLs no run needs any more)", "retention.frontier"));
        }

        var anchor = context.Store.EraseAuditBefore(RetentionRules.AuditCutoff(policy, now),
            new AuditRecord(actor, AuditOperation.Erase, "audit", "erased", $"audit entries older than {policy.AuditDays} days erased",
                AuditAnchor.Rule, PolicyVersion: context.Policy.Version), now);

        var compacted = false;
        if (items.Count > 0 || purged > 0 || anchor is not null)
        {
            context.Store.Compact();
            compacted = true;
        }

        context.Audit(new AuditRecord(actor, AuditOperation.Erase, "retention", "ok",
            $"retention run: {items.Count(i => i.Action == RetentionAction.Erase)} erased, {items.Count(i => i.Action == RetentionAction.Restrict)} restricted, " +
            $"{purged} frontier entries purged{(anchor is null ? "" : $", audit trail now starts after entry {anchor.Sequence}")}" +
            (compacted ? "; database file compacted" : ""), "retention.run"));
        return new RetentionReport(false, items, purged, anchor, compacted);
    }

    private void Log(string actor, string operation, string subject, string outcome, RetentionVerdict verdict, long? mandateId, int? mandateVersion,
        string? @case, string contentSha256) =>
        context.Audit(new AuditRecord(actor, operation, subject, outcome,
            $"{verdict.Basis}; deadline {verdict.DeleteAt:O}", verdict.Rule, mandateId, mandateVersion, @case, ContentSha256: contentSha256,
            DataSubject: DataSubject.Unknown));
}
