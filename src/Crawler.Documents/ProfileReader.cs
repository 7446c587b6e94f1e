using System.Text.RegularExpressions;
using AngleSharp.Css.Parser;
using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>
/// Reads one <c>policies/profiles/NAME.yaml</c>, naming file, line and field for every problem: unknown
/// fields, selectors AngleSharp cannot parse, address patterns that are not regular expressions.
/// </summary>
internal static partial class ProfileReader
{
    public const string Folder = "profiles/";

    private static readonly string[] Known =
        ["description", "adRegion", "title", "body", "fields", "contact", "date", "images", "adId", "drop", "dropCommonThirdParty"];

    /// <summary>The profile name a policy file defines, or null when the file is not a profile.</summary>
    public static string? NameOf(string fileName) =>
        fileName.StartsWith(Folder, StringComparison.Ordinal) && fileName.EndsWith(".yaml", StringComparison.Ordinal) &&
        fileName.IndexOf('/', Folder.Length) < 0
            ? fileName[Folder.Length..^".yaml".Length]
            : null;

    /// <summary>Every <c>profiles/NAME.yaml</c>; their problems join the others, so one run names them all.</summary>
    public static ProfileCatalog ReadAll(IReadOnlyList<PolicyFileText> files, List<InputProblem> problems)
    {
        var profiles = new List<ExtractionProfile>();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (NameOf(file.Name) is not { } name)
            {
                continue;
            }

            var (reader, root) = YamlReader.Open(file.Name, file.Text);
            if (root is not null && Read(reader, root, name) is { } profile && reader.Problems.Count == 0)
            {
                profiles.Add(profile);
            }

            problems.AddRange(reader.Problems);
        }

        return new ProfileCatalog(profiles);
    }

    public static ExtractionProfile? Read(YamlReader r, YamlMappingNode root, string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            r.Problem(root, "(file)", $"profile name '{name}' must be 2 to 64 of a-z, 0-9 and '-' (it is the file name)");
        }

        r.RejectUnknown(root, "", Known);
        var selectors = new CssSelectorParser();
        var description = r.Text(root, "", "description", required: true);
        var adRegion = SelectorList(r, selectors, root, "adRegion");
        var title = Selector(r, selectors, root, "", "title");
        var body = Selector(r, selectors, root, "", "body");
        var fields = SelectorList(r, selectors, root, "fields");
        var contact = Selector(r, selectors, root, "", "contact");
        var date = Selector(r, selectors, root, "", "date");
        var images = Selector(r, selectors, root, "", "images");
        var drop = SelectorList(r, selectors, root, "drop");
        var dropCommon = r.Bool(root, "", "dropCommonThirdParty") ?? true;
        AdIdSource? adId = null;
        if (r.Mapping(root, "", "adId") is { } idMap)
        {
            r.RejectUnknown(idMap, "adId", "selector", "attribute", "urlPattern");
            var idSelector = Selector(r, selectors, idMap, "adId", "selector");
            var attribute = r.Text(idMap, "adId", "attribute", required: false);
            var pattern = r.Text(idMap, "adId", "urlPattern", required: false);
            if (attribute is not null && YamlReader.Child(idMap, "selector") is null)
            {
                r.Problem(YamlReader.Child(idMap, "attribute"), "adId.attribute", "an attribute needs a selector to read it from");
            }

            if (YamlReader.Child(idMap, "selector") is null && YamlReader.Child(idMap, "urlPattern") is null)
            {
                r.Problem(idMap, "adId", "give a selector, a urlPattern or both");
            }

            if (pattern is not null)
            {
                CheckPattern(r, YamlReader.Child(idMap, "urlPattern"), pattern);
            }

            adId = new AdIdSource(idSelector, attribute, pattern);
        }

        return description is null ? null : new ExtractionProfile(name, description, adRegion, title, body, fields, contact, date, images, adId, drop, dropCommon);
    }

    private static string? Selector(YamlReader r, CssSelectorParser parser, YamlMappingNode map, string prefix, string key)
    {
        var text = r.Text(map, prefix, key, required: false);
        if (text is not null)
        {
            Check(r, parser, YamlReader.Child(map, key)!, YamlReader.Join(prefix, key), text);
        }
        else if (YamlReader.Child(map, key) is YamlScalarNode { Value: { Length: > 0 } blank } node)
        {
            // A quoted blank is not "no selector": it is a mistake.
            Check(r, parser, node, YamlReader.Join(prefix, key), blank);
        }

        return text;
    }

    /// <summary>A list of selectors; a single text is a list of one.</summary>
    private static List<string> SelectorList(YamlReader r, CssSelectorParser parser, YamlMappingNode map, string key)
    {
        var node = YamlReader.Child(map, key);
        if (node is YamlScalarNode { Value: { Length: > 0 } single })
        {
            Check(r, parser, node, key, single.Trim());
            return [single.Trim()];
        }

        var list = r.StringList(map, "", key, required: false);
        for (var i = 0; i < list.Count; i++)
        {
            Check(r, parser, list[i].Node, $"{key}[{i}]", list[i].Value);
        }

        return list.Select(s => s.Value).ToList();
    }

    private static void Check(YamlReader r, CssSelectorParser parser, YamlNode node, string field, string selector)
    {
        // AngleSharp reads a blank selector as '*', which would select the whole page.
        if (string.IsNullOrWhiteSpace(selector) || parser.ParseSelector(selector) is null)
        {
            r.Problem(node, field, $"'{selector}' is not a valid CSS selector");
        }
    }

    private static void CheckPattern(YamlReader r, YamlNode? node, string pattern)
    {
        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            if (regex.GetGroupNumbers().Length < 2)
            {
                r.Problem(node, "adId.urlPattern", "the pattern needs a group '( )' around the id");
            }
        }
        catch (ArgumentException ex)
        {
            r.Problem(node, "adId.urlPattern", "not a regular expression: " + ex.Message);
        }
    }

    [GeneratedRegex("^[a-z0-9-]{2,64}$")]
    private static partial Regex NamePattern();
}
