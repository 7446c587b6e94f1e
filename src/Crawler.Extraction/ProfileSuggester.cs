using System.Text;
using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>A proposed profile: the ad region and the regions to drop, as selectors, with how many pages backed each.</summary>
public sealed record ProfileSuggestion(int Pages, string? AdRegion, IReadOnlyList<string> Drop)
{
    /// <summary>The proposal as a profile file, for the specialist to review before saving it in policies/profiles/.</summary>
    public string ToYaml()
    {
        var sb = new StringBuilder();
        sb.Append("# Proposed by 'crawler profile suggest' from ").Append(Pages).AppendLine(" pages of one site: what changes from page to page");
        sb.AppendLine("# is taken for the ad, what stays the same (with text) for the site's own. Review every selector before saving.");
        sb.AppendLine("description: \"(describe the layout)\"");
        sb.Append("adRegion: ").AppendLine(AdRegion is null ? "[]  # nothing changed on every page: no region to propose" : $"[\"{AdRegion}\"]");
        sb.Append("drop: [").Append(string.Join(", ", Drop.Select(d => $"\"{d}\""))).AppendLine("]");
        sb.AppendLine("dropCommonThirdParty: true");
        return sb.ToString();
    }
}

/// <summary>
/// Proposes a profile from several saved pages of one site by comparing them. For <c>drop</c>: a selector (an id or
/// the first class of an element) whose elements, all of them, have the same text on nearly every page is the site's
/// template, unless one of them holds the main heading. For the <c>adRegion</c>: the smallest element whose first
/// match holds the main heading and some text beyond it (not the heading alone), stands on at least half of the pages
/// (listing and help pages of the site have no ad) and whose text differs on every page.
/// Only ids and classes without digits are used, so a selector names a kind of element, not one page's element.
/// </summary>
public static class ProfileSuggester
{
    /// <summary>Text beyond the heading, on average, that a region must hold: a heading with a line under it is no ad.</summary>
    private const int MinRegionChars = 100;

    /// <param name="pages">The saved pages' HTML.</param>
    /// <param name="vocabulary">The third-party headings and the like that generic sectioning goes by; the shipped one when null.</param>
    public static ProfileSuggestion Suggest(IReadOnlyList<string> pages, ExtractionVocabulary? vocabulary = null)
    {
        var sectioning = new Sectioning(vocabulary ?? ExtractionVocabulary.Default);
        // Per selector, per page: the text of its first match (and whether that holds the heading, and how much more it
        // holds), and the texts of all its matches (and whether any holds the heading).
        var seen = new Dictionary<string, List<Seen>>(StringComparer.Ordinal);
        foreach (var html in pages)
        {
            using var document = AdExtractor.ParseDocument(html);
            var heading = document.Body?.QuerySelector("h1") ?? document.Body?.QuerySelector("h2");
            var headingChars = heading is null ? 0 : TextBuilder.OneLine(heading.TextContent).Length;
            var onPage = new Dictionary<string, Seen>(StringComparer.Ordinal);
            foreach (var e in document.Body?.Descendants<IElement>() ?? [])
            {
                if (Selector(e) is not { } key)
                {
                    continue;
                }

                var text = TextBuilder.OneLine(e.TextContent);
                var holds = heading is not null && e.Contains(heading);
                onPage[key] = onPage.TryGetValue(key, out var first)
                    ? first with { All = first.All + "\n" + text, AnyHoldsHeading = first.AnyHoldsHeading || holds }
                    : new Seen(text, holds, holds && e != heading && !IsHeading(e) ? text.Length - headingChars : -1, text, holds);
            }

            // A region must hold nothing that generic sectioning would take away (a guestbook under its heading, a run
            // of teasers, replies): a profile's region is read whole, and the proposal must not leak what the generic
            // profile keeps out.
            var candidates = onPage.Where(kv => kv.Value.Beyond >= 0).Select(kv => (kv.Key, Element: document.Body!.QuerySelector(kv.Key)))
                .Select(c => (c.Key, c.Element, Length: c.Element?.TextContent.Length ?? 0)).ToList();
            if (document.Body is { } body)
            {
                sectioning.Apply(body, siteDomain: null);
                foreach (var (key, element, length) in candidates)
                {
                    if (element is null || !body.Contains(element) || element.TextContent.Length != length)
                    {
                        onPage[key] = onPage[key] with { Beyond = -1 };
                    }
                }
            }

            foreach (var (key, one) in onPage)
            {
                if (!seen.TryGetValue(key, out var list))
                {
                    seen[key] = list = [];
                }

                list.Add(one);
            }
        }

        var quorum = Math.Max(2, (int)Math.Ceiling(pages.Count * 0.8));
        var drop = seen.Where(kv => kv.Value.Count >= quorum && kv.Value[0].All.Length >= 20 && kv.Value.TrueForAll(v => !v.AnyHoldsHeading && v.All == kv.Value[0].All))
            .OrderByDescending(kv => kv.Value[0].All.Length).Select(kv => kv.Key).Take(12).ToList();

        // The ad region need not be on every page: a site's listing, search and help pages have none.
        var regionQuorum = Math.Max(2, (int)Math.Ceiling(pages.Count * 0.5));
        var region = seen.Where(kv => kv.Value.Count >= regionQuorum && kv.Value.TrueForAll(v => v.HoldsHeading && v.Beyond >= 0) &&
                                      kv.Value.Average(v => v.Beyond) >= MinRegionChars &&
                                      kv.Value.Select(v => v.Text).Distinct(StringComparer.Ordinal).Count() == kv.Value.Count)
            .OrderBy(kv => kv.Value.Average(v => v.Text.Length)).Select(kv => kv.Key).FirstOrDefault();
        return new ProfileSuggestion(pages.Count, region, drop);
    }

    private static bool IsHeading(IElement e) => e.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";

    /// <param name="Text">The text of the selector's first match on the page.</param>
    /// <param name="HoldsHeading">Whether the first match holds the page's main heading.</param>
    /// <param name="Beyond">The characters the first match holds beyond the heading; -1 when it does not hold it or is a heading.</param>
    /// <param name="All">The texts of all its matches.</param>
    /// <param name="AnyHoldsHeading">Whether any match holds the main heading.</param>
    private sealed record Seen(string Text, bool HoldsHeading, int Beyond, string All, bool AnyHoldsHeading);

    /// <summary>"tag#id" or "tag.class" when the id or a class has no digits (a kind of element, not one item); else null.</summary>
    private static string? Selector(IElement e)
    {
        if (e.Id is { Length: > 0 } id && !id.Any(char.IsAsciiDigit) && IsPlain(id))
        {
            return $"{e.LocalName}#{id}";
        }

        foreach (var c in e.ClassList)
        {
            if (!c.Any(char.IsAsciiDigit) && IsPlain(c))
            {
                return $"{e.LocalName}.{c}";
            }
        }

        return null;
    }

    private static bool IsPlain(string name) => char.IsAsciiLetter(name[0]) && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');
}
