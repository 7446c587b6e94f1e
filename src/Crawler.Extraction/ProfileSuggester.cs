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
/// Proposes a profile from several saved pages of one site by comparing them: an element (named by its id or first
/// class) whose text is the same on nearly every page is the site's template and proposed for <c>drop</c>; the smallest
/// element that holds the main heading wherever it stands, stands on at least half of the pages (listing and help pages
/// of the site have no ad) and whose text differs on every page is proposed as the <c>adRegion</c>.
/// Only ids and classes without digits are used, so a selector names a kind of element, not one page's element.
/// </summary>
public static class ProfileSuggester
{
    public static ProfileSuggestion Suggest(IReadOnlyList<string> pages)
    {
        var seen = new Dictionary<string, List<(string Text, bool HoldsHeading)>>(StringComparer.Ordinal);
        foreach (var html in pages)
        {
            using var document = AdExtractor.ParseDocument(html);
            var heading = document.Body?.QuerySelector("h1") ?? document.Body?.QuerySelector("h2");
            var onPage = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in document.Body?.Descendants<IElement>() ?? [])
            {
                if (Selector(e) is not { } key || !onPage.Add(key))
                {
                    continue;
                }

                if (!seen.TryGetValue(key, out var list))
                {
                    seen[key] = list = [];
                }

                list.Add((TextBuilder.OneLine(e.TextContent), heading is not null && e.Contains(heading)));
            }
        }

        var quorum = Math.Max(2, (int)Math.Ceiling(pages.Count * 0.8));
        var drop = seen.Where(kv => kv.Value.Count >= quorum && kv.Value[0].Text.Length >= 20 && kv.Value.All(v => v.Text == kv.Value[0].Text))
            .OrderByDescending(kv => kv.Value[0].Text.Length).Select(kv => kv.Key).Take(12).ToList();
        // The ad region need not be on every page: a site's listing, search and help pages have none.
        var regionQuorum = Math.Max(2, (int)Math.Ceiling(pages.Count * 0.5));
        var region = seen.Where(kv => kv.Value.Count >= regionQuorum && kv.Value.All(v => v.HoldsHeading) &&
                                      kv.Value.Select(v => v.Text).Distinct(StringComparer.Ordinal).Count() == kv.Value.Count)
            .OrderBy(kv => kv.Value.Average(v => v.Text.Length)).Select(kv => kv.Key).FirstOrDefault();
        return new ProfileSuggestion(pages.Count, region, drop);
    }

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
