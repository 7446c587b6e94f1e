using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Crawler.Core.Hits;
using Crawler.Core.Urls;
using PhoneNumbers;

namespace Crawler.Extraction;

/// <summary>
/// What a page yields: the ad features of its ad region, the links to follow, and whether it is
/// behind a login or paywall (then nothing of it may be kept).
/// </summary>
public sealed record PageExtraction(AdFeatures Ad, IReadOnlyList<Uri> Links, bool NotPublic, string NotPublicReason = "");

/// <summary>
/// Reads a page the fetcher already got (AngleSharp never loads anything itself), removes
/// third-party regions (reviews, comments, sidebars, other ads, footers) before looking at
/// anything, and extracts contact data from the ad region only.
/// </summary>
public sealed partial class AdExtractor(IReadOnlyList<string>? notPublicSelectors = null, UrlRules? urlRules = null)
{
    private readonly string _notPublic = string.Join(", ", notPublicSelectors is { Count: > 0 } s ? s : ["input[type=password]"]);
    private readonly UrlRules _urlRules = urlRules ?? UrlRules.Default;

    /// <summary>Regions that belong to others: clients, reviewers, other advertisers, the site operator.</summary>
    private const string ThirdPartySelector =
        "footer, aside, [class*=review i], [id*=review i], [class*=comment i], [id*=comment i], [class*=reply i], [class*=replies i], " +
        "[class*=sidebar i], [class*=other-ads i], [class*=related i], [class*=site-contact i]";

    /// <summary>Regions that are page furniture, not content.</summary>
    private const string FurnitureSelector = "script, style, noscript, template, iframe, object, embed, header, nav";

