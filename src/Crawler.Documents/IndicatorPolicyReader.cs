using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>Reads policies/indicators.yaml, naming file, line, column and field for every problem.</summary>
internal static partial class IndicatorPolicyReader
{
    public static IndicatorPolicy Read(YamlReader r, YamlMappingNode root)
    {
        r.RejectUnknown(root, "", "hitThreshold", "negation", "indicators", "linking");
        var threshold = r.Real(root, "", "hitThreshold", 0, 1000);
        if (threshold is null && YamlReader.Child(root, "hitThreshold") is null)
        {
            r.Problem(root, "hitThreshold", "required field is missing");
        }

        var negation = ReadNegation(r, Section(r, root, "negation"));
        var indicators = ReadIndicators(r, root);
        var linking = ReadLinking(r, Section(r, root, "linking"));
        return new IndicatorPolicy(threshold ?? 0, indicators) { Negation = negation, Linking = linking };
    }

    private static List<IndicatorDefinition> ReadIndicators(YamlReader r, YamlMappingNode root)
    {
        var list = new List<IndicatorDefinition>();
        if (YamlReader.Child(root, "indicators") is not YamlSequenceNode seq)
        {
            r.Problem(YamlReader.Child(root, "indicators") ?? root, "indicators", "required list is missing");
            return list;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var prefix = $"indicators[{i}]";
            if (seq.Children[i] is not YamlMappingNode m)
            {
                r.Problem(seq.Children[i], prefix, "expected a mapping with id, weight and terms");
                continue;
            }

            r.RejectUnknown(m, prefix, "id", "weight", "terms", "escalates", "note", "perHourBelow");
            var id = r.Text(m, prefix, "id", true);
            if (id is not null && !IdPattern().IsMatch(id))
            {
                r.Problem(YamlReader.Child(m, "id"), prefix + ".id", $"'{id}' is not an id: use lower-case letters, digits and '-'");
            }

            if (id is not null && !seen.Add(id))
            {
                r.Problem(YamlReader.Child(m, "id"), prefix + ".id", $"duplicate indicator id '{id}'");
            }

            var weight = r.Real(m, prefix, "weight", 0, 100);
            if (weight is null && YamlReader.Child(m, "weight") is null)
            {
                r.Problem(m, prefix + ".weight", "required field is missing");
            }

            var fedByData = id is not null && IndicatorIds.FedByData.Contains(id, StringComparer.Ordinal);
            var terms = Terms(r, m, prefix, required: !fedByData);
            var escalates = r.Bool(m, prefix, "escalates") ?? false;
            var note = r.Text(m, prefix, "note", false);
            var perHourBelow = r.Real(m, prefix, "perHourBelow", 1, 100_000);
            if (YamlReader.Child(m, "perHourBelow") is { } perHourNode && id is not null && id != IndicatorIds.LowPrice)
            {
                r.Problem(perHourNode, prefix + ".perHourBelow", $"only {IndicatorIds.LowPrice} takes a price per hour");
            }

            if (id == IndicatorIds.MinorAge && !escalates)
            {
                r.Problem(YamlReader.Child(m, "escalates") ?? m, prefix + ".escalates",
                    "minor-age must escalate: a stated age under 18 is a legal red line, outside the score");
            }

            if (id is not null && weight is not null)
            {
                list.Add(new IndicatorDefinition(id, weight.Value, terms, escalates, perHourBelow is { } p ? (decimal)p : null, note));
            }
        }

        if (!seen.Contains(IndicatorIds.MinorAge))
        {
            r.Problem(seq, "indicators", "minor-age is required: a stated age under 18 is a legal red line and must escalate");
        }

        return list;
    }

    private static List<string> Terms(YamlReader r, YamlMappingNode m, string prefix, bool required)
    {
        var terms = new List<string>();
        var folded = new HashSet<string>(StringComparer.Ordinal);
        var items = r.StringList(m, prefix, "terms", required);
        for (var i = 0; i < items.Count; i++)
        {
            var (term, node) = items[i];
            var words = TextTokenizer.Words(term);
            var field = $"{prefix}.terms[{i}]";
            if (words.Count == 0)
            {
                r.Problem(node, field, $"'{term}' has no letters, digits or symbols to match");
                continue;
            }

            var key = string.Join(' ', words.Select(w => (w.BoundaryBefore ? "," : "") + w.Word));
            if (!folded.Add(key))
            {
                r.Problem(node, field, $"duplicate term '{term}' (terms match regardless of case and diacritics)");
                continue;
            }

            terms.Add(term);
        }

        return terms;
    }

