using System.Globalization;

namespace Crawler.Core.Linking;

/// <summary>
/// A contact key (phone or e-mail pseudonym, or the value where the mandate keeps it) used by several ads that
/// between them carry several names, ages or cities: one contact for several people.
/// </summary>
/// <param name="ContactKey">The pseudonym or kept value.</param>
/// <param name="HitIds">Every ad with this contact, in ascending order.</param>
/// <param name="DistinctNames">Distinct working names among those ads.</param>
/// <param name="DistinctAges">Distinct stated ages among those ads.</param>
/// <param name="DistinctCities">Distinct cities among those ads.</param>
public sealed record SharedContactSignal(string ContactKey, IReadOnlyList<long> HitIds, int DistinctNames, int DistinctAges, int DistinctCities)
{
    /// <summary>Why the signal fired, in words a reviewer can check against the hits named.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"contact {Short(ContactKey)} is in hits {string.Join(", ", HitIds)} under {DistinctNames} names, {DistinctAges} ages, {DistinctCities} cities");

    // A 64-hex pseudonym is shortened for reading; the cluster's links carry it whole.
    private static string Short(string key) => key.Length > 16 ? key[..12] + "…" : key;
}

/// <summary>Another ad whose text is a near-duplicate of this one's while its contact is different: a template.</summary>
/// <param name="OtherHitId">The other ad.</param>
/// <param name="Similarity">MinHash estimate of the Jaccard similarity of the two texts' word shingles.</param>
public sealed record TemplateTextSignal(long OtherHitId, double Similarity)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"near-duplicate text (similarity {Similarity:0.00}) in hit {OtherHitId} with another contact");
}

/// <summary>What linking found about one hit, as input to <see cref="Indicators.IndicatorScorer"/>.</summary>
public sealed record LinkSignals(IReadOnlyList<SharedContactSignal> SharedContacts, IReadOnlyList<TemplateTextSignal> TemplateTexts)
{
    /// <summary>Nothing found, or linking did not run.</summary>
    public static LinkSignals None { get; } = new([], []);

    public bool IsEmpty => SharedContacts.Count == 0 && TemplateTexts.Count == 0;
}
