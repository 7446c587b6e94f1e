using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>What generic sectioning removed from a page, and what it saw of the page's structure.</summary>
public sealed record SectioningReport(
    int HeadingSections,
    int TeaserItems,
    int TeaserChars,
    int Replies,
    bool Thread)
{
    public static SectioningReport None { get; } = new(0, 0, 0, 0, false);
}

/// <summary>
/// Reads a page's structure, not its class names (issue 22), and removes what belongs to others before anything
/// is read: a section under a heading in the third-party vocabulary ("Reacties", "Avis", "Gästebuch", "Similar ads")
/// until the next heading of the same or a higher level; runs of three or more sibling blocks of one shape that each
/// link to one or two other pages of the site (teaser lists, menus, city lists); and in a thread of posts (blocks of
/// one shape that each name their poster by a profile link) every post after the first, unless its poster wrote
/// the first. Runs after landmarks (header, nav, footer, aside and their ARIA roles) were removed.
/// </summary>
internal sealed class Sectioning(ExtractionVocabulary vocabulary)
{
    /// <summary>A bold line standing alone counts as a heading below every real one.</summary>
    private const int PseudoLevel = 7;

    /// <summary>Longest text a teaser item may have: a card names, places and prices someone, it tells no story.</summary>
    private const int MaxTeaserChars = 400;

    /// <summary>Shortest text of an opening post: a thread's posts say something.</summary>
    private const int MinPostChars = 60;

