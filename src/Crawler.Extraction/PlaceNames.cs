using System.Reflection;

namespace Crawler.Extraction;

/// <summary>One spelling of a place and the canonical name it stands for.</summary>
/// <param name="Spelling">As written in ads ("'s-Gravenhage").</param>
/// <param name="Canonical">The one name all its spellings map to ("Den Haag").</param>
/// <param name="Ambiguous">Also a common word: counts only after a place word or as a label value.</param>
/// <param name="CapitalAt">The word of the spelling that must be written with a capital ("'s-<b>G</b>ravenhage": 1).</param>
/// <param name="Country">The country of the gazetteer it comes from (nl, be, de).</param>
/// <param name="Localised">The canonical name on pages of another language, as "fr:Bruxelles" (';' between), or empty.</param>
internal sealed record PlaceSpelling(string Spelling, string Canonical, bool Ambiguous, int CapitalAt, string Country = "nl", string Localised = "")
{
    /// <summary>The canonical name as a page in <paramref name="language"/> writes it.</summary>
    public string CanonicalIn(string? language)
    {
        if (Localised.Length > 0 && language is { Length: 2 })
        {
            foreach (var part in Localised.Split(';'))
            {
                if (part.Length > 3 && part.StartsWith(language, StringComparison.Ordinal) && part[2] == ':')
                {
                    return part[3..];
                }
            }
        }

        return Canonical;
    }
}

/// <summary>
/// The gazetteers of <c>policies/places-nl.txt</c>, <c>places-be.txt</c> and <c>places-de.txt</c> (compiled in):
/// each spelling mapped to one canonical name ("'s-Gravenhage" and "The Hague" are "Den Haag"; "Luik" is "Liège",
/// written "Luik" on a Dutch page).
/// </summary>
internal static class PlaceNames
{
    public const string ResourceName = "places-nl.txt";

    /// <summary>The gazetteers by country, the Netherlands first.</summary>
    public static readonly (string Country, string Resource)[] Gazetteers = [("nl", "places-nl.txt"), ("be", "places-be.txt"), ("de", "places-de.txt")];

    private static readonly Lazy<Dictionary<string, IReadOnlyList<PlaceSpelling>>> Embedded = new(() =>
    {
        var all = new Dictionary<string, IReadOnlyList<PlaceSpelling>>(StringComparer.Ordinal);
        foreach (var (country, resource) in Gazetteers)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
                               ?? throw new InvalidOperationException($"resource {resource} is missing from the build");
            using var reader = new StreamReader(stream);
            var (places, problems) = Parse(reader.ReadToEnd(), resource, country);
            all[country] = problems.Count == 0 ? places : throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        return all;
    });

    /// <summary>The Dutch gazetteer.</summary>
    public static IReadOnlyList<PlaceSpelling> All => Embedded.Value["nl"];

    /// <summary>Every gazetteer, the Netherlands first.</summary>
    public static IEnumerable<PlaceSpelling> Everywhere => Gazetteers.SelectMany(g => Embedded.Value[g.Country]);

    public static IReadOnlyList<PlaceSpelling> Of(string country) => Embedded.Value.GetValueOrDefault(country) ?? [];

    public static (IReadOnlyList<PlaceSpelling> Places, IReadOnlyList<string> Problems) Parse(string text) => Parse(text, ResourceName, "nl");

    /// <summary>Reads the file format; every problem names its line.</summary>
    public static (IReadOnlyList<PlaceSpelling> Places, IReadOnlyList<string> Problems) Parse(string text, string file, string country)
    {
        var places = new List<PlaceSpelling>();
        var problems = new List<string>();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var names = line.Split('|', StringSplitOptions.TrimEntries);
            var canonical = names[0].TrimStart('?');
            var localised = string.Join(';', names.Select(n => n.TrimStart('?')).Where(IsLocalised).Select(n => n));
            foreach (var name in names)
            {
                var ambiguous = name.StartsWith('?');
                var spelling = name.TrimStart('?');
                if (IsLocalised(spelling))
                {
                    spelling = spelling[3..];
                }

                var words = TokenizedText.Of(spelling);
                if (words.Tokens.Count == 0)
                {
                    problems.Add($"{file}:{lineNumber}: an empty spelling");
                    continue;
                }

                var key = string.Join(' ', TokenizedText.Words(spelling));
                if (owner.TryGetValue(key, out var other))
                {
                    if (other != canonical)
                    {
                        problems.Add($"{file}:{lineNumber}: '{spelling}' already stands for '{other}'");
                    }

                    continue;
                }

                owner[key] = canonical;
                var capitalAt = words.Tokens.FindIndex(t => char.IsUpper(spelling[t.Start]));
                if (capitalAt < 0)
                {
                    problems.Add($"{file}:{lineNumber}: '{spelling}' has no capital letter");
                    continue;
                }

                places.Add(new PlaceSpelling(spelling, canonical, ambiguous, capitalAt, country, localised));
            }
        }

        return (places, problems);
    }

    private static bool IsLocalised(string name) => name.Length > 3 && name[2] == ':' && name[..2] is "nl" or "fr" or "de" or "en";
}
