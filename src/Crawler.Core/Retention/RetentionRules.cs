using Crawler.Core.Hits;
using Crawler.Core.Mandates;

namespace Crawler.Core.Retention;

/// <summary>Deadlines for hits, snapshots and the audit trail. Pure: the caller supplies the clock and the mandates.</summary>
public static class RetentionRules
{
    /// <summary>
    /// When the case's collection ended: the mandate's validity end, or its revocation (including a
    /// necessity review that ended it), whichever came first. A mandate replaced by a renewal or an
    /// amendment ends when its successor ends. Null while the case is still running.
    /// </summary>
    public static DateTimeOffset? MandateEnd(Mandate mandate, IReadOnlyList<Mandate> all, DateTimeOffset now)
    {
        var current = mandate;
        for (var guard = 0; guard < 1000; guard++)
        {
            var successor = all.FirstOrDefault(m => m.PreviousId == current.Id && m.Approval is not null &&
                                                    m.Status is MandateStatus.Approved or MandateStatus.Superseded or MandateStatus.Revoked or MandateStatus.Suspended);
            if (current.Status == MandateStatus.Superseded && successor is not null)
            {
                current = successor;
                continue;
            }

            break;
        }

        var revoked = current.History.FirstOrDefault(e => e.Status == MandateStatus.Revoked)?.At;
        var end = revoked is { } r && r < current.Spec.ValidUntil ? r : current.Spec.ValidUntil;
        return end <= now ? end : null;
    }

    public static DateTimeOffset? Deadline(RetentionPeriod period, DateTimeOffset fetched, DateTimeOffset? reviewed, DateTimeOffset? mandateEnd)
    {
        DateTimeOffset? earliest = null;
        void Consider(int? days, DateTimeOffset? anchor)
        {
            if (days is { } d && anchor is { } a)
            {
                var at = a.AddDays(d);
                earliest = earliest is null || at < earliest ? at : earliest;
            }
        }

        Consider(period.AfterFetch, fetched);
        Consider(period.AfterReview, reviewed);
        Consider(period.AfterMandateEnd, mandateEnd);
        return earliest;
    }

    public static RetentionVerdict ForHit(Hit hit, WpgPurpose purpose, DateTimeOffset? mandateEnd, RetentionPolicy policy, DateTimeOffset now)
    {
        if (hit.RestrictedAt is { } restricted)
        {
            var until = restricted.AddDays(policy.RestrictedDays);
            return new RetentionVerdict(RetentionClass.Restricted, until, "retention.restricted",
                $"restricted store (Wpg art. 14): {policy.RestrictedDays} days after restriction", now >= until ? RetentionAction.Erase : RetentionAction.Keep);
        }

        var reviewed = hit.Reviews is { Count: > 0 } reviews ? reviews[^1].At : (DateTimeOffset?)null;
        var (cls, period, rule, basis) = hit.ReviewStatus switch
        {
            "relevant" when purpose == WpgPurpose.Art8 => (RetentionClass.Relevant, policy.RelevantArt8, "retention.relevant-art8",
                "relevant, daily police task (Wpg art. 8)"),
            "relevant" => (RetentionClass.Relevant, policy.RelevantArt9, "retention.relevant-art9", "relevant to the investigation (Wpg art. 9)"),
            "not-relevant" => (RetentionClass.NotRelevant, policy.NotRelevant, "retention.not-relevant", "reviewed as not relevant"),
            "needs-more" => (RetentionClass.NeedsMore, policy.NeedsMore, "retention.needs-more", "review asked for more"),
            _ => (RetentionClass.Unreviewed, policy.Unreviewed, "retention.unreviewed", "not reviewed"),
        };
        var deadline = Deadline(period, hit.FetchedAt, reviewed, mandateEnd);
        var due = deadline is { } d && now >= d
            ? cls == RetentionClass.Relevant && policy.RestrictedDays > 0 ? RetentionAction.Restrict : RetentionAction.Erase
            : RetentionAction.Keep;
        return new RetentionVerdict(cls, deadline, rule, basis + ": " + Describe(period), due);
    }

    public static RetentionVerdict ForSnapshot(DateTimeOffset fetched, DateTimeOffset? mandateEnd, RetentionPolicy policy, DateTimeOffset now)
    {
        var deadline = Deadline(policy.Snapshots, fetched, null, mandateEnd);
        return new RetentionVerdict(RetentionClass.Snapshot, deadline, "retention.snapshot", "raw snapshot: " + Describe(policy.Snapshots),
            deadline is { } d && now >= d ? RetentionAction.Erase : RetentionAction.Keep);
    }

    /// <summary>Audit entries written before this moment have outlived the trail's retention.</summary>
    public static DateTimeOffset AuditCutoff(RetentionPolicy policy, DateTimeOffset now) => now.AddDays(-policy.AuditDays);

    public static string Describe(RetentionPeriod p)
    {
        var parts = new List<string>();
        if (p.AfterFetch is { } f)
        {
            parts.Add($"{f} days after fetch");
        }

        if (p.AfterReview is { } r)
        {
            parts.Add($"{r} days after review");
        }

        if (p.AfterMandateEnd is { } m)
        {
            parts.Add($"{m} days after the mandate ends");
        }

        return parts.Count == 0 ? "no period" : "the earliest of " + string.Join(", ", parts);
    }
}
