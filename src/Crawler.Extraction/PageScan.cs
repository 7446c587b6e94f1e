using System.Buffers;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// One pass over the whole document before anything is read: the links (from everywhere, for the
/// frontier), whether the page is behind a login, structured data (JSON-LD, OpenGraph) outside the
/// dropped regions, and which regions to drop. Iterative, so hostile nesting cannot exhaust the stack.
/// </summary>
internal sealed class DocumentScan
{
    /// <summary>Class or id fragments that mark a region as someone else's on any site (one vectorised search per attribute).</summary>
    private static readonly SearchValues<string> ThirdPartyClassParts = SearchValues.Create(
        ["review", "comment", "reply", "replies", "sidebar", "related"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> ThirdPartyIdParts = SearchValues.Create(["review", "comment"], StringComparison.OrdinalIgnoreCase);

    public List<IElement> Anchors { get; } = [];

    /// <summary>Outermost third-party regions only: an element inside another dropped one is part of that region.</summary>
    public List<IElement> Dropped { get; } = [];

    public List<IElement> Furniture { get; } = [];

    /// <summary>The site's header, navigation and footer (outermost): whatever contact they show is the site's.</summary>
    public List<IElement> Chrome { get; } = [];

    public List<string> JsonLd { get; } = [];

    public List<(string Property, string Content)> Meta { get; } = [];

    public string? BaseHref { get; private set; }

    public IElement? Wall { get; private set; }

    /// <summary>Per region selector asked for, the first element (in document order) outside dropped regions that it matches.</summary>
    public IElement?[] RegionMatches { get; private set; } = [];

    /// <param name="document">The parsed page.</param>
    /// <param name="notPublic">Selectors that mark a login or paywall.</param>
    /// <param name="drop">The profile's regions to drop.</param>
    /// <param name="dropCommon">Whether regions that look like someone else's on any site are dropped too.</param>
    /// <param name="regions">Selectors of the ad region that depend on the element alone (null where not): their first
    /// match outside dropped regions is noted on the way, in <see cref="RegionMatches"/>.</param>
    /// <param name="vocabulary">Third-party headings, to tell a tab panel of reviews from one of the ad's own; without it every long concealed panel goes.</param>
    public static DocumentScan Run(IDocument document, SelectorSet? notPublic, SelectorSet? drop, bool dropCommon, SelectorSet?[]? regions = null,
        ExtractionVocabulary? vocabulary = null)
    {
        var scan = new DocumentScan { _regions = regions ?? [], _vocabulary = vocabulary, _document = document };
        scan.RegionMatches = new IElement?[scan._regions.Length];
        if (document.DocumentElement is not { } root)
        {
            return scan;
        }

        // Each frame: the element whose children are being visited, whether that subtree is already dropped,
        // and whether it lies inside an article or main (where a header is the ad's own, not the site's).
        var stack = new Stack<(IElement Element, int Next, bool Dropped, bool InContent)>();
        scan.Enter(root, notPublic, drop, dropCommon, false, false, out var rootDropped);
        stack.Push((root, 0, rootDropped, false));
        while (stack.Count > 0)
        {
            var (parent, next, dropped, inContent) = stack.Pop();
            var children = parent.ChildNodes;
            while (next < children.Length && children[next] is not IElement)
            {
                next++;
            }

            if (next >= children.Length)
            {
                continue;
            }

            stack.Push((parent, next + 1, dropped, inContent));
            var child = (IElement)children[next];
            scan.Enter(child, notPublic, drop, dropCommon, dropped, inContent, out var childDropped);
            stack.Push((child, 0, childDropped, inContent || child.LocalName is "article" or "main"));
        }

        return scan;
    }

    private SelectorSet?[] _regions = [];
    private IElement? _firstHeading;
    private ExtractionVocabulary? _vocabulary;
    private IDocument? _document;

    private void Enter(IElement e, SelectorSet? notPublic, SelectorSet? drop, bool dropCommon, bool inDropped, bool inContent, out bool dropped)
    {
        dropped = inDropped;
        var name = e.LocalName;
        if (name == "a" && e.HasAttribute("href"))
        {
            Anchors.Add(e);
        }

        if (Wall is null && notPublic is not null && notPublic.Match(e))
        {
            Wall = e;
        }

        if (inDropped)
        {
            return;
        }

        var role = e.GetAttribute("role");
        if (_vocabulary is not null && TabLabel(e, role) is { } label)
        {
            // A tab panel is read when the visitor opens it, open or closed now: its tab says whose it is ("Reviews (3)", "Tarieven").
            if (_vocabulary.IsThirdPartyHeading(label))
            {
                Dropped.Add(e);
                dropped = true;
                return;
            }
        }
        else if (Visibility.IsConcealed(e) && e.TextContent.Length >= 100)
        {
            // A long block the visitor does not see, and no tab says what it is: not the ad's text. Short concealed
            // text (a number behind a reveal button, a decoy digit) is left to the content scan, which reads it apart.
            Dropped.Add(e);
            dropped = true;
            return;
        }

        if (!inContent && (name is "header" or "nav" or "footer" || role is "banner" or "navigation" or "contentinfo"))
        {
            Chrome.Add(e);
        }

        if (name == "h1" && _firstHeading is null)
        {
            _firstHeading = e;
        }

        if ((drop is not null && drop.Match(e)) || (dropCommon && IsCommonThirdParty(e, name, role) && !OpensUnderHeading(e, name, role)))
        {
            Dropped.Add(e);
            dropped = true;
            return;
        }

        switch (name)
        {
            case "script":
                if (e.GetAttribute("type") is { } type && type.Contains("ld+json", StringComparison.OrdinalIgnoreCase))
                {
                    JsonLd.Add(e.TextContent);
                }

                Furniture.Add(e);
                dropped = true;
                break;
            case "header" when inContent:
                break;

            // Inside an article or main, a bar of the ad's own phone, mail or messenger buttons is hers, not the site's navigation.
            case "nav" when inContent && OffersContact(e):
                break;
            case "style" or "noscript" or "template" or "iframe" or "object" or "embed" or "header" or "nav":
            case "div" or "section" or "ul" or "form" when role is "banner" or "navigation" or "search":
                Furniture.Add(e);
                dropped = true;
                break;
            case "meta":
                if ((e.GetAttribute("property") ?? e.GetAttribute("name")) is { } property && e.GetAttribute("content") is { } content)
                {
                    Meta.Add((property, content));
                }

                break;
            case "base":
                BaseHref ??= e.GetAttribute("href");
                break;
        }

        if (!dropped)
        {
            for (var i = 0; i < _regions.Length; i++)
            {
                if (RegionMatches[i] is null && _regions[i] is { } region && region.Match(e))
                {
                    RegionMatches[i] = e;
                }
            }
        }
    }

    /// <summary>
    /// The label of a tab panel (<c>role=tabpanel</c>, or any element <c>aria-labelledby</c> names a label of): the text of
    /// the elements it names, its <c>aria-label</c>, or the first heading inside it.
    /// </summary>
    private string? TabLabel(IElement e, string? role)
    {
        if (e.GetAttribute("aria-labelledby") is { Length: > 0 } ids && _document is not null)
        {
            var text = new System.Text.StringBuilder();
            foreach (var id in ids.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (_document.GetElementById(id) is { } labelElement && !labelElement.Contains(e))
                {
                    text.Append(labelElement.TextContent).Append(' ');
                }
            }

            if (text.Length > 0)
            {
                return text.ToString();
            }
        }

        if (!string.Equals(role, "tabpanel", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return e.GetAttribute("aria-label") ?? FirstHeading(e)?.TextContent;
    }

    private static IElement? FirstHeading(IElement e)
    {
        foreach (var d in e.Descendants<IElement>())
        {
            if (Sectioning.HeadingLevel(d) is > 0 and < 7)
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>
    /// A block that a class name calls replies or comments, holding posts, that begins right under the page's main
    /// heading (next to nothing between them) holds the thread's opening post: it is the page's content, not a section
    /// after it. Landmarks (aside, footer and their roles) are never so.
    /// </summary>
    private bool OpensUnderHeading(IElement e, string name, string? role)
    {
        if (_firstHeading is null || name is "footer" or "aside" || role is "complementary" or "contentinfo" ||
            e.GetElementsByTagName("article").Length == 0)
        {
            return false;
        }

        const int Limit = 150;
        var n = 0;
        INode? node = _firstHeading;
        while (node is not null && node.NextSibling is null)
        {
            node = node.Parent;
        }

        node = node?.NextSibling;
        while (node is not null && n < Limit)
        {
            if (node == e)
            {
                return true;
            }

            if (node.Contains(e))
            {
                node = node.FirstChild;
                continue;
            }

            if (node is IText t)
            {
                n += t.Data.AsSpan().Trim().Length;
            }
            else if (node is IElement el && el.LocalName is not ("script" or "style"))
            {
                n += Sectioning.VisibleLength(el, Limit);
            }

            while (node is not null && node.NextSibling is null)
            {
                node = node.Parent;
            }

            node = node?.NextSibling;
        }

        return false;
    }

    /// <summary>Whether an element holds a phone, mail or messenger link.</summary>
    internal static bool OffersContact(IElement e)
    {
        foreach (var a in e.GetElementsByTagName("a"))
        {
            if (a.GetAttribute("href")?.Trim() is { } href && (href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ||
                href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || Messengers.FromLink(href, out _) is not null))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCommonThirdParty(IElement e, string name, string? role)
    {
        if (name is "footer" or "aside" || role is "complementary" or "contentinfo")
        {
            return true;
        }

        // The page itself is never a third party's region, whatever its class says ("...webpreview" is not a review).
        if (name is "body" or "html")
        {
            return false;
        }

        if (e.GetAttribute("class") is { Length: > 0 } cls && ContainsAny(cls, ThirdPartyClassParts))
        {
            return true;
        }

        return e.GetAttribute("id") is { Length: > 0 } id && ContainsAny(id, ThirdPartyIdParts);
    }

    private static bool ContainsAny(string value, SearchValues<string> parts) => value.AsSpan().ContainsAny(parts);
}

/// <summary>
/// One pass over what is read of the ad (the region, or the profile's title, body, fields and contact):
/// its visible text and the elements features need (links, images, times, label/value structures,
/// Cloudflare-encoded addresses). Runs after third-party regions and page furniture were removed.
/// </summary>
internal sealed class ContentScan
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.Ordinal)
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "br", "tr", "td", "th",
        "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address", "figure", "figcaption", "hr",
    };

    private readonly TextBuilder _text = new(4096);
    private readonly List<IElement> _roots = [];

    public List<IElement> Anchors { get; } = [];

    public List<IElement> Images { get; } = [];

    public List<IElement> Times { get; } = [];

    /// <summary><c>dl</c> and <c>table</c> elements, in document order.</summary>
    public List<IElement> Structures { get; } = [];

    public List<IElement> CloudflareEmails { get; } = [];

    /// <summary>
    /// Values of data attributes that name a phone ("data-phone"): the number behind a reveal button; and microdata
    /// telephones (<c>itemprop="telephone"</c>).
    /// </summary>
    public List<string> DataNumbers { get; } = [];

    /// <summary>Microdata addresses (<c>itemprop="email"</c>, as content or text).</summary>
    public List<string> ItemEmails { get; } = [];

    /// <summary>
    /// Short text the visitor does not see (<c>hidden</c>, <c>display:none</c>), each kept apart from the text: a number
    /// behind a reveal button is still the ad's, and a decoy digit between the visible groups of a number must not join them.
    /// </summary>
    public List<string> Concealed { get; } = [];

    /// <summary>Where in <see cref="Text"/> concealed digits stood (the text's length then): a number that spans one was hidden on purpose.</summary>
    public List<int> DecoysAt { get; } = [];

    private string? _textCache;

    /// <summary>The visible text read so far (built once per change).</summary>
    public string Text => _textCache ??= _text.ToString();

    /// <summary>Reads <paramref name="root"/> unless it lies inside a root already read (nothing is read twice).</summary>
    public void Add(IElement root)
    {
        foreach (var r in _roots)
        {
            if (r == root || r.Contains(root))
            {
                return;
            }
        }

        _roots.Add(root);
        _textCache = null;
        _text.Break();
        Visit(root);

        // Each frame: the element whose children are being visited and whether it is a block (looked up once).
        var stack = new Stack<(IElement Element, int Next, bool Block)>();
        stack.Push((root, 0, BlockElements.Contains(root.LocalName)));
        while (stack.Count > 0)
        {
            var (parent, next, block) = stack.Pop();
            var children = parent.ChildNodes;
            if (next >= children.Length)
            {
                if (block)
                {
                    _text.Break();
                }
                else
                {
                    _text.Space();
                }

                continue;
            }

            stack.Push((parent, next + 1, block));
            switch (children[next])
            {
                case IText t:
                    _text.Append(t.Data);
                    break;
                case IElement e when Visibility.IsConcealed(e) && !Visibility.IsTabPanel(e):
                    var concealed = TextBuilder.OneLine(e.TextContent);
                    if (concealed.Length > 0)
                    {
                        Concealed.Add(concealed);
                        if (concealed.Length <= 8 && concealed.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
                        {
                            DecoysAt.Add(_text.Length);
                        }
                    }

                    break;
                case IElement e:
                    var isBlock = BlockElements.Contains(e.LocalName);
                    if (isBlock)
                    {
                        _text.Break();
                    }

                    Visit(e);
                    stack.Push((e, 0, isBlock));
                    break;
            }
        }

        _text.Break();
    }

    private void Visit(IElement e)
    {
        switch (e.LocalName)
        {
            case "a" when e.HasAttribute("href"):
                Anchors.Add(e);
                break;
            case "img":
                Images.Add(e);
                break;
            case "time":
                Times.Add(e);
                break;
            case "dl" or "table":
                Structures.Add(e);
                break;
        }

        if (e.Attributes.Length > 0)
        {
            if (e.HasAttribute("data-cfemail"))
            {
                CloudflareEmails.Add(e);
            }

            // Microdata the page gives about the item it describes: within the ad region, the ad's contact.
            if (e.GetAttribute("itemprop") is { Length: > 0 } property)
            {
                var value = e.GetAttribute("content") ?? e.TextContent;
                if (property.Equals("email", StringComparison.OrdinalIgnoreCase))
                {
                    ItemEmails.Add(value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? value[7..] : value);
                }
                else if (property.Equals("telephone", StringComparison.OrdinalIgnoreCase))
                {
                    DataNumbers.Add(value);
                }
            }

            foreach (var attribute in e.Attributes)
            {
                // A number kept for a "show number" button: data-phone, data-tel, data-mobile, data-whatsapp.
                var name = attribute.Name;
                if (name.StartsWith("data-", StringComparison.Ordinal) && name.Length < 24 &&
                    (name.Contains("phone", StringComparison.Ordinal) || name.Contains("tel", StringComparison.Ordinal) ||
                     name.Contains("mobile", StringComparison.Ordinal) || name.Contains("whatsapp", StringComparison.Ordinal) ||
                     name.Contains("number", StringComparison.Ordinal)))
                {
                    DataNumbers.Add(attribute.Value);
                }
            }
        }
    }
}

/// <summary>Whether the visitor sees an element: the <c>hidden</c> attribute and inline styles that hide it.</summary>
internal static class Visibility
{
    public static bool IsConcealed(IElement e)
    {
        if (e.HasAttribute("hidden"))
        {
            return true;
        }

        if (e.GetAttribute("style") is not { Length: > 0 } style || !style.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var declaration in style.Split(';'))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var property = declaration.AsSpan(0, colon).Trim();
            var value = declaration.AsSpan(colon + 1).Trim();
            if ((property.Equals("display", StringComparison.OrdinalIgnoreCase) && value.StartsWith("none", StringComparison.OrdinalIgnoreCase)) ||
                (property.Equals("visibility", StringComparison.OrdinalIgnoreCase) && value.StartsWith("hidden", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A panel of tabs: hidden only until the visitor picks its tab.</summary>
    public static bool IsTabPanel(IElement e) =>
        string.Equals(e.GetAttribute("role"), "tabpanel", StringComparison.OrdinalIgnoreCase) || e.HasAttribute("aria-labelledby");
}
