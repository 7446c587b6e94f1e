using Crawler.Core.Targets;
using Crawler.Core.Users;

namespace Crawler.Core.Mandates;

/// <summary>How intrusive a crawl is, per factor and overall.</summary>
public enum IntrusionLevel
{
    Minor,
    Systematic,
    BeyondPolicy,
}

/// <summary>A threshold pair: at or below the first a value is minor, up to the second systematic, past it beyond policy.</summary>
public sealed record Thresholds(double SystematicAbove, double BeyondAbove)
{
    public IntrusionLevel Of(double value) =>
        value > BeyondAbove ? IntrusionLevel.BeyondPolicy : value > SystematicAbove ? IntrusionLevel.Systematic : IntrusionLevel.Minor;
}

/// <summary>What a level requires: the legal bases that fit it and who approves.</summary>
public sealed record LevelRequirement(IReadOnlyList<string> LegalBases, Role Approver);

/// <summary>policies/koops.yaml, parsed.</summary>
public sealed record KoopsPolicy(
    Thresholds DurationDays,
    double RecrawlSystematicBelowHours,
    double RecrawlBeyondBelowHours,
    Thresholds Hosts,
    IntrusionLevel TechnicalAid,
    Thresholds Pages,
    Thresholds Hits,
    Thresholds Contacts,
    IntrusionLevel ImagesKept,
    IntrusionLevel NamesKept,
    IntrusionLevel Linking,
    IReadOnlyDictionary<TargetType, IntrusionLevel> Targeting,
    IntrusionLevel IdentifiersInClear,
    IntrusionLevel FullText,
    int BeyondWhenSystematicFactorsAtLeast,
    IReadOnlyDictionary<IntrusionLevel, LevelRequirement> Levels);

/// <summary>One factor weighed: its level, the measured value and why.</summary>
public sealed record FactorAssessment(string Factor, IntrusionLevel Level, string Value, string Reason, string? Justification);

/// <summary>
/// The weighing of a mandate: every factor, the overall level and the factor that decided it,
/// what that level requires, and every problem that stops the mandate from being filed.
/// </summary>
public sealed record KoopsAssessment(
    IReadOnlyList<FactorAssessment> Factors,
    IntrusionLevel Level,
    string DecidingFactor,
    IReadOnlyList<string> RequiredLegalBases,
    Role? RequiredApprover,
    IReadOnlyList<KoopsProblem> Problems,
    string PolicyVersion,
    string CrawlerVersion)
{
    public bool Acceptable => Problems.Count == 0;
}

/// <summary>Why a mandate cannot be filed as it is, naming the field to change.</summary>
public sealed record KoopsProblem(string Field, string Message);

/// <summary>The factor ids, in the order they are weighed and shown.</summary>
public static class KoopsFactor
{
    public const string Duration = "duration";
    public const string Frequency = "frequency";
    public const string Place = "place";
    public const string TechnicalAid = "technical-aid";
    public const string Amount = "amount";
    public const string Sensitivity = "sensitivity";
    public const string Combination = "combination";
    public const string Targeting = "targeting";
    public const string ThirdParties = "third-parties";

    public static IReadOnlyList<string> All { get; } =
        [Duration, Frequency, Place, TechnicalAid, Amount, Sensitivity, Combination, Targeting, ThirdParties];
}

