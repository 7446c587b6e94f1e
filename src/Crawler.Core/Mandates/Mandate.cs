using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crawler.Core.Mandates;

/// <summary>Kinds of personal data a hit may carry; the mandate decides per kind.</summary>
public enum DataCategory
{
    Phone,
    Email,
    Name,
    Age,
    Location,
    Price,
    Text,
    Images,
}

/// <summary>What happens to a data category before anything is stored.</summary>
public enum Treatment
{
    /// <summary>Not stored at all: the safe default for any category the mandate does not name.</summary>
    Drop,

    /// <summary>Stored as a keyed HMAC with a masked display form; revealing it is an officer action.</summary>
    Pseudonymise,

    /// <summary>Stored as found.</summary>
    Keep,
}

public enum WpgPurpose
{
    /// <summary>Wpg art. 8: the daily police task.</summary>
    Art8,

    /// <summary>Wpg art. 9: a specific investigation.</summary>
    Art9,
}

/// <summary>Caps over all runs of a mandate. <see cref="MaxContacts"/>: distinct contact identifiers stored; null = no separate cap.</summary>
public sealed record MandateLimits(int MaxPages, int MaxHits, int? MaxContacts = null);

/// <summary>Who or what the crawl is aimed at: the Koops targeting factor.</summary>
public enum TargetType
{
    /// <summary>A phenomenon (e.g. exploitation in a region): the least intrusive.</summary>
    Phenomenon,

    /// <summary>A group of persons.</summary>
    Group,

    /// <summary>One person: a more or less complete picture of someone's life comes near.</summary>
    Person,
}

