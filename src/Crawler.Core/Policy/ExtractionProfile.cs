using System.Collections;

namespace Crawler.Core.Policy;

/// <summary>
/// Where one site layout keeps its ad and what around it belongs to others, as CSS selectors
/// (<c>policies/profiles/NAME.yaml</c>). Every selector was checked to parse when the policy set loaded.
/// An empty or null field means "use the heuristic": that is all the <c>generic</c> profile does.
/// </summary>
/// <param name="Name">The file name without <c>.yaml</c>; targets name their profile by it.</param>
/// <param name="Description">What the layout looks like, for the specialist choosing a profile.</param>
/// <param name="AdRegion">Tried in order; the first that matches (after dropping) is the ad region.</param>
/// <param name="Title">The ad's title inside the region.</param>
/// <param name="Body">The ad's own text. When set, only title, body, fields and contact are read, not the whole region.</param>
/// <param name="Fields">Label/value containers: <c>dl</c>, two-column tables, or elements whose children are label and value.</param>
/// <param name="Contact">Elements that hold the ad's contact data; they may lie outside the ad region.</param>
/// <param name="Date">The posting date (a <c>time[datetime]</c> or text).</param>
/// <param name="Images">The ad's images inside the region (img elements, or containers of them).</param>
/// <param name="AdId">Where the site's own id of the ad is.</param>
/// <param name="Drop">Regions that belong to others (reviews, comments, other ads, footers): removed before anything is read.</param>
/// <param name="DropCommonThirdParty">Also drop what looks like a third-party region on any site (footer, aside, review, comment, sidebar...).</param>
public sealed record ExtractionProfile(
    string Name,
    string Description,
    IReadOnlyList<string> AdRegion,
    string? Title,
    string? Body,
    IReadOnlyList<string> Fields,
    string? Contact,
    string? Date,
    string? Images,
    AdIdSource? AdId,
    IReadOnlyList<string> Drop,
    bool DropCommonThirdParty = true)
{
    /// <summary>The heuristic profile: no selectors, known third-party regions dropped. Used when no profile is given.</summary>
    public static ExtractionProfile Generic { get; } =
        new("generic", "Any site: the ad region is found heuristically and known third-party regions are dropped.", [], null, null, [], null, null, null, null, []);
}

/// <summary>
/// Where a site keeps its id of an ad: the text or an attribute of an element, or a part of the page address.
/// </summary>
/// <param name="Selector">The element holding the id.</param>
/// <param name="Attribute">Read this attribute of the element instead of its text.</param>
/// <param name="UrlPattern">A regular expression over the page address whose first group is the id.</param>
public sealed record AdIdSource(string? Selector, string? Attribute, string? UrlPattern);

/// <summary>
/// The profiles in force. Enumerates their names (ordinal order), so that code that only needs to
/// know whether a name exists treats it as the list of names it always was.
/// </summary>
public sealed class ProfileCatalog : IReadOnlyList<string>
{
    private readonly Dictionary<string, ExtractionProfile> _byName;
    private readonly List<string> _names;

    public ProfileCatalog(IEnumerable<ExtractionProfile> profiles)
    {
        _byName = new Dictionary<string, ExtractionProfile>(StringComparer.Ordinal);
        foreach (var p in profiles)
        {
            if (!_byName.TryAdd(p.Name, p))
            {
                throw new ArgumentException($"profile '{p.Name}' is defined twice", nameof(profiles));
            }
        }

        _names = _byName.Keys.Order(StringComparer.Ordinal).ToList();
    }

    public int Count => _names.Count;

    public string this[int index] => _names[index];

    /// <summary>The profile of that name, or null.</summary>
    public ExtractionProfile? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The profile of that name; a name that passed validation always exists.</summary>
    public ExtractionProfile Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"unknown extraction profile '{name}' (known: {string.Join(", ", _names)})");

    public IEnumerator<string> GetEnumerator() => _names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