/// <summary>
/// Weighs a draft mandate against the Koops factors (compliance brief, "What the software makes
/// of the factors"). Pure: the targets and the policy are given.
/// </summary>
public static class KoopsWeighing
{
    /// <param name="m">The draft mandate.</param>
    /// <param name="targets">The targets it names.</param>
    /// <param name="k">The Koops policy.</param>
    /// <param name="policyVersion">The policy set's version, recorded with the weighing.</param>
    /// <param name="crawlerVersion">The crawler's version (the technical aid).</param>
    /// <param name="shortestSchedule">The shortest interval between two scheduled runs of the targets, if they have schedules.</param>
    public static KoopsAssessment Assess(MandateSpec m, IReadOnlyList<TargetSpec> targets, KoopsPolicy k, string policyVersion, string crawlerVersion,
        TimeSpan? shortestSchedule = null)
    {
        var factors = new List<FactorAssessment>
        {
            Duration(m, k),
            Frequency(m, k, shortestSchedule),
            Place(targets, k),
            new(KoopsFactor.TechnicalAid, k.TechnicalAid, $"crawler {crawlerVersion}", "an automated crawler collects on the officer's behalf", null),
            Amount(m, k),
            Sensitivity(m, k),
            Combination(m, k),
            Targeting(m, k),
            ThirdParties(m, k),
        };
        factors = factors.Select(f => f with { Justification = m.Justifications?.GetValueOrDefault(f.Factor) }).ToList();

        var top = factors.MaxBy(f => f.Level)!;
        var level = top.Level;
        var deciding = top.Factor;
        var systematic = factors.Count(f => f.Level >= IntrusionLevel.Systematic);
        if (level < IntrusionLevel.BeyondPolicy && systematic >= k.BeyondWhenSystematicFactorsAtLeast)
        {
            level = IntrusionLevel.BeyondPolicy;
            deciding = $"combination of {systematic} systematic factors";
        }

        var problems = new List<KoopsProblem>();
        k.Levels.TryGetValue(level, out var requirement);
        if (level == IntrusionLevel.BeyondPolicy || requirement is null)
        {
            problems.Add(new KoopsProblem(deciding.StartsWith("combination", StringComparison.Ordinal) ? "(mandate)" : FieldOf(deciding),
                $"the weighing is {Name(level)} (decided by {deciding}): the policy allows no mandate at this level; narrow it"));
        }
        else if (!requirement.LegalBases.Contains(m.LegalBasis, StringComparer.Ordinal))
        {
            problems.Add(new KoopsProblem("legalBasis",
                $"'{m.LegalBasis}' does not fit a {Name(level)} crawl (decided by {deciding}); it requires {string.Join(" or ", requirement.LegalBases)}"));
        }

        foreach (var f in factors.Where(f => f.Level > IntrusionLevel.Minor && string.IsNullOrWhiteSpace(f.Justification)))
        {
            problems.Add(new KoopsProblem($"justifications.{f.Factor}",
                $"{f.Factor} is {Name(f.Level)} ({f.Reason}): write why it is necessary and proportionate"));
        }

        return new KoopsAssessment(factors, level, deciding, requirement?.LegalBases ?? [], requirement?.Approver, problems,
            policyVersion, crawlerVersion);
    }

    public static string Name(IntrusionLevel level) => level switch
    {
        IntrusionLevel.Minor => "minor",
        IntrusionLevel.Systematic => "systematic",
        _ => "beyond-policy",
    };

    private static string FieldOf(string factor) => factor switch
    {
        KoopsFactor.Duration => "validUntil",
        KoopsFactor.Frequency => "recrawlIntervalHours",
        KoopsFactor.Place => "targets",
        KoopsFactor.Amount => "limits",
        KoopsFactor.Sensitivity => "dataCategories",
        KoopsFactor.Combination => "linking",
        KoopsFactor.Targeting => "targetType",
        KoopsFactor.ThirdParties => "dataCategories",
        _ => factor,
    };

    private static FactorAssessment Duration(MandateSpec m, KoopsPolicy k)
    {
        var days = (m.ValidUntil - m.ValidFrom).TotalDays;
        var level = k.DurationDays.Of(days);
        return new(KoopsFactor.Duration, level, $"{days:0.#} days",
            level == IntrusionLevel.Minor ? $"at most {k.DurationDays.SystematicAbove} days" : $"longer than {(level == IntrusionLevel.BeyondPolicy ? k.DurationDays.BeyondAbove : k.DurationDays.SystematicAbove)} days", null);
    }

    private static FactorAssessment Frequency(MandateSpec m, KoopsPolicy k, TimeSpan? shortestSchedule)
    {
        // The mandate's recrawl interval binds at run time; without one, the targets' schedules decide how often.
        double? hours = m.RecrawlIntervalHours;
        var source = "recrawl interval";
        if (hours is null && shortestSchedule is { } schedule)
        {
            hours = schedule.TotalHours;
            source = "target schedule";
        }

        if (hours is not { } h)
        {
            return new(KoopsFactor.Frequency, IntrusionLevel.Minor, "no recrawl", "no schedule and no recrawl interval: runs are started by hand", null);
        }

        // A shorter interval is more intrusive.
        var level = h < k.RecrawlBeyondBelowHours ? IntrusionLevel.BeyondPolicy
            : h < k.RecrawlSystematicBelowHours ? IntrusionLevel.Systematic : IntrusionLevel.Minor;
        return new(KoopsFactor.Frequency, level, $"every {h:0.##} h ({source})",
            level == IntrusionLevel.Minor ? $"no more often than every {k.RecrawlSystematicBelowHours} h" : $"more often than every {(level == IntrusionLevel.BeyondPolicy ? k.RecrawlBeyondBelowHours : k.RecrawlSystematicBelowHours)} h", null);
    }

