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
}

/// <summary>One step in a mandate's history.</summary>
public sealed record MandateEvent(MandateStatus Status, string By, DateTimeOffset At, string? Reason, string? ContentSha256);

/// <summary>The approval: who, when, and the hash of the exact content approved.</summary>
public sealed record MandateApproval(string By, DateTimeOffset At, string ContentSha256);

/// <summary>
/// A per-case crawl order and its lifecycle. Immutable: each transition returns a new value.
/// <see cref="Assessment"/> is the Koops weighing it was filed under, with that policy's version.
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
    KoopsAssessment? Assessment = null)
{
    /// <summary>How the mandate stands at <paramref name="now"/>, which is what the gate asks.</summary>
    public MandateState StateAt(DateTimeOffset now) => Status switch
    {
        MandateStatus.Requested => MandateState.AwaitingApproval,
        MandateStatus.Rejected => MandateState.Rejected,
        MandateStatus.Revoked => MandateState.Revoked,
        MandateStatus.Approved when Approval is null || Approval.ContentSha256 != Spec.ContentSha256() => MandateState.ApprovalVoid,
        MandateStatus.Approved when now < Spec.ValidFrom => MandateState.NotYetValid,
        MandateStatus.Approved when now >= Spec.ValidUntil => MandateState.Expired,
        MandateStatus.Approved => MandateState.Active,
        _ => MandateState.ApprovalVoid,
    };

    public bool Covers(string targetName) => Spec.Targets.Contains(targetName, StringComparer.Ordinal);
}

public enum MandateState
{
    AwaitingApproval,
    Rejected,
    Revoked,
    ApprovalVoid,
    NotYetValid,
    Expired,
    Active,
}