/// <summary>
/// The content of a per-case crawl order as requested; approval binds exactly this content.
/// <see cref="RobotsOverride"/>, when set, is the justification for fetching what robots.txt
/// disallows; every fetch that relies on it is logged with it. Fields added after the first
/// version are optional and null when absent, so they do not change the canonical hash of
/// mandates that do not use them (see <see cref="ContentSha256"/>).
/// </summary>
public sealed record MandateSpec(
    string Case,
    string CaseName,
    string LegalBasis,
    WpgPurpose WpgPurpose,
    string Purpose,
    string Offence,
    string Suspect,
    string FactsAndCircumstances,
    IReadOnlyList<string> Targets,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    MandateLimits Limits,
    IReadOnlyDictionary<DataCategory, Treatment> DataCategories,
    bool Linking,
    string? RobotsOverride = null,
    TargetType? TargetType = null,
    string? TargetDescription = null,
    IReadOnlyList<string>? Keywords = null,
    bool? Snapshots = null,
    int? RecrawlIntervalHours = null,
    IReadOnlyDictionary<string, string>? Justifications = null)
{
    /// <summary>Phenomenon unless the mandate says otherwise: the safe default of the skeleton's format.</summary>
    [JsonIgnore]
    public TargetType EffectiveTargetType => TargetType ?? Mandates.TargetType.Phenomenon;

    public Treatment TreatmentOf(DataCategory category) =>
        DataCategories.TryGetValue(category, out var t) ? t : Treatment.Drop;

    /// <summary>SHA-256 of the canonical JSON of this content: what an approval binds.</summary>
    public string ContentSha256()
    {
        var canonical = this with
        {
            DataCategories = new SortedDictionary<DataCategory, Treatment>(
                Enum.GetValues<DataCategory>().ToDictionary(c => c, TreatmentOf)),
            Justifications = Justifications is null ? null : new SortedDictionary<string, string>(
                Justifications.ToDictionary(j => j.Key, j => j.Value), StringComparer.Ordinal),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, CanonicalJson);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static readonly JsonSerializerOptions CanonicalJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,

        // Optional fields added later must not change the hash of mandates that do not use them,
        // or every earlier approval would become void on upgrade.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public enum MandateStatus
{
    Requested,
    Approved,
    Rejected,
    Revoked,

    /// <summary>Stopped by an officer (or by a lapsed urgent approval); can be revoked or renewed, not crawled under.</summary>
    Suspended,

    /// <summary>A later version of the same mandate was approved and replaces this one.</summary>
    Superseded,
}

/// <summary>One step in a mandate's history.</summary>
public sealed record MandateEvent(MandateStatus Status, string By, DateTimeOffset At, string? Reason, string? ContentSha256);

/// <summary>
/// The approval: who, when, and the hash of the exact content approved. An urgent (oral)
/// approval must be confirmed in writing by <see cref="ConfirmBy"/>, by the officer who gave it and naming
/// the written order (<see cref="WrittenOrder"/>), or the mandate suspends itself.
/// </summary>
public sealed record MandateApproval(string By, DateTimeOffset At, string ContentSha256, bool Urgent = false,
    DateTimeOffset? ConfirmBy = null, string? ConfirmedBy = null, DateTimeOffset? ConfirmedAt = null, string? WrittenOrder = null)
{
    public bool LapsedAt(DateTimeOffset now) => Urgent && ConfirmedAt is null && ConfirmBy is { } by && now >= by;
}

/// <summary>A periodic necessity review (CJEU C-118/22): the officer decides to continue, narrow or end.</summary>
public sealed record MandateReview(string By, DateTimeOffset At, ReviewDecision Decision, string Note);

public enum ReviewDecision
{
    Continue,
    Narrow,
    End,
}

/// <summary>
/// A per-case crawl order and its lifecycle. Immutable: each transition returns a new value.
/// <see cref="Assessment"/> is the Koops weighing it was filed under, with that policy's version.
/// A renewal or amendment is a new mandate with <see cref="PreviousId"/> set and the next version.
/// <see cref="Revision"/> is the store's count of changes, for optimistic concurrency: an update that read an
/// older revision is refused. It is not part of what an approval binds.
/// </summary>
public sealed record Mandate(
    long Id,
    int Version,
    MandateSpec Spec,
    MandateStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    MandateApproval? Approval,
    IReadOnlyList<MandateEvent> History,
    KoopsAssessment? Assessment = null,
    long? PreviousId = null,
    IReadOnlyList<MandateReview>? Reviews = null,
    long Revision = 0)
{
    /// <summary>Whether the approval still binds the current content. Costs a hash: callers on hot paths cache it.</summary>
    public bool ApprovalIntact() => Approval is not null && Approval.ContentSha256 == Spec.ContentSha256();

    /// <summary>How the mandate stands at <paramref name="now"/>, which is what the gate asks.</summary>
    public MandateState StateAt(DateTimeOffset now) => StateAt(now, Status == MandateStatus.Approved && ApprovalIntact());

    /// <summary>The state, given whether the approval is intact (computed once per mandate value by the gate).</summary>
    public MandateState StateAt(DateTimeOffset now, bool approvalIntact) => Status switch
    {
        MandateStatus.Requested => MandateState.AwaitingApproval,
        MandateStatus.Rejected => MandateState.Rejected,
        MandateStatus.Revoked => MandateState.Revoked,
        MandateStatus.Suspended => MandateState.Suspended,
        MandateStatus.Superseded => MandateState.Superseded,
        MandateStatus.Approved when !approvalIntact => MandateState.ApprovalVoid,
        MandateStatus.Approved when Approval!.LapsedAt(now) => MandateState.UrgentUnconfirmed,
        MandateStatus.Approved when now < Spec.ValidFrom => MandateState.NotYetValid,
        MandateStatus.Approved when now >= Spec.ValidUntil => MandateState.Expired,
        MandateStatus.Approved => MandateState.Active,
        _ => MandateState.ApprovalVoid,
    };

    public bool Covers(string targetName) => Spec.Targets.Contains(targetName, StringComparer.Ordinal);

    /// <summary>When the next necessity review is due: every N days from approval or the last review, and at expiry.</summary>
    public DateTimeOffset? ReviewDueAt(int everyDays)
    {
        if (Approval is null || Status is not (MandateStatus.Approved or MandateStatus.Suspended))
        {
            return null;
        }

        var last = Reviews is { Count: > 0 } r ? r[^1].At : Approval.At;
        var periodic = last.AddDays(everyDays);
        var atExpiry = Spec.ValidUntil;
        return last >= atExpiry ? periodic : periodic < atExpiry ? periodic : atExpiry;
    }
}

public enum MandateState
{
    AwaitingApproval,
    Rejected,
    Revoked,
    Suspended,
    Superseded,
    ApprovalVoid,
    UrgentUnconfirmed,
    NotYetValid,
    Expired,
    Active,
}
