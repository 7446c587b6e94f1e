namespace Crawler.Core.Hits;

/// <summary>
/// A phone number found in the ad region, normalised to E.164. <see cref="Obfuscated"/>: found only
/// after de-obfuscation, i.e. hidden on purpose.
/// </summary>
public sealed record FoundPhone(string E164, string Raw, string Region, string Kind, bool Obfuscated = false);

/// <summary>A stated rate, normalised to a price per hour where the duration is stated.</summary>
public sealed record StatedPrice(decimal Amount, string Currency, string Per, decimal? PerHour, string Evidence);

/// <summary>What extraction found in a page's ad region, before minimisation. Never stored as such.</summary>
public sealed record AdFeatures(
    bool IsAd,
    string NotAdReason,
    string? Title,
    string Text,
    IReadOnlyList<FoundPhone> Phones,
    IReadOnlyList<string> Emails,
    int RemovedThirdPartyRegions,
    IReadOnlyList<int>? Ages = null,
    IReadOnlyList<StatedPrice>? Prices = null)
{
    /// <summary>A stated age under 18: a legal red line, escalated outside the score.</summary>
    public bool StatesMinorAge => Ages is { } a && a.Any(x => x < 18);
}
