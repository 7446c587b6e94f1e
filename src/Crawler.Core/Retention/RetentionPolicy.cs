namespace Crawler.Core.Retention;

/// <summary>
/// How long one kind of data may be kept, in days after each anchor that applies. The deadline is
/// the earliest of the anchors that are known; an anchor not yet reached (a mandate still running,
/// a hit not yet reviewed) does not count until it is.
/// </summary>
public sealed record RetentionPeriod(int? AfterFetch = null, int? AfterReview = null, int? AfterMandateEnd = null)
{
    public bool IsEmpty => AfterFetch is null && AfterReview is null && AfterMandateEnd is null;
}

/// <summary>
/// The retention periods of policies/retention.yaml (Wpg art. 8, 9 and 14, as summarised in
/// docs/compliance.md). <see cref="RestrictedDays"/>: how long a relevant hit whose period ended stays
/// in the restricted store (art. 14) before it is destroyed; 0 destroys it at once.
/// </summary>
public sealed record RetentionPolicy(
    RetentionPeriod Snapshots,
    RetentionPeriod Unreviewed,
    RetentionPeriod NeedsMore,
    RetentionPeriod NotRelevant,
    RetentionPeriod RelevantArt9,
    RetentionPeriod RelevantArt8,
    int RestrictedDays,
    int AuditDays,
    string Schedule);

/// <summary>The kinds of data retention tells apart.</summary>
public enum RetentionClass
{
    Snapshot,
    Unreviewed,
    NeedsMore,
    NotRelevant,
    Relevant,
    Restricted,
    Audit,
}

/// <summary>What happens to an item at its deadline.</summary>
public enum RetentionAction
{
    /// <summary>Nothing yet: the deadline lies ahead or is not known yet.</summary>
    Keep,

    /// <summary>Destroyed: the data goes, an erase entry with its content hash stays.</summary>
    Erase,

    /// <summary>Moved to the restricted store (Wpg art. 14): kept for complaints and accountability only.</summary>
    Restrict,
}

/// <summary>An item's retention: its class, its deadline (null while not known), the rule, and what is due now.</summary>
public sealed record RetentionVerdict(RetentionClass Class, DateTimeOffset? DeleteAt, string Rule, string Basis, RetentionAction Due);