    private const string AdRegionSelector = "article.ad, [itemtype*=Product], article, main, [role=main]";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly char[] NotDigits = [' ', '-', '.', '/', '_', '*', '|', '(', ')', '+'];

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "br", "tr", "td", "th",
        "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "address", "figure", "figcaption", "hr",
    };

    public PageExtraction Extract(string html, Uri url)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var baseUrl = BaseUrl(document, url);
        var links = Links(document, baseUrl, _urlRules);
        var wall = document.QuerySelector(_notPublic);
        var loginForm = wall is not null;
        var wallReason = wall is null ? "" : $"the page shows '{Describe(wall)}': it is behind a login or paywall";

        // Counted as regions: an element inside another removed one is part of that region.
        var thirdParty = document.QuerySelectorAll(ThirdPartySelector).ToHashSet();
        var removed = 0;
        foreach (var e in thirdParty)
        {
            var nested = false;
            for (var p = e.ParentElement; p is not null && !nested; p = p.ParentElement)
            {
                nested = thirdParty.Contains(p);
            }

            if (!nested)
            {
                removed++;
            }
        }

        foreach (var e in thirdParty)
        {
            e.Remove();
        }

        foreach (var e in document.QuerySelectorAll(FurnitureSelector).ToList())
        {
            e.Remove();
        }

        var region = document.QuerySelector(AdRegionSelector) ?? document.Body;
        if (region is null)
        {
            return new PageExtraction(new AdFeatures(false, "the page has no body", null, "", [], [], removed), links, loginForm, wallReason);
        }

        var text = VisibleText(region);
        var title = Clean(region.QuerySelector("h1")?.TextContent) ?? Clean(document.Title);
        var phones = FindPhones(text, region);
        var emails = FindEmails(text, region);
        // An ad offers contact for an appointment: contact data alone is not enough (a news article has a press
        // line), so a mobile number or the vocabulary of ads must be there too.
        var hasContact = phones.Count > 0 || emails.Count > 0;
        var adLike = phones.Exists(p => p.Kind is "mobile" or "fixed-line-or-mobile") || AdVocabulary().IsMatch(text);
        var isAd = !loginForm && hasContact && adLike;
        var reason = loginForm ? wallReason
            : isAd ? ""
            : hasContact ? "contact data, but neither a mobile number nor the language of an ad"
            : "no contact data in the ad region";
        // What is not an ad carries no one's contact data onwards, not even to a diagnostic.
        return new PageExtraction(
            new AdFeatures(isAd, reason, title, text, isAd ? phones : [], isAd ? emails : [], removed,
                isAd ? AdDetails.Ages(text) : [], isAd ? AdDetails.Prices(text) : []),
            links, loginForm, wallReason);
    }

    private static Uri BaseUrl(IDocument document, Uri url)
    {
        var href = document.QuerySelector("base[href]")?.GetAttribute("href");
        return href is not null && Uri.TryCreate(url, href, out var b) && b.Scheme is "http" or "https" ? b : url;
    }

    private static string Describe(IElement e) =>
        e.LocalName + (e.Id is { Length: > 0 } id ? "#" + id : "") + (e.ClassName is { Length: > 0 } c ? "." + c.Replace(' ', '.') : "") +
        (e.GetAttribute("type") is { } t ? $"[type={t}]" : "");

    private static List<Uri> Links(IDocument document, Uri baseUrl, UrlRules rules)
    {
        var result = new List<Uri>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!;
            if (href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ||
                href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ||
                href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Off-scheme links are kept when they are at least absolute, so that the gate can refuse them visibly.
            if (CanonicalUrl.TryCreate(href, baseUrl, rules, out var link, out _) && seen.Add(link.ToString()))
            {
                result.Add(link);
            }
        }

        return result;
    }

    /// <summary>Text with a line break at every block boundary, so that cells and list items do not run together.</summary>
    public static string VisibleText(INode root)
    {
        var sb = new StringBuilder();
        Walk(root, sb);
        var lines = sb.ToString().Split('\n')
            .Select(l => WhitespaceRun().Replace(l, " ").Trim())
            .Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    private static void Walk(INode node, StringBuilder sb)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    sb.Append(t.Data);
                    break;
                case IElement e:
                    var block = BlockElements.Contains(e.LocalName);
                    if (block)
                    {
                        sb.Append('\n');
                    }

                    Walk(e, sb);
                    if (block)
                    {
                        sb.Append('\n');
                    }
                    else
                    {
                        sb.Append(' ');
                    }

                    break;
            }
        }
    }

    private static List<FoundPhone> FindPhones(string text, IElement region)
    {
        var found = new List<FoundPhone>();

        // Only lines that could hold a number are searched: phone matching is the costly part of extraction.
        var lines = text.Split('\n').Where(Deobfuscation.MayHideNumber).ToList();
        Search(found, string.Join('\n', lines.Where(l => DigitCount(l) >= 7)), obfuscated: false);

        // Second pass on the de-obfuscated lines: what only this pass finds was hidden on purpose.
        var hidden = lines.Select(l => (Line: l, Plain: Deobfuscation.ForPhones(l)))
            .Where(x => !string.Equals(x.Plain, x.Line, StringComparison.Ordinal) && DigitCount(x.Plain) >= 7)
            .Select(x => x.Plain);
        Search(found, string.Join('\n', hidden), obfuscated: true);

        foreach (var a in region.QuerySelectorAll("a[href^='tel:' i]"))
        {
            var raw = Uri.UnescapeDataString(a.GetAttribute("href")![4..]);
            try
            {
                var number = Phones.Parse(raw, "NL");
                if (Phones.IsValidNumber(number))
                {
                    Add(found, number, raw, obfuscated: false);
                }
            }
            catch (NumberParseException)
            {
                // A malformed tel: link is not a phone number.
            }
        }

        return found;
    }

    private static int DigitCount(string s)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }

    private static void Search(List<FoundPhone> found, string text, bool obfuscated)
    {
        if (text.Length == 0)
        {
            return;
        }

        foreach (var match in Phones.FindNumbers(text, "NL", PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            // Dutch numbers are written with a trunk 0 or an international prefix; a bare digit run is a date, id or price.
            var raw = match.RawString.TrimStart();
            if (raw.Length == 0 || raw[0] is not ('0' or '+' or '(') || DateLike().IsMatch(raw))
            {
                continue;
            }

            // A number written digit by digit ("0-6-1-2-...") is read directly but was still hidden on purpose.
            var digitByDigit = match.RawString.Split(NotDigits, StringSplitOptions.RemoveEmptyEntries).Length >= 8;
            Add(found, match.Number, match.RawString, obfuscated || digitByDigit);

            // Slash alternatives: "06-12345678/79" also means 06-12345679.
            var after = text.AsSpan(match.Start + match.RawString.Length);
            var alt = SlashAlternative().Match(after.ToString());
            if (alt.Success)
            {
                var national = Phones.GetNationalSignificantNumber(match.Number);
                var tail = alt.Groups[1].Value;
                if (tail.Length < national.Length)
                {
                    try
                    {
                        var other = Phones.Parse(national[..^tail.Length] + tail, Phones.GetRegionCodeForNumber(match.Number) ?? "NL");
                        if (Phones.IsValidNumber(other))
                        {
                            Add(found, other, match.RawString + "/" + tail, obfuscated: true);
                        }
                    }
                    catch (NumberParseException)
                    {
                        // Not a number after all.
                    }
                }
            }
        }
    }

    private static void Add(List<FoundPhone> found, PhoneNumber number, string raw, bool obfuscated)
    {
        var e164 = Phones.Format(number, PhoneNumberFormat.E164);
        if (found.Exists(p => p.E164 == e164))
        {
            return;
        }

        var kind = Phones.GetNumberType(number) switch
        {
            PhoneNumberType.MOBILE => "mobile",
            PhoneNumberType.FIXED_LINE => "fixed-line",
            PhoneNumberType.FIXED_LINE_OR_MOBILE => "fixed-line-or-mobile",
            PhoneNumberType.VOIP => "voip",
            PhoneNumberType.TOLL_FREE => "toll-free",
            PhoneNumberType.PREMIUM_RATE => "premium-rate",
            _ => "other",
        };
        found.Add(new FoundPhone(e164, raw.Trim(), Phones.GetRegionCodeForNumber(number) ?? "ZZ", kind, obfuscated));
    }

    private static List<string> FindEmails(string text, IElement region)
    {
        var found = new List<string>();
        var candidates = string.Join('\n', text.Split('\n').Where(Deobfuscation.MayHideEmail));
        foreach (Match m in Email().Matches(Deobfuscation.ForEmails(candidates)))
        {
            AddEmail(found, m.Value);
        }

        foreach (var a in region.QuerySelectorAll("a[href^='mailto:' i]"))
        {
            var address = Deobfuscation.FoldUnicode(Uri.UnescapeDataString(a.GetAttribute("href")![7..]).Split('?')[0]);
            if (Email().IsMatch(address))
            {
                AddEmail(found, address);
            }
        }

        // Cloudflare e-mail protection hides the address in a hex attribute.
        foreach (var e in region.QuerySelectorAll("[data-cfemail]"))
        {
            if (Deobfuscation.DecodeCloudflareEmail(e.GetAttribute("data-cfemail")!) is { } decoded && Email().IsMatch(decoded))
            {
                AddEmail(found, decoded);
            }
        }

        return found;
    }

    private static void AddEmail(List<string> found, string address)
    {
        var normal = address.Trim().TrimEnd('.').ToLowerInvariant();
        if (!found.Contains(normal))
        {
            found.Add(normal);
        }
    }

    private static string? Clean(string? s)
    {
        if (s is null)
        {
            return null;
        }

        var t = WhitespaceRun().Replace(s, " ").Trim();
        return t.Length == 0 ? null : t;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex(@"\b(?:tarief|tarieven|per uur|afspraak|escort|priv[eé]|ontvang\w*|massage|bel me|app me|whatsapp|telegram|snapchat|" +
        @"rates?|per hour|appointment|call me|text me|incall|outcall|discreet|discrete|hotelbezoek|hotel visits?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AdVocabulary();



    /// <summary>A date inside a candidate ("01-05-2028 72" is a date and a weight, not a Rotterdam number).</summary>
    [GeneratedRegex(@"(?<!\d)(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}(?!\d)")]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^\s*/\s*(\d{1,4})(?!\d)")]
    private static partial Regex SlashAlternative();

    [GeneratedRegex(@"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}")]
    private static partial Regex Email();
}