    private static FactorAssessment Place(IReadOnlyList<TargetSpec> targets, KoopsPolicy k)
    {
        var hosts = targets.SelectMany(t => t.Scope.Hosts).Distinct(StringComparer.Ordinal).ToList();
        var level = k.Hosts.Of(hosts.Count);
        if (level == IntrusionLevel.Minor && hosts.Any(h => h.StartsWith("*.", StringComparison.Ordinal)))
        {
            level = IntrusionLevel.Systematic;
        }

        return new(KoopsFactor.Place, level, $"{hosts.Count} host pattern(s): {string.Join(", ", hosts)}",
            level == IntrusionLevel.Minor ? "public pages of a few named hosts" : "many hosts, or every subdomain of a domain", null);
    }

    private static FactorAssessment Amount(MandateSpec m, KoopsPolicy k)
    {
        var levels = new[]
        {
            k.Pages.Of(m.Limits.MaxPages),
            k.Hits.Of(m.Limits.MaxHits),
            m.Limits.MaxContacts is { } c ? k.Contacts.Of(c) : IntrusionLevel.Minor,
        };
        var level = levels.Max();
        return new(KoopsFactor.Amount, level,
            $"{m.Limits.MaxPages} pages, {m.Limits.MaxHits} hits" + (m.Limits.MaxContacts is { } mc ? $", {mc} contacts" : ""),
            level == IntrusionLevel.Minor ? "caps within the minor thresholds" : "caps above the minor thresholds", null);
    }

    private static FactorAssessment Sensitivity(MandateSpec m, KoopsPolicy k)
    {
        var reasons = new List<string>();
        var level = IntrusionLevel.Minor;
        if (m.TreatmentOf(DataCategory.Images) == Treatment.Keep)
        {
            level = Max(level, k.ImagesKept);
            reasons.Add("images of people are kept");
        }

        if (m.TreatmentOf(DataCategory.Name) == Treatment.Keep)
        {
            level = Max(level, k.NamesKept);
            reasons.Add("names are kept");
        }

        return new(KoopsFactor.Sensitivity, level, reasons.Count == 0 ? "inherent only" : string.Join("; ", reasons),
            reasons.Count == 0 ? "only the sex-life context inherent in these ads; no images, no names kept" : string.Join("; ", reasons), null);
    }

    private static FactorAssessment Combination(MandateSpec m, KoopsPolicy k) => m.Linking
        ? new(KoopsFactor.Combination, k.Linking, "linking on", "hits are linked across ads and sites", null)
        : new(KoopsFactor.Combination, IntrusionLevel.Minor, "linking off", "hits are not combined", null);

    private static FactorAssessment Targeting(MandateSpec m, KoopsPolicy k)
    {
        var type = m.EffectiveTargetType;
        var level = k.Targeting.TryGetValue(type, out var l) ? l : IntrusionLevel.Systematic;
        return new(KoopsFactor.Targeting, level, type.ToString().ToLowerInvariant(),
            type == TargetType.Phenomenon ? "a phenomenon, not a person or group" : $"aimed at a {type.ToString().ToLowerInvariant()}", null);
    }

    private static FactorAssessment ThirdParties(MandateSpec m, KoopsPolicy k)
    {
        var reasons = new List<string>();
        var level = IntrusionLevel.Minor;
        if (m.TreatmentOf(DataCategory.Phone) == Treatment.Keep || m.TreatmentOf(DataCategory.Email) == Treatment.Keep)
        {
            level = Max(level, k.IdentifiersInClear);
            reasons.Add("contact identifiers kept in clear");
        }

        if (m.TreatmentOf(DataCategory.Text) == Treatment.Keep)
        {
            level = Max(level, k.FullText);
            reasons.Add("full ad text kept");
        }

        return new(KoopsFactor.ThirdParties, level, reasons.Count == 0 ? "minimised" : string.Join("; ", reasons),
            reasons.Count == 0 ? "identifiers pseudonymised or dropped, only evidence snippets kept" : string.Join("; ", reasons), null);
    }

    private static IntrusionLevel Max(IntrusionLevel a, IntrusionLevel b) => a > b ? a : b;
}
