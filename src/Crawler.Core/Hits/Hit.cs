namespace Crawler.Core.Hits;

/// <summary>
/// A contact identifier as stored: the value itself (keep), or a keyed pseudonym with a masked form and the value
/// sealed for a logged reveal by an officer (see <see cref="ContactSeal"/>).
/// </summary>
public sealed record ContactValue(string Display, string? Value, string? Pseudonym, string? Sealed = null);

/// <summary>An indicator that fired, with the text that fired it.</summary>
public sealed record IndicatorHit(string Id, double Weight, string Evidence);

/// <summary>
/// A stored, reviewable hit: only minimised fields, with its provenance (mandate, case, URL,
/// time, content hash, policy version). <see cref="RestrictedAt"/>: moved to the restricted store
/// (Wpg art. 14) when its retention ended. <see cref="HasSnapshot"/>: the raw exchange is kept
/// beside it as evidence, because its mandate allowed snapshots.
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
    IReadOnlyList<StatedPrice>? Prices = null,
    DateTimeOffset? RestrictedAt = null,
    bool HasSnapshot = false,
    AdDescription? Description = null);

/// <summary>
/// The ad's features beyond phones and e-mail, as kept under the mandate's data categories (see Minimiser):
/// handles, name, places and images as contact values (kept, or pseudonymised with a masked form); the rest
/// only where the category allows it.
/// </summary>
public sealed record AdDescription(
    IReadOnlyList<ContactValue> Handles,
    ContactValue? Name,
    IReadOnlyList<ContactValue> Locations,
    IReadOnlyList<ContactValue> Images,
    IReadOnlyList<string>? Nationalities,
    IReadOnlyList<string>? Languages,
    IReadOnlyList<string>? Venues,
    IReadOnlyList<string>? Services,
    DateTimeOffset? PostedAt,
    string? AdId,
    IReadOnlyList<ContactValue>? ImageDigests = null);

/// <summary>A reviewer's verdict on a hit; it decides the hit's retention class.</summary>
public sealed record HitReview(string By, DateTimeOffset At, string Verdict, string Note);

/// <summary>
/// The raw HTTP exchange behind a hit, kept only when its mandate allows snapshots: the evidence a
/// court export is made from. <see cref="IpAddress"/>: the address of the connection the page came over.
/// <see cref="RequestHead"/> and <see cref="ResponseHead"/>: the heads exactly as they crossed the connection, taken
/// from header lists that carry them (<see cref="HttpHeadFields.Wire"/>); null for a head that was not captured there
/// and for snapshots from before capture, whose header lists are then all there is.
/// </summary>
public sealed record Snapshot(
    long HitId,
    long MandateId,
    string Url,
    DateTimeOffset FetchedAt,
    string? IpAddress,
    int Status,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    byte[] Body,
    string ContentSha256)
{
    /// <summary>The request head exactly as sent, or null (see above).</summary>
    public byte[]? RequestHead { get; init; } = (RequestHeaders as HttpHeadFields)?.Wire;

    /// <summary>The response head exactly as received (status line and field lines), or null (see above).</summary>
    public byte[]? ResponseHead { get; init; } = (ResponseHeaders as HttpHeadFields)?.Wire;
}

/// <summary>A snapshot without its body: enough to decide its retention.</summary>
public sealed record SnapshotInfo(long HitId, long MandateId, DateTimeOffset FetchedAt, string ContentSha256);
