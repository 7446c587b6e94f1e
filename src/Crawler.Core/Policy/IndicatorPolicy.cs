namespace Crawler.Core.Policy;

/// <summary>
/// One indicator of <c>policies/indicators.yaml</c>: its lexicon (Dutch and English terms, matched as whole
/// words, case- and diacritics-insensitive) and its weight. Some ids are also fed from extracted data or from
/// linking (see <see cref="Indicators.IndicatorIds"/>).
/// </summary>
/// <param name="Id">Stable id, shown with every hit it fires on.</param>
/// <param name="Weight">Added to the score when the indicator fires.</param>
/// <param name="Terms">The lexicon, Dutch and English.</param>
/// <param name="Escalates">Firing escalates the ad at once, outside the score.</param>
/// <param name="PerHourBelow">For <c>low-price</c> only: a stated price per hour in euro below this fires it.</param>
/// <param name="Note">Why the indicator has the weight it has; shown to whoever tunes the policy.</param>
public sealed record IndicatorDefinition(
    string Id,
    double Weight,
    IReadOnlyList<string> Terms,
    bool Escalates,
    decimal? PerHourBelow = null,
    string? Note = null);

/// <summary>
/// Negation words that suppress a term when they stand shortly before it ("geen anaal", "no bareback"), and, with
/// <see cref="After"/>, shortly after it ("anaal doe ik niet"). A clause boundary (full stop, comma, colon,
/// bracket, line break) ends the look-back and the look-ahead.
/// </summary>
/// <param name="Words">Suppress a term up to <paramref name="Window"/> words after them.</param>
/// <param name="AdjacentWords">
/// Suppress only the word right after them. "without" and "zonder" belong here: "without condom" is itself a
/// term, and "zonder afspraak, 24/7" must not silence the availability that follows.
/// </param>
/// <param name="Window">How many words before a term are searched for a negation.</param>
public sealed record NegationRules(IReadOnlyList<string> Words, IReadOnlyList<string> AdjacentWords, int Window)
{
    /// <summary>No negation at all: every term fires wherever it stands.</summary>
    public static NegationRules None { get; } = new([], [], 0);

    /// <summary>Negations after a term; <see cref="TrailingNegation.None"/> (the default) sees none.</summary>
    public TrailingNegation After { get; init; } = TrailingNegation.None;
}

/// <summary>
/// Negation words that suppress a term when they close its clause after it: "anaal doe ik niet", "bareback no",
/// "anal is not possible", "kussen bied ik niet aan". Closing is what tells a refusal from a word that merely
/// passes by: "hotelbezoek is niet duur" and "anaal doe ik niet graag met haast" keep their term. A bare answer
/// may also stand right after the clause boundary that follows the term ("Anaal: nee", "Kussen? Niet mogelijk").
/// </summary>
/// <param name="Words">A negation word that ends the term's clause, alone or followed by one completion.</param>
/// <param name="Completions">
/// Words that may stand between the negation and the end of the clause ("niet mogelijk", "not possible"). Only
/// these: with any word allowed, "hotelbezoek is niet duur" would silence the hotel.
/// </param>
/// <param name="Window">How many words may stand between the term and the negation.</param>
public sealed record TrailingNegation(IReadOnlyList<string> Words, IReadOnlyList<string> Completions, int Window)
{
    /// <summary>No negation after a term is seen: "anaal doe ik niet" fires.</summary>
    public static TrailingNegation None { get; } = new([], [], 0);

    /// <summary>
    /// The only words that may stand between the term and the negation ("doe ik", "is"); empty: any word. With
    /// any word allowed, "bareback en ik rook niet" would silence bareback.
    /// </summary>
    public IReadOnlyList<string> Between { get; init; } = [];
}

/// <summary>
/// The <c>linking:</c> section of <c>policies/indicators.yaml</c>: when ads are joined into clusters.
/// Linking is a "combine" operation: it runs only when the mandate enables it, and the caller logs it.
/// </summary>
/// <param name="HubThreshold">An identifier found in at least this many ads is a hub (the site's own number, an agency switchboard): reported, never linked.</param>
/// <param name="TextSimilarity">MinHash estimate of the Jaccard similarity of two texts' word shingles at or above which they are near-duplicates.</param>
/// <param name="ShingleWords">Words per shingle.</param>
/// <param name="MinWords">Texts with fewer words (after masking) are too short to compare.</param>
/// <param name="MinHashes">Signature length; a multiple of <paramref name="Bands"/>.</param>
/// <param name="Bands">LSH bands: only texts that agree on a whole band are compared, so linking is not quadratic.</param>
/// <param name="Seed">Seed of the MinHash hash family: the same seed gives the same clusters on every machine.</param>
/// <param name="SharedContactMinDistinct">A contact shared by ads with at least this many distinct names, ages or cities fires <c>shared-contact</c>.</param>
public sealed record LinkingPolicy(
    int HubThreshold,
    double TextSimilarity,
    int ShingleWords,
    int MinWords,
    int MinHashes,
    int Bands,
    int Seed,
    int SharedContactMinDistinct)
{
    /// <summary>The values <c>policies/indicators.yaml</c> ships with, for policies built in code.</summary>
    public static LinkingPolicy Default { get; } = new(25, 0.8, 3, 12, 128, 32, 20261201, 2);
}

/// <summary>
/// The indicator policy: lexicons, weights, negation and linking thresholds. The score it yields is a ranking
/// that orders work for a human reviewer; it is never a verdict about anyone.
/// </summary>
/// <param name="HitThreshold">Ads scoring below this are not stored.</param>
/// <param name="Indicators">In the order they are shown.</param>
public sealed record IndicatorPolicy(double HitThreshold, IReadOnlyList<IndicatorDefinition> Indicators)
{
    public NegationRules Negation { get; init; } = NegationRules.None;

    public LinkingPolicy Linking { get; init; } = LinkingPolicy.Default;
}
