namespace Crawler.Core.Hits;

/// <summary>
/// A phone number found in the ad region, normalised to E.164. <see cref="Obfuscated"/>: found only
/// after de-obfuscation, i.e. hidden on purpose.
/// </summary>
public sealed record FoundPhone(string E164, string Raw, string Region, string Kind, bool Obfuscated = false);

/// <summary>What extraction found in a page's ad region, before minimisation. Never stored as such.</summary>
public sealed record AdFeatures(
    bool IsAd,
    string NotAdReason,
    string? Title,
    string Text,
    IReadOnlyList<FoundPhone> Phones,
    IReadOnlyList<string> Emails,
    int RemovedThirdPartyRegions);
