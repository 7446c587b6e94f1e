namespace Crawler.Core.Linking;

/// <summary>
/// A minimised hit as linking sees it. Identifiers are compared as given: pass pseudonyms where the mandate
/// pseudonymises, so linking never needs a number in clear.
/// </summary>
/// <param name="HitId">The stored hit.</param>
/// <param name="ContactKeys">Phone and e-mail pseudonyms, or the kept values.</param>
/// <param name="Handles">Messenger and social-media handles ("snapchat:lisa_xo"); compared case-insensitively.</param>
/// <param name="ImageDigests">Digests of the ad's images.</param>
/// <param name="NormalisedText">The ad text with contacts masked (<see cref="LinkText.Normalise"/>); masked again here, to be safe.</param>
/// <param name="Name">The working name the ad states, if any.</param>
/// <param name="Ages">The ages the ad states.</param>
/// <param name="City">The city or postcode area the ad states, if any.</param>
public sealed record LinkableAd(
    long HitId,
    IReadOnlyList<string> ContactKeys,
    IReadOnlyList<string> Handles,
    IReadOnlyList<string> ImageDigests,
    string NormalisedText,
    string? Name,
    IReadOnlyList<int> Ages,
    string? City)
{
    /// <summary>
    /// A stored hit as linking sees it: its phones and e-mails by pseudonym (or value, where the mandate keeps
    /// them), its text where the mandate keeps text and otherwise its evidence snippets, and its stated ages.
    /// Hits store no handles, images, name or city yet, so those cannot link.
    /// </summary>
    public static LinkableAd FromHit(Hits.Hit hit) => new(
        hit.Id,
        [.. hit.Phones.Concat(hit.Emails).Select(c => c.Pseudonym ?? c.Value).OfType<string>()],
        [.. (hit.Description?.Handles ?? []).Select(c => c.Pseudonym ?? c.Value).OfType<string>()],
        // An image's digest links the same picture wherever it is hosted; without digests, its URL is the best there is.
        [.. (hit.Description?.ImageDigests is { Count: > 0 } digests ? digests : hit.Description?.Images ?? []).Select(c => c.Pseudonym ?? c.Value).OfType<string>()],
        LinkText.Normalise(hit.Text ?? string.Join(' ', hit.Snippets)),
        hit.Description?.Name is { } name ? name.Pseudonym ?? name.Value : null,
        hit.Ages ?? [],
        hit.Description?.Locations.FirstOrDefault(l => l.Display.StartsWith("city:", StringComparison.Ordinal)) is { } city
            ? city.Pseudonym ?? city.Value : null);
}

/// <summary>What joined ads: in order of strength, a shared contact, handle or image, or near-duplicate text.</summary>
public enum LinkKind
{
    Contact,
    Handle,
    Image,
    Text,
}

/// <summary>
/// One reason ads are in the same cluster. For identifiers, <see cref="Value"/> is the identifier (as passed in)
/// and <see cref="HitIds"/> every ad that has it; for text, the similarity and the ads whose texts it joined.
/// </summary>
public sealed record ClusterLink(LinkKind Kind, string Value, IReadOnlyList<long> HitIds);

/// <summary>Ads joined by one or more links (transitively), with every link that explains why.</summary>
/// <param name="Number">1, 2, ... in order of each cluster's lowest hit id.</param>
/// <param name="HitIds">The ads in the cluster, in ascending order.</param>
/// <param name="Links">Every link within the cluster, by kind and value.</param>
public sealed record AdCluster(int Number, IReadOnlyList<long> HitIds, IReadOnlyList<ClusterLink> Links);

/// <summary>An identifier in so many ads that it says nothing about who is behind them (the site's own number, an agency switchboard): never linked.</summary>
public sealed record LinkHub(LinkKind Kind, string Value, int AdCount);

/// <summary>Clusters of two or more ads, the hubs left out, and per hit what the scorer should know.</summary>
public sealed record LinkResult(IReadOnlyList<AdCluster> Clusters, IReadOnlyList<LinkHub> Hubs, IReadOnlyDictionary<long, LinkSignals> Signals)
{
    public LinkSignals SignalsFor(long hitId) => Signals.TryGetValue(hitId, out var s) ? s : LinkSignals.None;
}
