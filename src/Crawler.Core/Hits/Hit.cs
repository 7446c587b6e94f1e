namespace Crawler.Core.Hits;

/// <summary>A contact identifier as stored: the value itself (keep) or a keyed pseudonym with a masked form.</summary>
public sealed record ContactValue(string Display, string? Value, string? Pseudonym);

/// <summary>An indicator that fired, with the text that fired it.</summary>
public sealed record IndicatorHit(string Id, double Weight, string Evidence);

/// <summary>
/// A stored, reviewable hit: only minimised fields, with its provenance (mandate, case, URL,
/// time, content hash, policy version).
/// </summary>
public sealed record Hit(
    long Id,
    long MandateId,
    int MandateVersion,
    string Case,
    long TargetId,
    long RunId,
    string Url,
    DateTimeOffset FetchedAt,
    string ContentSha256,
    string? Title,
    string? Text,
    IReadOnlyList<string> Snippets,
    IReadOnlyList<ContactValue> Phones,
    IReadOnlyList<ContactValue> Emails,
    double Score,
    IReadOnlyList<IndicatorHit> Indicators,
    bool Escalated,
    int RemovedThirdPartyRegions,
    string PolicyVersion,
    string ReviewStatus,
    IReadOnlyList<HitReview>? Reviews = null,
    IReadOnlyList<int>? Ages = null,
    IReadOnlyList<StatedPrice>? Prices = null);

/// <summary>A reviewer's verdict on a hit; it decides the hit's retention class.</summary>
public sealed record HitReview(string By, DateTimeOffset At, string Verdict, string Note);
