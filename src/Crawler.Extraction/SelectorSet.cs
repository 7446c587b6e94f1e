using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// A list of CSS selectors matched one element at a time, as the document scan does. Each selector is kept
/// apart (matching a comma list at once costs more), and a selector that can only match an element with
/// attributes (".paywall", "#x", "[data-x]", "section.reviews") skips the many elements without any.
/// </summary>
internal sealed class SelectorSet
{
    private readonly (ISelector Selector, bool NeedsAttribute)[] _parts;

    private SelectorSet((ISelector, bool)[] parts) => _parts = parts;

    /// <summary>The selectors compiled; null for an empty list. Throws for a selector AngleSharp cannot parse.</summary>
    public static SelectorSet? Compile(CssSelectorParser parser, IReadOnlyList<string> selectors)
    {
        if (selectors.Count == 0)
        {
            return null;
        }

        var parts = new (ISelector, bool)[selectors.Count];
        for (var i = 0; i < selectors.Count; i++)
        {
            var text = selectors[i];
            var selector = string.IsNullOrWhiteSpace(text) ? null : parser.ParseSelector(text);
            parts[i] = (selector ?? throw new ArgumentException($"'{text}' is not a valid CSS selector", nameof(selectors)), NeedsAttribute(text));
        }

        return new SelectorSet(parts);
    }

    public bool Match(IElement element)
    {
        var hasAttributes = element.Attributes.Length > 0;
        foreach (var (selector, needsAttribute) in _parts)
        {
            if ((hasAttributes || !needsAttribute) && selector.Match(element))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One compound selector without combinators or pseudo-classes that names a class, id or attribute: no
    /// element without attributes can match it. Anything else (":not(...)", "a b", lists) is matched always.
    /// </summary>
    private static bool NeedsAttribute(string selector)
    {
        var s = selector.Trim();
        return s.IndexOfAny([' ', '>', '+', '~', ',', ':', '*', '(', '\\']) < 0 && s.IndexOfAny(['.', '#', '[']) >= 0;
    }
}
