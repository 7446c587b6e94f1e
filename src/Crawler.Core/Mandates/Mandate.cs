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

public sealed record MandateLimits(int MaxPages, int MaxHits);

/// <summary>
/// The content of a per-case crawl order as requested; approval binds exactly this content.
/// <see cref="RobotsOverride"/>, when set, is the justification for fetching what robots.txt
/// disallows; every fetch that relies on it is logged with it.
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
    string? RobotsOverride = null)
{
    public Treatment TreatmentOf(DataCategory category) =>
        DataCategories.TryGetValue(category, out var t) ? t : Treatment.Drop;

    /// <summary>SHA-256 of the canonical JSON of this content: what an approval binds.</summary>
    public string ContentSha256()
    {
        var canonical = this with
        {
            DataCategories = new SortedDictionary<DataCategory, Treatment>(
                Enum.GetValues<DataCategory>().ToDictionary(c => c, TreatmentOf)),
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

/// <summary>A per-case crawl order and its lifecycle. Immutable: each transition returns a new value.</summary>
public sealed record Mandate(
    long Id,
    int Version,
    MandateSpec Spec,
    MandateStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    MandateApproval? Approval,
    IReadOnlyList<MandateEvent> History)
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
