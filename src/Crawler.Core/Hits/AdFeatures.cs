namespace Crawler.Core.Hits;

/// <summary>A phone number found in the ad region, normalised to E.164.</summary>
public sealed record FoundPhone(string E164, string Raw, string Region, string Kind);

/// <summary>What extraction found in a page's ad region, before minimisation. Never stored as such.</summary>
public sealed record AdFeatures(
    bool IsAd,
    string NotAdReason,
    string? Title,
    string Text,
    IReadOnlyList<FoundPhone> Phones,
    IReadOnlyList<string> Emails,
    int RemovedThirdPartyRegions);
