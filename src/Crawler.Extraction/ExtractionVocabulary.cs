using System.Reflection;
using Crawler.Core.Yaml;
using Crawler.Documents;
using YamlDotNet.RepresentationModel;

namespace Crawler.Extraction;

/// <summary>What a page's main heading or title can say it is, when it is not an ad.</summary>
public enum PageKind
{
    Unknown,
    Error,
    SitePage,
    Search,
    Removed,
    AgeGate,

    /// <summary>A page of others' words: its main heading or title begins as a third-party section does ("Gastenboek", "Reviews").</summary>
    ThirdParty,
}

/// <summary>
/// The words the generic extractor reads a page's structure by (<c>policies/extraction-vocabulary.yaml</c>), in
/// Dutch, French, German and English: headings that start someone else's section, titles of pages that are not ads,
/// and address parts of member profiles. Kept in a policy file so that a word can be added without a release; a
/// copy is compiled in for callers that load no policy folder.
/// </summary>
public sealed class ExtractionVocabulary
{
    public const string FileName = "extraction-vocabulary.yaml";

    public static readonly string[] Languages = ["nl", "fr", "de", "en"];

    private static readonly string[] PageKindFields = ["errorPages", "sitePages", "searchPages", "removedAds", "ageGates"];

    private static readonly Lazy<ExtractionVocabulary> Embedded = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(FileName)
                           ?? throw new InvalidOperationException($"resource {FileName} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(FileName, reader.ReadToEnd());
    });

    private readonly PhraseTable<bool> _thirdParty;
    private readonly PhraseTable<PageKind> _pageKinds;
    private readonly PhraseTable<bool> _referrals;

    private readonly HashSet<string> _counted;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _countedLookup;

    private ExtractionVocabulary(PhraseTable<bool> thirdParty, PhraseTable<PageKind> pageKinds, IReadOnlyList<string> posterLinks, HashSet<string> counted,
        PhraseTable<bool> referrals)
    {
        _thirdParty = thirdParty;
        _referrals = referrals;
        _pageKinds = pageKinds;
        PosterLinks = posterLinks;
        _counted = counted;
        _countedLookup = counted.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The vocabulary shipped with this build.</summary>
    public static ExtractionVocabulary Default => Embedded.Value;

    /// <summary>Lower-case parts of a member profile's address ("memberlist", "u=").</summary>
    public IReadOnlyList<string> PosterLinks { get; }

    /// <summary>Reads the file; throws <see cref="InputException"/> naming file, line and field of every problem.</summary>
    public static ExtractionVocabulary Parse(string file, string text)
    {
        var (r, root) = YamlReader.Open(file, text);
        if (root is null)
        {
            r.ThrowIfProblems();
            throw new InputException(new InputProblem(file, 0, 0, "(document)", "empty"));
        }

        r.RejectUnknown(root, "", ["thirdPartyHeadings", .. PageKindFields, "posterLinks", "countedThings", "referrals"]);
        var thirdParty = new PhraseTable<bool>();
        foreach (var phrase in ByLanguage(r, root, "thirdPartyHeadings"))
        {
            thirdParty.Add(phrase, true);
        }

        var kinds = new PhraseTable<PageKind>();
        for (var i = 0; i < PageKindFields.Length; i++)
        {
            foreach (var phrase in ByLanguage(r, root, PageKindFields[i]))
            {
                // A phrase in two lists keeps the first (errors before site pages before searches ...).
                kinds.Add(phrase, (PageKind)(i + 1), static (a, _) => a);
            }
        }

        var poster = r.StringList(root, "", "posterLinks", required: true).Select(p => p.Value.ToLowerInvariant()).ToList();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in ByLanguage(r, root, "countedThings", oneWord: true))
        {
            counted.Add(TokenizedText.Words(word)[0]);
        }

        // Optional: a policy folder written before it has none, and then no number is taken for someone else's by its sentence.
        var referrals = new PhraseTable<bool>();
        if (YamlReader.Child(root, "referrals") is not null)
        {
            foreach (var phrase in ByLanguage(r, root, "referrals"))
            {
                referrals.Add(phrase, true);
            }
        }

        r.ThrowIfProblems();
        return new ExtractionVocabulary(thirdParty.Freeze(), kinds.Freeze(), poster, counted, referrals.Freeze());
    }

    /// <summary>Reads <c>extraction-vocabulary.yaml</c> from a policy folder, or the compiled-in copy when the folder has none.</summary>
    public static ExtractionVocabulary Load(string policiesDirectory)
    {
        var path = Path.Combine(policiesDirectory, FileName);
        return File.Exists(path) ? Parse(path, File.ReadAllText(path)) : Default;
    }

    /// <summary>
    /// Whether a heading's text starts someone else's section: it begins with a phrase of the list (after a count such
    /// as "12"), or it is short (at most six words) and holds one.
    /// </summary>
    public bool IsThirdPartyHeading(string heading) => IsThirdPartyHeading(heading, anywhere: true);

    /// <param name="heading">The heading's text.</param>
    /// <param name="anywhere">Whether a short heading may hold the phrase anywhere; otherwise it must begin with it.</param>
    public bool IsThirdPartyHeading(string heading, bool anywhere)
    {
        var t = TokenizedText.Of(heading);
        var first = 0;
        while (first < t.Tokens.Count && char.IsAsciiDigit(t.Word(first)[0]))
        {
            first++;
        }

        if (first < t.Tokens.Count && _thirdParty.TryMatch(t, first, out _, out _))
        {
            return true;
        }

        if (!anywhere)
        {
            return false;
        }

        if (t.Tokens.Count > 6)
        {
            return false;
        }

        for (var i = first + 1; i < t.Tokens.Count; i++)
        {
            if (_thirdParty.TryMatch(t, i, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a sentence sends the reader to someone else ("my friend Dana ... ask her on", "meine Kollegin"): a
    /// contact that stands only in such sentences is that person's, not the advertiser's.
    /// </summary>
    public bool RefersToSomeoneElse(string sentence)
    {
        var t = TokenizedText.Of(sentence);
        for (var i = 0; i < t.Tokens.Count; i++)
        {
            if (_referrals.TryMatch(t, i, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a number in brackets after this word counts or measures it ("Foto's (16)", "Maat (38)") rather than
    /// giving the age of whoever the word names ("Kim (28)").
    /// </summary>
    public bool IsCounted(string word)
    {
        var words = TokenizedText.Words(word);
        return words.Length == 1 && _countedLookup.Contains(words[0]);
    }

    /// <summary>
    /// What a main heading or one part of a title says the page is: a one-word phrase must begin it, a longer
    /// phrase may stand anywhere in it.
    /// </summary>
    public PageKind KindOf(string headingOrTitlePart)
    {
        var t = TokenizedText.Of(headingOrTitlePart);
        for (var i = 0; i < t.Tokens.Count; i++)
        {
            if (_pageKinds.TryMatch(t, i, out var kind, out var words) && (i == 0 || words > 1))
            {
                return kind;
            }
        }

        return PageKind.Unknown;
    }

    private static IEnumerable<string> ByLanguage(YamlReader r, YamlMappingNode root, string key, bool oneWord = false)
    {
        var map = r.Mapping(root, "", key);
        if (map is null)
        {
            r.Problem(YamlReader.Child(root, key) ?? root, key, "required section is missing (a list per language: nl, fr, de, en)");
            yield break;
        }

        r.RejectUnknown(map, key, Languages);
        foreach (var language in Languages)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (value, node) in r.StringList(map, key, language, required: true))
            {
                var words = string.Join(' ', TokenizedText.Words(value));
                if (words.Length == 0)
                {
                    r.Problem(node, $"{key}.{language}", $"'{value}' has no letters or digits");
                }
                else if (oneWord && words.Contains(' ', StringComparison.Ordinal))
                {
                    r.Problem(node, $"{key}.{language}", $"'{value}' is more than one word");
                }
                else if (!seen.Add(words))
                {
                    r.Problem(node, $"{key}.{language}", $"'{value}' is listed twice");
                }
                else
                {
                    yield return value;
                }
            }
        }
    }
}
