namespace Crawler.Core.Policy;

/// <summary>
/// How much work one page may cost before it is parsed: a hostile or broken page (a hundred thousand nested elements,
/// a hundred thousand links) must not stall a crawl. A page over <see cref="MaxElements"/> or
/// <see cref="MaxNesting"/>, or with more than <see cref="MaxTextChars"/> characters of text, is not parsed at all; of
/// a page with more than <see cref="MaxLinks"/> links, only the first are followed. Each is logged with its rule.
/// </summary>
public sealed record PageBudget(int MaxElements, int MaxNesting, int MaxLinks, int MaxTextChars = 500_000)
{
    public const string TextRule = "page.too-much-text";
    public const string ElementsRule = "page.too-many-elements";
    public const string NestingRule = "page.too-deep";
    public const string LinksRule = "page.links-capped";

    /// <summary>About ten times a large ad or listing page (whose text is some 10,000 to 50,000 characters); browsers stop nesting at 512.</summary>
    public static PageBudget Default { get; } = new(50_000, 512, 2_000, 500_000);

    /// <summary>The rule and reason a page breaks, or null when it is within the budget.</summary>
    public (string Rule, string Reason)? Check(string html)
    {
        var (elements, depth, text) = PageShape.Measure(html);
        if (elements > MaxElements)
        {
            return (ElementsRule, $"the page has about {elements} elements, more than the policy's {MaxElements}; it was not parsed");
        }

        if (text > MaxTextChars)
        {
            return (TextRule, $"the page has about {text} characters of text, more than the policy's {MaxTextChars}; it was not parsed");
        }

        return depth > MaxNesting
            ? (NestingRule, $"the page nests elements {depth} deep, more than the policy's {MaxNesting}; it was not parsed")
            : null;
    }
}

/// <summary>
/// A page's size, depth and text, counted over its tags without building anything: an upper bound for the element
/// count, an estimate of the nesting that a parser would build, and the characters between tags. Comments, and the text of script, style and other raw-text
/// elements, are skipped; void elements and elements whose end tag may be left out (p, li, td…) do not deepen it.
/// </summary>
public static class PageShape
{
    private static readonly HashSet<string> NoDepth = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements (never have content).
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",

        // Elements whose end tag may be omitted: unclosed ones are closed by their next sibling, not nested.
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "rt", "rp", "colgroup", "caption",
        "html", "head", "body",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "plaintext" };

    public static (int Elements, int Depth, int Text) Measure(ReadOnlySpan<char> html)
    {
        var text = 0;
        var elements = 0;
        var depth = 0;
        var deepest = 0;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html[i..].IndexOf('<');
            if (lt < 0)
            {
                text += html.Length - i;
                break;
            }

            text += lt;
            i += lt + 1;
            if (i >= html.Length)
            {
                break;
            }

            if (html[i..].StartsWith("!--", StringComparison.Ordinal))
            {
                var end = html[i..].IndexOf("-->", StringComparison.Ordinal);
                i = end < 0 ? html.Length : i + end + 3;
                continue;
            }

            var closing = html[i] == '/';
            var start = closing ? i + 1 : i;
            var nameEnd = start;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':') && nameEnd - start < 32)
            {
                nameEnd++;
            }

            if (nameEnd == start || !char.IsAsciiLetter(html[start]))
            {
                // Not a tag ("a < b", "<!DOCTYPE", "<?xml"): text.
                text++;
                continue;
            }

            var name = html[start..nameEnd];
            var tagEnd = html[nameEnd..].IndexOf('>');
            var selfClosing = tagEnd > 0 && html[nameEnd + tagEnd - 1] == '/';
            i = tagEnd < 0 ? html.Length : nameEnd + tagEnd + 1;
            var lookup = NoDepth.GetAlternateLookup<ReadOnlySpan<char>>();
            if (closing)
            {
                if (!lookup.Contains(name) && depth > 0)
                {
                    depth--;
                }

                continue;
            }

            elements++;
            if (RawText.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                // Its content is text up to its own end tag, whatever it looks like.
                var close = IndexOfEndTag(html[i..], name);
                i = close < 0 ? html.Length : i + close;
                continue;
            }

            if (!selfClosing && !lookup.Contains(name))
            {
                depth++;
                deepest = Math.Max(deepest, depth);
            }
        }

        return (elements, deepest, text);
    }

    private static int IndexOfEndTag(ReadOnlySpan<char> text, ReadOnlySpan<char> name)
    {
        for (var at = 0; ;)
        {
            var next = text[at..].IndexOf("</", StringComparison.Ordinal);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (text[(at + 2)..].StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return at;
            }

            at += 2;
        }
    }
}
