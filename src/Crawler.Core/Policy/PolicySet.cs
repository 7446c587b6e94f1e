namespace Crawler.Core.Policy;

public sealed record TargetDefaults(
    int MaxDepth,
    int MaxPagesPerRun,
    int MinDelayMs,
    int MaxConcurrencyPerHost,
    int MaxDepthLimit,
    int MaxPagesPerRunLimit,
    int MinDelayMsFloor,
    int MaxConcurrencyPerHostLimit);

public sealed record NetworkPolicy(bool AllowLoopbackInLab, int MinDelayMsPublic);

public sealed record FetchPolicy(
    IReadOnlyList<string> AllowedContentTypes,
    long MaxBodyBytes,
    int RequestTimeoutSeconds,
    int MaxRedirects,
    int MaxCompressionRatio,
    int MinBytesPerSecond,
    int RobotsCacheHours,
    IReadOnlyList<string> NotPublicSelectors,
    int MaxConcurrentRequests = 4,
    PageBudget? PageBudget = null)
{
    /// <summary>What one page may cost to read (the policy's, or the default).</summary>
    public PageBudget Budget => PageBudget ?? Policy.PageBudget.Default;
}

/// <summary>
/// One run per target at a time, across processes: a run holds a lease for <see cref="LeaseSeconds"/> after its
/// last heartbeat and renews it every <see cref="HeartbeatSeconds"/>; a lease not renewed for the whole period
/// belongs to a process that died, and may be taken over.
/// </summary>
public sealed record RunPolicy(int LeaseSeconds, int HeartbeatSeconds)
{
    public static RunPolicy Default { get; } = new(60, 15);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
}

public sealed record LegalBasis(string Id, string Title, bool InForce);

public sealed record MandatePolicy(
    int MaxValidityDays,
    int DefaultMaxPages,
    int DefaultMaxHits,
    IReadOnlyList<LegalBasis> LegalBases,
    int ReviewEveryDays = 90,
    int UrgentConfirmDays = 3);

/// <summary>
/// The policy files in force, parsed and validated. <see cref="Version"/> is the SHA-256 of the
/// files' names and bytes and is recorded with every decision, so an auditor can tell exactly
/// which rules decided.
/// </summary>
public sealed record PolicySet(
    string Version,
    string ProductToken,
    string UserAgent,
    NetworkPolicy Network,
    FetchPolicy Fetch,
    TargetDefaults TargetDefaults,
    MandatePolicy Mandates,
    IndicatorPolicy Indicators,
    ProfileCatalog Profiles,
    Urls.UrlRules Urls,
    Mandates.KoopsPolicy Koops)
{
    /// <summary>The <c>runs</c> section: run leases and their heartbeat.</summary>
    public RunPolicy Runs { get; init; } = RunPolicy.Default;
}