    private static NegationRules ReadNegation(YamlReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return NegationRules.None;
        }

        r.RejectUnknown(map, "negation", "words", "adjacentWords", "window", "after");
        var words = OneWordEach(r, map, "negation", "words", required: true);
        var adjacent = OneWordEach(r, map, "negation", "adjacentWords", required: false);
        var window = NegationWindow(r, map, "negation");
        return new NegationRules(words, adjacent, window) { After = ReadAfter(r, r.Mapping(map, "negation", "after")) };
    }

    // Optional so that a policy written before negations after a term were seen keeps its meaning.
    private static TrailingNegation ReadAfter(YamlReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return TrailingNegation.None;
        }

        const string P = "negation.after";
        r.RejectUnknown(map, P, "words", "completions", "between", "window");
        var words = OneWordEach(r, map, P, "words", required: true);
        var completions = OneWordEach(r, map, P, "completions", required: false);
        var between = OneWordEach(r, map, P, "between", required: false);
        return new TrailingNegation(words, completions, NegationWindow(r, map, P)) { Between = between };
    }

    private static int NegationWindow(YamlReader r, YamlMappingNode map, string prefix)
    {
        var window = r.Number(map, prefix, "window", 0, 10);
        if (window is null && YamlReader.Child(map, "window") is null)
        {
            r.Problem(map, prefix + ".window", "required field is missing");
        }

        return window ?? 0;
    }

    private static List<string> OneWordEach(YamlReader r, YamlMappingNode map, string prefix, string key, bool required)
    {
        var result = new List<string>();
        var items = r.StringList(map, prefix, key, required);
        for (var i = 0; i < items.Count; i++)
        {
            if (TextTokenizer.Words(items[i].Value).Count != 1)
            {
                r.Problem(items[i].Node, $"{prefix}.{key}[{i}]", $"'{items[i].Value}' is not one word");
                continue;
            }

            result.Add(items[i].Value);
        }

        return result;
    }

    private static LinkingPolicy ReadLinking(YamlReader r, YamlMappingNode? map)
    {
        var d = LinkingPolicy.Default;
        if (map is null)
        {
            return d;
        }

        const string P = "linking";
        r.RejectUnknown(map, P, "hubThreshold", "textSimilarity", "shingleWords", "minWords", "minHashes", "bands", "seed",
            "sharedContactMinDistinct");
        var hub = r.Number(map, P, "hubThreshold", 2, 1_000_000);
        var similarity = r.Real(map, P, "textSimilarity", 0.05, 1);
        foreach (var (key, value) in new[] { ("hubThreshold", (object?)hub), ("textSimilarity", similarity) })
        {
            if (value is null && YamlReader.Child(map, key) is null)
            {
                r.Problem(map, P + "." + key, "required field is missing");
            }
        }

        var minHashes = r.Number(map, P, "minHashes", 8, 1024) ?? d.MinHashes;
        var bands = r.Number(map, P, "bands", 1, 1024) ?? d.Bands;
        if (minHashes % bands != 0)
        {
            r.Problem(YamlReader.Child(map, "bands") ?? YamlReader.Child(map, "minHashes") ?? map, P + ".bands",
                $"minHashes ({minHashes}) must be a multiple of bands ({bands})");
        }

        return new LinkingPolicy(
            hub ?? d.HubThreshold,
            similarity ?? d.TextSimilarity,
            r.Number(map, P, "shingleWords", 1, 10) ?? d.ShingleWords,
            r.Number(map, P, "minWords", 1, 10_000) ?? d.MinWords,
            minHashes,
            bands,
            r.Number(map, P, "seed", 0, int.MaxValue) ?? d.Seed,
            r.Number(map, P, "sharedContactMinDistinct", 2, 100) ?? d.SharedContactMinDistinct);
    }

    private static YamlMappingNode? Section(YamlReader r, YamlMappingNode root, string key)
    {
        var m = r.Mapping(root, "", key);
        if (m is null && YamlReader.Child(root, key) is null)
        {
            r.Problem(root, key, "required section is missing");
        }

        return m;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