    private static readonly HashSet<string> StateClasses = new(StringComparer.OrdinalIgnoreCase)
    {
        "odd", "even", "first", "last", "active", "current", "selected", "alt", "new", "featured", "highlight", "hidden", "visible",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StateClassLookup = StateClasses.GetAlternateLookup<ReadOnlySpan<char>>();

    public SectioningReport Apply(IElement body, string? siteDomain)
    {
        var headings = RemoveThirdPartyHeadingSections(body);

        // One walk finds both the teaser runs and the thread: the grouping of children by shape is the costly part.
        var (runs, posts) = FindRunsAndThread(body, siteDomain);
        var (teasers, teaserChars) = RemoveTeaserRuns(runs);
        var (replies, thread) = RemoveReplies(posts);
        return new SectioningReport(headings, teasers, teaserChars, replies, thread);
    }

    /// <summary>The heading level of an element (1-6, <see cref="PseudoLevel"/> for a bold line alone), or 0.</summary>
    internal static int HeadingLevel(IElement e)
    {
        var name = e.LocalName;
        if (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6')
        {
            return name[1] - '0';
        }

        if (e.GetAttribute("role") is { } role && role.Equals("heading", StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(e.GetAttribute("aria-level"), out var level) && level is >= 1 and <= 6 ? level : 2;
        }

        return IsPseudoHeading(e) ? PseudoLevel : 0;
    }

    /// <summary>
    /// A table head cell, caption or legend, or bold text that is all its block holds (old table layouts mark their
    /// sections so): short, one line, no link.
    /// </summary>
    private static bool IsPseudoHeading(IElement e)
    {
        var name = e.LocalName;
        var bold = name is "b" or "strong" or "font" || (name is "span" or "div" or "td" or "p" && IsBoldStyled(e));
        if (!bold && name is not ("th" or "caption" or "legend"))
        {
            return false;
        }

        // Counted before the text is built: most bold runs are too long to be a heading, or empty.
        if (VisibleLength(e, 60) is 0 or > 60 || InLink(e))
        {
            return false;
        }

        if (e.TextContent.AsSpan().Trim().Contains('\n'))
        {
            return false;
        }

        if (name is "th" or "caption" or "legend" or "td" or "div" or "p")
        {
            return e.Children.Length == 0 || e.Children.All(c => c.LocalName is "b" or "strong" or "font" or "span" or "u" or "i" or "em" or "br" or "img");
        }

        // Inline bold: the only text of its parent block.
        return e.ParentElement is { } parent && AloneIn(parent, e);
    }

    private static bool InLink(IElement e)
    {
        for (var p = e; p is not null; p = p.ParentElement)
        {
            if (p.LocalName == "a")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether nothing but <paramref name="child"/> shows text in <paramref name="parent"/>.</summary>
    private static bool AloneIn(IElement parent, IElement child)
    {
        foreach (var n in parent.ChildNodes)
        {
            if (n == child)
            {
                continue;
            }

            if ((n is IText t && !t.Data.AsSpan().Trim().IsEmpty) || (n is IElement el && VisibleLength(el, 0) > 0))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBoldStyled(IElement e) =>
        e.GetAttribute("style") is { } style && style.Contains("font-weight", StringComparison.OrdinalIgnoreCase) &&
        (style.Contains("bold", StringComparison.OrdinalIgnoreCase) || style.Contains("700", StringComparison.Ordinal));

    private int RemoveThirdPartyHeadingSections(IElement body)
    {
        // Headings in document order, with their levels; the page's first h1 is its own title, never someone else's section.
        var headings = new List<(IElement Element, int Level)>();
        foreach (var e in body.Descendants<IElement>())
        {
            var level = HeadingLevel(e);
            if (level > 0 && (level == PseudoLevel ? !headings.Exists(h => h.Element.Contains(e) || e.Contains(h.Element)) : true))
            {
                headings.Add((e, level));
            }
        }

        var firstH1 = headings.FindIndex(h => h.Level == 1);
        var sections = 0;
        var removed = new HashSet<INode>();
        for (var i = 0; i < headings.Count; i++)
        {
            var (heading, level) = headings[i];
            if (i == firstH1 || IsInside(heading, removed) || !vocabulary.IsThirdPartyHeading(heading.TextContent))
            {
                continue;
            }

            // The section ends at the next heading of the same or a higher level (a pseudo-heading's at the next one of any).
            IElement? end = null;
            for (var k = i + 1; k < headings.Count; k++)
            {
                if (headings[k].Level <= level && !heading.Contains(headings[k].Element))
                {
                    end = headings[k].Element;
                    break;
                }
            }

            // A bold line alone marks the block it starts: the section stays within the block around it.
            INode start = heading;
            IElement? bound = null;
            if (level == PseudoLevel)
            {
                start = Container(heading);
                bound = start.ParentElement;
            }

            foreach (var node in Range(start, end, bound ?? body))
            {
                removed.Add(node);
            }

            sections++;
        }

        foreach (var node in removed)
        {
            if (!IsInside(node, removed, strict: true))
            {
                node.Parent?.RemoveChild(node);
            }
        }

        return sections;
    }

    /// <summary>The largest ancestor of a pseudo-heading that it begins (no text before it), below its column.</summary>
    private static IElement Container(IElement heading)
    {
        var current = heading;
        while (current.ParentElement is { } parent && parent.LocalName is not ("body" or "main" or "article" or "section" or "form") &&
               TextBefore(parent, current) == 0)
        {
            current = parent;
        }

        return current;
    }

    private static int TextBefore(IElement parent, INode child)
    {
        var n = 0;
        foreach (var c in parent.ChildNodes)
        {
            if (c == child || c.Contains(child))
            {
                break;
            }

            n += c.TextContent.AsSpan().Trim().Length;
        }

        return n;
    }

    /// <summary>The nodes from <paramref name="start"/> (included) to <paramref name="end"/> (excluded, or the end of <paramref name="bound"/>), outermost only.</summary>
    private static List<INode> Range(INode start, INode? end, IElement bound)
    {
        var nodes = new List<INode>();
        INode? node = start;
        while (node is not null)
        {
            if (end is not null && (node == end || node.Contains(end)))
            {
                if (node == end)
                {
                    break;
                }

                node = node.FirstChild;
                continue;
            }

            nodes.Add(node);
            while (node is not null && node.NextSibling is null)
            {
                node = node.Parent;
                if (node is null || node == bound)
                {
                    return nodes;
                }
            }

            node = node?.NextSibling;
        }

        return nodes;
    }

    private static bool IsInside(INode node, HashSet<INode> removed, bool strict = false)
    {
        for (var p = strict ? node.Parent : node; p is not null; p = p.Parent)
        {
            if (removed.Contains(p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs of three or more teasers (each a teaser, most linking to a page of their own) anywhere, and the first run of
    /// posts that each name their poster (a thread). Below a run nothing more is looked for.
    /// </summary>
    private (List<List<IElement>> Runs, List<IElement>? Posts) FindRunsAndThread(IElement body, string? siteDomain)
    {
        var runs = new List<List<IElement>>();
        List<IElement>? posts = null;
        Collect(body, e =>
        {
            if (e.LocalName is "li" or "article" && IsContactCard(e, siteDomain))
            {
                runs.Add([e]);
                return false;
            }

            var found = false;
            foreach (var run in RunsOf(e))
            {
                // Two cards are enough when each also offers a contact of its own: someone else's, a click away from her page.
                // The cheap tests first: most runs are no teasers at all.
                if (run.TrueForAll(item => IsTeaser(item, siteDomain)) && DistinctLinks(run) * 3 >= run.Count * 2 &&
                    (run.Count >= 3 || (run.TrueForAll(ShowsContact) && !run.TrueForAll(p => Poster(p) is not null))))
                {
                    runs.Add(run);
                    found = true;
                }
                else if (posts is null && run.TrueForAll(p => Poster(p) is not null) && VisibleLength(run[0], MinPostChars) >= MinPostChars)
                {
                    posts = run;
                    found = true;
                }
            }

            return !found;
        });

        return (runs, posts);
    }

    private static (int Items, int Chars) RemoveTeaserRuns(List<List<IElement>> runs)
    {
        int items = 0, chars = 0;
        foreach (var run in runs)
        {
            foreach (var item in run)
            {
                chars += VisibleLength(item);
                item.Remove();
                items++;
            }
        }

        return (items, chars);
    }

    /// <summary>Visits elements depth first; <paramref name="visit"/> returns false to skip an element's children.</summary>
    private static void Collect(IElement root, Func<IElement, bool> visit)
    {
        var stack = new Stack<IElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!visit(e))
            {
                continue;
            }

            // Child nodes, not Children: AngleSharp's element collection counts and indexes by walking the children again.
            var nodes = e.ChildNodes;
            for (var i = nodes.Length - 1; i >= 0; i--)
            {
                if (nodes[i] is IElement child)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>Children of one shape, grouped (blocks without text or image between them do not break a group).</summary>
    private static IEnumerable<List<IElement>> RunsOf(IElement parent)
    {
        var children = parent.ChildNodes;
        if (children.Length < 2)
        {
            yield break;
        }

        // Most elements have few children: a list of (shape, group) pairs beats a dictionary, and most groups stay single.
        List<(ulong Shape, List<IElement> Group)>? groups = null;
        var anyPair = false;
        for (var i = 0; i < children.Length; i++)
        {
            if (children[i] is not IElement child || child.LocalName is "br" or "hr" or "script" or "style" || !HasTextOrImage(child))
            {
                continue;
            }

            var key = Shape(child);
            groups ??= new(children.Length);
            var at = groups.FindIndex(g => g.Shape == key);
            if (at < 0)
            {
                groups.Add((key, [child]));
            }
            else
            {
                groups[at].Group.Add(child);
                anyPair = true;
            }
        }

        if (!anyPair)
        {
            yield break;
        }

        foreach (var (_, g) in groups!)
        {
            if (g.Count >= 2)
            {
                yield return g;
            }
        }
    }

    /// <summary>Whether an element shows anything: a letter or digit of text, or an image (without building its text).</summary>
    private static bool HasTextOrImage(IElement e)
    {
        var stack = Walk();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if ((node is IText t && !t.Data.AsSpan().Trim().IsEmpty) || (node is IElement el && el.LocalName == "img"))
            {
                stack.Clear();
                return true;
            }

            foreach (var c in node.ChildNodes)
            {
                stack.Push(c);
            }
        }

        return false;
    }

    /// <summary>
    /// The visible characters of an element's text (white space not counted), counted up to <paramref name="limit"/> and
    /// no further: the thresholds need no more, and the text need not be built.
    /// </summary>
    internal static int VisibleLength(IElement e, int limit = int.MaxValue)
    {
        var n = 0;
        var stack = Walk();
        stack.Push(e);
        while (stack.Count > 0 && n <= limit)
        {
            var node = stack.Pop();
            if (node is IText t)
            {
                foreach (var c in t.Data)
                {
                    n += char.IsWhiteSpace(c) ? 0 : 1;
                }

                continue;
            }

            foreach (var c in node.ChildNodes)
            {
                stack.Push(c);
            }
        }

        stack.Clear();
        return n;
    }

    // One stack per thread for the small walks above, which run for nearly every element of a page.
    [ThreadStatic]
    private static Stack<INode>? t_walk;

    private static Stack<INode> Walk() => t_walk ??= new Stack<INode>(64);

    /// <summary>
    /// Tag, class words without digits or state words, and the tags of the children: what a repeated block keeps,
    /// as a 64-bit hash (classes in any order hash alike).
    /// </summary>
    internal static ulong Shape(IElement e)
    {
        var h = Hash(14695981039346656037UL, e.LocalName);
        if (e.GetAttribute("class") is { Length: > 0 } cls)
        {
            ulong classes = 0;
            foreach (var range in cls.AsSpan().SplitAny(' ', '\t', '\n'))
            {
                var c = cls.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
                if (!c.IsEmpty && c.IndexOfAnyInRange('0', '9') < 0 && !StateClassLookup.Contains(c))
                {
                    // Summed, so that the order of the classes does not matter.
                    classes += Hash(1099511628211UL, c);
                }
            }

            h = (h ^ classes) * 1099511628211UL;
        }

        h = (h ^ '>') * 1099511628211UL;
        string? last = null;
        var nodes = e.ChildNodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] is IElement c && c.LocalName != last && c.LocalName is not ("br" or "script"))
            {
                h = Hash(h, c.LocalName);
                h = (h ^ ',') * 1099511628211UL;
                last = c.LocalName;
            }
        }

        return h;
    }

    private static ulong Hash(ulong seed, ReadOnlySpan<char> text)
    {
        var h = seed;
        foreach (var c in text)
        {
            h = (h ^ char.ToLowerInvariant(c)) * 1099511628211UL;
        }

        return h;
    }

    /// <summary>One or two other pages of the site linked, and little text: a teaser, menu entry or listing card.</summary>
    private static bool IsTeaser(IElement item, string? siteDomain)
    {
        if (VisibleLength(item, MaxTeaserChars) is < 2 or > MaxTeaserChars)
        {
            return false;
        }

        var links = PageLinks(item, siteDomain);
        return links.Count is 1 or 2;
    }

    /// <summary>
    /// A card of someone else's, even alone: a short item whose picture links to another page of the site (her page)
    /// and that offers a contact of its own beside it. Two cards of one shape need no picture; a post is no card.
    /// </summary>
    private bool IsContactCard(IElement item, string? siteDomain)
    {
        // A post names its poster by such a link; a card links to the other's page.
        if (!IsTeaser(item, siteDomain) || !ShowsContact(item) || Poster(item) is not null)
        {
            return false;
        }

        foreach (var img in item.GetElementsByTagName("img"))
        {
            for (var p = img.ParentElement; p is not null && p != item; p = p.ParentElement)
            {
                if (p.LocalName == "a" && PageLinks(p, siteDomain).Count == 1)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A phone or mail link, a messenger link, or a number of eight digits or more in the text.</summary>
    private static bool ShowsContact(IElement item)
    {
        if (DocumentScan.OffersContact(item))
        {
            return true;
        }

        var digits = 0;
        foreach (var c in item.TextContent)
        {
            digits = char.IsAsciiDigit(c) ? digits + 1 : c is ' ' or '-' or '/' or '.' or '\u00A0' ? digits : 0;
            if (digits >= 8)
            {
                return true;
            }
        }

        return false;
    }

    private static int DistinctLinks(List<IElement> run)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        var items = 0;
        foreach (var item in run)
        {
            var links = PageLinks(item, null);
            if (links.Count > 0 && all.Add(links[0]))
            {
                items++;
            }
        }

        return items;
    }

    /// <summary>Distinct links to pages of the same site (relative, or on its registrable domain), not to files, contacts or fragments.</summary>
    private static List<string> PageLinks(IElement item, string? siteDomain)
    {
        var links = new List<string>(2);
        IEnumerable<IElement> anchors = item.LocalName == "a" ? [item] : item.GetElementsByTagName("a");
        foreach (var a in anchors)
        {
            var href = a.GetAttribute("href")?.Trim();
            if (string.IsNullOrEmpty(href) || href[0] == '#' || href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ||
                href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ||
                IsFile(href))
            {
                continue;
            }

            if (href.StartsWith("http", StringComparison.OrdinalIgnoreCase) || href.StartsWith("//", StringComparison.Ordinal))
            {
                if (!Uri.TryCreate(href.StartsWith("//", StringComparison.Ordinal) ? "https:" + href : href, UriKind.Absolute, out var abs) ||
                    (siteDomain is not null && SiteDomain.Registrable(abs.Host) != siteDomain))
                {
                    continue;
                }
            }

            if (!links.Contains(href))
            {
                links.Add(href);
            }
        }

        return links;
    }

    private static bool IsFile(string href)
    {
        var path = href.AsSpan();
        var q = path.IndexOfAny('?', '#');
        if (q >= 0)
        {
            path = path[..q];
        }

        return path.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) ||
               path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ||
               path.EndsWith(".webp", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A thread: two or more sibling blocks of one shape, each long enough and each naming its poster by a profile
    /// link. The first is the opening post (the ad); every later one is a reply and goes, unless the same poster wrote it.
    /// </summary>
    private (int Replies, bool Thread) RemoveReplies(List<IElement>? posts)
    {
        if (posts is null)
        {
            return (0, false);
        }

        var opener = Poster(posts[0]);
        var replies = 0;
        foreach (var reply in posts.Skip(1))
        {
            if (!string.Equals(Poster(reply), opener, StringComparison.OrdinalIgnoreCase))
            {
                reply.Remove();
                replies++;
            }
        }

        // The thread's posts that are left (the opening post and its poster's own later posts) are the ad.
        Opening = posts.Count - replies > 1 ? posts[0].ParentElement : posts[0];
        return (replies, true);
    }

    /// <summary>The opening post of the thread the last <see cref="Apply"/> found, if any.</summary>
    public IElement? Opening { get; private set; }

    /// <summary>The text of the first link in a block to a member's profile: who wrote it.</summary>
    private string? Poster(IElement block)
    {
        foreach (var a in block.GetElementsByTagName("a"))
        {
            var href = a.GetAttribute("href");
            if (href is null)
            {
                continue;
            }

            foreach (var part in vocabulary.PosterLinks)
            {
                if (href.Contains(part, StringComparison.OrdinalIgnoreCase) && a.TextContent.Trim() is { Length: > 0 } name)
                {
                    return name;
                }
            }
        }

        return null;
    }
}
