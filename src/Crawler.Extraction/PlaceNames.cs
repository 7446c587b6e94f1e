using System.Reflection;

namespace Crawler.Extraction;

/// <summary>One spelling of a Dutch place and the canonical name it stands for.</summary>
/// <param name="Spelling">As written in ads ("'s-Gravenhage").</param>
/// <param name="Canonical">The one name all its spellings map to ("Den Haag").</param>
/// <param name="Ambiguous">Also a common word: counts only after a place word or as a label value.</param>
/// <param name="CapitalAt">The word of the spelling that must be written with a capital ("'s-<b>G</b>ravenhage": 1).</param>
internal sealed record PlaceSpelling(string Spelling, string Canonical, bool Ambiguous, int CapitalAt);

/// <summary>
/// The gazetteer of <c>policies/places-nl.txt</c> (compiled in): every municipality and the larger
/// towns, each spelling mapped to one canonical name ("'s-Gravenhage" and "The Hague" are "Den Haag").
/// </summary>
internal static class PlaceNames
{
    public const string ResourceName = "places-nl.txt";

    private static readonly Lazy<IReadOnlyList<PlaceSpelling>> Embedded = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        var (places, problems) = Parse(reader.ReadToEnd());
        return problems.Count == 0 ? places : throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
    });

    public static IReadOnlyList<PlaceSpelling> All => Embedded.Value;

    /// <summary>Reads the file format; every problem names its line.</summary>
    public static (IReadOnlyList<PlaceSpelling> Places, IReadOnlyList<string> Problems) Parse(string text)
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
            foreach (var name in names)
            {
                var ambiguous = name.StartsWith('?');
                var spelling = name.TrimStart('?');
                var words = TokenizedText.Of(spelling);
                if (words.Tokens.Count == 0)
                {
                    problems.Add($"{ResourceName}:{lineNumber}: an empty spelling");
                    continue;
                }

                var key = string.Join(' ', TokenizedText.Words(spelling));
                if (owner.TryGetValue(key, out var other))
                {
                    if (other != canonical)
                    {
                        problems.Add($"{ResourceName}:{lineNumber}: '{spelling}' already stands for '{other}'");
                    }

                    continue;
                }

                owner[key] = canonical;
                var capitalAt = words.Tokens.FindIndex(t => char.IsUpper(spelling[t.Start]));
                if (capitalAt < 0)
                {
                    problems.Add($"{ResourceName}:{lineNumber}: '{spelling}' has no capital letter");
                    continue;
                }

                places.Add(new PlaceSpelling(spelling, canonical, ambiguous, capitalAt));
            }
        }

        return (places, problems);
    }
}
