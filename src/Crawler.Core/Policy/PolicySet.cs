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
    int MaxConcurrentRequests = 4);

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
    Mandates.KoopsPolicy Koops);
