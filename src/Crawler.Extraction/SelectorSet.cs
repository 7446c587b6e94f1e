using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// A list of CSS selectors matched one element at a time, as the document scan does. Each selector is kept apart
/// (matching a comma list at once costs more). A simple compound selector (a tag, classes, ids, attributes:
/// "input[type=password]", ".paywall", "section.reviews") is first checked against what any match must have: the
/// tag, each class and id as text inside the element's class or id attribute, each attribute present. Most
/// elements fail that at once, and AngleSharp (which builds a class list for each element it asks) decides only
/// for the rest, so the answer is always AngleSharp's.
/// </summary>
internal sealed partial class SelectorSet
{
    private readonly Part[] _parts;

    private SelectorSet(Part[] parts) => _parts = parts;

    /// <summary>The selectors compiled; null for an empty list. Throws for a selector AngleSharp cannot parse.</summary>
    public static SelectorSet? Compile(CssSelectorParser parser, IReadOnlyList<string> selectors)
    {
        if (selectors.Count == 0)
        {
            return null;
        }

        var parts = new Part[selectors.Count];
        for (var i = 0; i < selectors.Count; i++)
        {
            var text = selectors[i];
            var selector = string.IsNullOrWhiteSpace(text) ? null : parser.ParseSelector(text);
            parts[i] = Part.Of(selector ?? throw new ArgumentException($"'{text}' is not a valid CSS selector", nameof(selectors)), text);
        }

        return new SelectorSet(parts);
    }

    /// <summary>
    /// Whether every selector depends on the element alone (a tag, classes, ids, attributes): then it matches the
    /// same before and after other elements are removed, and the document scan can look for it on its way.
    /// </summary>
    public bool OnlyTheElement => _parts.All(p => p.Simple);

    public bool Match(IElement element)
    {
        foreach (var part in _parts)
        {
            if (part.MayMatch(element) && part.Selector.Match(element))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One selector and what an element must have for it to match (nothing known for complex selectors).</summary>
    private sealed record Part(ISelector Selector, string? Tag, string[] Classes, string[] Ids, string[] Attributes, bool Simple = true)
    {
        public static Part Of(ISelector selector, string text)
        {
            var m = SimpleCompound().Match(text.Trim());
            if (!m.Success)
            {
                return new Part(selector, null, [], [], [], Simple: false);
            }

            var tag = m.Groups["tag"].Success && m.Groups["tag"].Value != "*" ? m.Groups["tag"].Value : null;
            var classes = m.Groups["class"].Captures.Select(c => c.Value).ToArray();
            var ids = m.Groups["id"].Captures.Select(c => c.Value).ToArray();
            var attributes = m.Groups["attr"].Captures.Select(c => c.Value).ToArray();
            return new Part(selector, tag, classes, ids, attributes);
        }

        public bool MayMatch(IElement element)
        {
            if (Tag is not null && !string.Equals(element.LocalName, Tag, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (Classes.Length > 0 && !ContainsAll(element.GetAttribute("class"), Classes))
            {
                return false;
            }

            if (Ids.Length > 0 && !ContainsAll(element.GetAttribute("id"), Ids))
            {
                return false;
            }

            foreach (var attribute in Attributes)
            {
                if (!element.HasAttribute(attribute))
                {
                    return false;
                }
            }

            return true;
        }

        // Case-insensitive, so that a document in quirks mode (where class and id may match regardless of case) is never ruled out.
        private static bool ContainsAll(string? value, string[] parts)
        {
            if (value is null)
            {
                return false;
            }

            foreach (var part in parts)
            {
                if (!value.Contains(part, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// An optional tag, then classes, ids and attribute tests only, with plain names (no escapes, no pseudo-classes,
    /// no combinators, no lists): anything else gets no pre-check.
    /// </summary>
    [GeneratedRegex(@"^(?<tag>[A-Za-z][A-Za-z0-9-]*|\*)?(?:\.(?<class>[A-Za-z_][A-Za-z0-9_-]*)|#(?<id>[A-Za-z_][A-Za-z0-9_-]*)|\[\s*(?<attr>[A-Za-z_][A-Za-z0-9_-]*)\s*(?:[~|^$*]?=\s*(?:""[^""\\]*""|'[^'\\]*'|[A-Za-z0-9_-]+)\s*(?:[iIsS]\s*)?)?\])*$")]
    private static partial Regex SimpleCompound();
}
