using System.Buffers;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Browser;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using AngleSharp.Html;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Crawler.Core.Hits;
using Crawler.Core.Policy;
using Crawler.Core.Urls;

namespace Crawler.Extraction;

/// <summary>
/// What a page yields: the ad features of its ad region, the links to follow, and whether it is
/// behind a login or paywall (then nothing of it may be kept). <see cref="ProfileAdvised"/>: the generic profile could
/// not tell the ad's region from the rest with confidence and kept only the region nearest the main heading; a
/// profile for the site would do better. <see cref="Sections"/>: what generic sectioning removed;
/// <see cref="TemplateBlocks"/> and <see cref="TemplateContacts"/>: what the site template removed.
/// </summary>
public sealed record PageExtraction(AdFeatures Ad, IReadOnlyList<Uri> Links, bool NotPublic, string NotPublicReason = "")
{
    public bool ProfileAdvised { get; init; }

    public SectioningReport Sections { get; init; } = SectioningReport.None;

    public int TemplateBlocks { get; init; }

    public int TemplateContacts { get; init; }

    /// <summary>Contacts of the site itself left out (on its own domain, or in its header, navigation or footer).</summary>
    public int SiteContacts { get; init; }

    /// <summary>The region phone numbers were read in (NL, BE, DE ...).</summary>
    public string Country { get; init; } = "NL";

    /// <summary>What the page's main heading or title says it is when that is not an ad.</summary>
    public PageKind Kind { get; init; }
}

/// <summary>
/// Reads a page the fetcher already got (AngleSharp never loads anything itself: no scripts, no
/// resources), removes third-party regions (reviews, comments, sidebars, other ads, footers) before
/// looking at anything, and extracts the ad's features from the ad region only, as the
/// <see cref="ExtractionProfile"/> of the site's layout describes it (the heuristic <c>generic</c>
/// profile when none is given). Safe to use from several threads at once.
/// </summary>
public sealed partial class AdExtractor
{
    /// <summary>The generic profile's candidates for the ad: the one article or described item, else the page's main content.</summary>
    private static readonly ISelector OneItem = new CssSelectorParser().ParseSelector("article, [itemtype*=Product], [itemtype*=Person], [itemtype*=Service]")!;

    private static readonly ISelector MainContent = new CssSelectorParser().ParseSelector("main, [role=main]")!;

    // Parsed once: AngleSharp parses a selector given as text on every call.
    private static readonly ISelector Heading = new CssSelectorParser().ParseSelector("h1")!;
    private static readonly ISelector StampedTime = new CssSelectorParser().ParseSelector("time[datetime]")!;
    private static readonly ISelector Image = new CssSelectorParser().ParseSelector("img")!;

    /// <summary>What <see cref="AdIdInText"/> needs to find at all (its words' common beginnings).</summary>
    private static readonly SearchValues<string> AdIdWords = SearchValues.Create(
        ["advertentie", "adid", "ad-id", "ad ", "ad\t", "ad\n", "ad\u00A0", "listing", "profiel", "profile"], StringComparison.OrdinalIgnoreCase);

    private static readonly Lazy<PhraseTable<Term[]>> Lexicon = new(() => Vocabulary.Build(PlaceNames.Everywhere));

    /// <summary>The parser options: element positions and comments are of no use here and cost time.</summary>
    private static readonly HtmlParserOptions ParserOptions = new()
    {
        DisableElementPositionTracking = true,
        SkipComments = true,
        SkipProcessingInstructions = true,
    };

    /// <summary>
    /// The parser's browsing context without the services that act on what is parsed: attribute observers
    /// (they resolve every link and image address against the document, which the extraction does itself,
    /// once, and which took a fifth of the parse), the meta-charset handler (the fetcher decodes) and link
    /// relations (nothing is ever loaded).
    /// </summary>
    private static readonly IConfiguration ParseOnlyConfiguration = Configuration.Default
        .Without<IAttributeObserver>()
        .Without<IMetaHandler>()
        .Without<ILinkRelationFactory>();

    // One parser per thread: AngleSharp wants one browsing context per concurrent parse, and making one per page is costly.
    [ThreadStatic]
    private static HtmlParser? t_parser;

    private readonly UrlRules _urlRules;
    private readonly SelectorSet _notPublic;
    private readonly SelectorSet? _drop;
    private readonly ISelector[] _adRegion;

    // Per entry of _adRegion: the same as a set the document scan matches on its way, when it depends on the element alone.
    private readonly SelectorSet?[] _adRegionOnTheWay;
    private readonly ISelector? _title;
    private readonly ISelector? _body;
    private readonly ISelector? _fields;
    private readonly ISelector? _contact;
    private readonly ISelector? _date;
    private readonly ISelector? _images;
    private readonly ISelector? _adIdElement;
    private readonly Regex? _adIdUrl;
    private readonly ProseReader _prose;
    private readonly ExtractionVocabulary _vocabulary;

    /// <param name="notPublicSelectors">CSS selectors that mark a page as behind a login or paywall (policy <c>fetch.notPublicSelectors</c>).</param>
    /// <param name="urlRules">How links are canonicalised.</param>
    /// <param name="profile">The site layout; <see cref="ExtractionProfile.Generic"/> when null.</param>
    /// <param name="vocabulary">The structure vocabulary (policies/extraction-vocabulary.yaml); the compiled-in copy when null.</param>
    public AdExtractor(IReadOnlyList<string>? notPublicSelectors = null, UrlRules? urlRules = null, ExtractionProfile? profile = null,
        ExtractionVocabulary? vocabulary = null)
    {
        _vocabulary = vocabulary ?? ExtractionVocabulary.Default;
        Profile = profile ?? ExtractionProfile.Generic;
        _urlRules = urlRules ?? UrlRules.Default;
        var parser = new CssSelectorParser();
        _notPublic = SelectorSet.Compile(parser, notPublicSelectors is { Count: > 0 } s ? s : ["input[type=password]"])!;
        _drop = SelectorSet.Compile(parser, Profile.Drop);
        _adRegion = Profile.AdRegion.Select(r => Compile(parser, r)!).ToArray();
        _adRegionOnTheWay = Profile.AdRegion.Select(r => SelectorSet.Compile(parser, [r]) is { OnlyTheElement: true } set ? set : null).ToArray();
        _title = Compile(parser, Profile.Title);
        _body = Compile(parser, Profile.Body);
        _fields = Compile(parser, Profile.Fields.Count == 0 ? null : string.Join(", ", Profile.Fields));
        _contact = Compile(parser, Profile.Contact);
        _date = Compile(parser, Profile.Date);
        _images = Compile(parser, Profile.Images);
        _adIdElement = Compile(parser, Profile.AdId?.Selector);
        _adIdUrl = Profile.AdId?.UrlPattern is { } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)) : null;
        _prose = new ProseReader(Lexicon.Value);
    }

    public ExtractionProfile Profile { get; }

    /// <summary>The HTML parse alone, as <see cref="Extract(string, Uri, DateTimeOffset?)"/> does it (for benchmarks and diagnostics).</summary>
    public static IHtmlDocument ParseDocument(string html) =>
        (t_parser ??= new HtmlParser(ParserOptions, BrowsingContext.New(ParseOnlyConfiguration))).ParseDocument(html);

    public PageExtraction Extract(string html, Uri url) => Extract(html, url, fetchedAt: null);

    public PageExtraction Extract(string html, Uri url, DateTimeOffset? fetchedAt) => Extract(html, url, fetchedAt, template: null);

    /// <param name="html">The page as fetched.</param>
    /// <param name="url">Its address, for relative links and images.</param>
    /// <param name="fetchedAt">When the page was fetched: relative posting dates ("gisteren", "3 hours ago") count back from it.</param>
    /// <param name="template">The site template of the page's host: the page is counted into it, and what recurs on the site's pages is dropped.</param>
    public PageExtraction Extract(string html, Uri url, DateTimeOffset? fetchedAt, SiteTemplate? template)
    {
        using var document = ParseDocument(html);
        var scan = DocumentScan.Run(document, _notPublic, _drop, Profile.DropCommonThirdParty, _adRegionOnTheWay, _vocabulary);
        var baseUrl = BaseUrl(scan.BaseHref, url);
        var links = Links(scan.Anchors, baseUrl, _urlRules);
        var siteDomain = SiteDomain.Registrable(url.Host);
        var lang = document.DocumentElement?.GetAttribute("lang");
        var language = SiteCountry.Language(lang);

        // Read before the site's chrome goes: its address tells the country, its contacts are the site's.
        var country = SiteCountry.Of(url.Host, lang, () => document.Body?.TextContent ?? "");
        var siteChrome = new SiteChrome(scan.Chrome);
        var removed = scan.Dropped.Count;

        // Last first: a removed child shifts only the siblings after it, and there are none left by then.
        for (var i = scan.Dropped.Count - 1; i >= 0; i--)
        {
            scan.Dropped[i].Remove();
        }

        for (var i = scan.Furniture.Count - 1; i >= 0; i--)
        {
            scan.Furniture[i].Remove();
        }

        var templateBlocks = template is not null && document.Body is { } templated ? template.ObserveAndStrip(templated) : 0;
        var generic = Profile.AdRegion.Count == 0;
        var sections = SectioningReport.None;
        IElement? opening = null;
        if (generic && document.Body is { } body)
        {
            var sectioning = new Sectioning(_vocabulary);
            sections = sectioning.Apply(body, siteDomain);
            opening = sectioning.Opening;
        }

        var advised = false;
        IElement? region;
        if (generic)
        {
            // Sectioning removed elements the scan saw: the region is looked for in what is left.
            region = opening ?? GenericRegion(document);
            if (region is null)
            {
                // No landmark, article or thread says where the ad is: keep only what stands nearest the main heading.
                region = NearestMainHeading(document) ?? document.Body;
                advised = true;
            }
        }
        else
        {
            region = FindRegion(document, scan);
        }

        if (region is null)
        {
            return new PageExtraction(new AdFeatures(false, "the page has no body", null, "", [], [], removed), links, false, "");
        }

        var content = Read(document, region);
        var text = content.Text;
        var structured = StructuredData.Read(scan.JsonLd, scan.Meta, url);
        var telLinks = new List<string>();
        var mailtoLinks = new List<string>();
        var messengers = new List<MessengerContact>();
        var region2 = country;
        foreach (var a in content.Anchors)
        {
            var href = a.GetAttribute("href")!.Trim();
            if (href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
            {
                telLinks.Add(Uri.UnescapeDataString(href[4..]));
            }
            else if (href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                mailtoLinks.Add(href[7..]);
            }
            else if (href.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Messengers.FromLink(href, out _) is { } contact)
            {
                // A WhatsApp or Signal number becomes a phone below, once libphonenumber has validated it.
                messengers.Add(contact);
            }
        }

        telLinks.AddRange(content.DataNumbers);
        mailtoLinks.AddRange(content.ItemEmails);
        var hidden = new List<HiddenContact>();

        // Concealed text is searched on lines of its own, apart from the visible text it sat in.
        var searched = content.Concealed.Count == 0 ? text : text + "\n" + string.Join('\n', content.Concealed);
        var phones = ContactReader.FindPhones(searched, telLinks, hidden, region2);
        MarkDecoyed(phones, hidden, text, content.DecoysAt);
        var emails = ContactReader.FindEmails(searched, mailtoLinks, content.CloudflareEmails.ConvertAll(e => e.GetAttribute("data-cfemail")!), hidden);

        // A password field in the site's chrome, beside a page full of text or beside the ad's own contact data is a
        // login box, not a wall: what the page shows everyone is public.
        var wall = scan.Wall;
        if (wall is not null && IsLoginBox(wall, scan, region, text, phones.Count + emails.Count > 0))
        {
            wall = null;
        }

        var loginForm = wall is not null;
        var wallReason = wall is null ? "" : $"the page shows '{Describe(wall)}': it is behind a login or paywall";

        // Structured data speaks for the page only when the page is one ad (never a listing); in a thread it is the site's.
        if (!sections.Thread)
        {
            foreach (var t in structured.Telephones)
            {
                ContactReader.AddParsed(phones, t, obfuscated: false, region2);
            }

            foreach (var m in structured.Emails)
            {
                if (ContactReader.IsEmail(m))
                {
                    ContactReader.AddEmail(emails, m);
                }
            }
        }

        // A WhatsApp or Signal link with a number is also a phone number, and the handle is that number in E.164.
        for (var i = messengers.Count - 1; i >= 0; i--)
        {
            if (messengers[i].Platform is Messengers.WhatsApp or Messengers.Signal)
            {
                var e164 = ContactReader.AddParsed(phones, messengers[i].Handle, obfuscated: false, region2);
                messengers[i] = messengers[i] with { Handle = e164 ?? "" };
            }
        }

        messengers.RemoveAll(m => m.Handle.Length == 0);

        // The site's own contacts are never the advertiser's: its domain's addresses, what its chrome shows, what recurs on its pages.
        template?.ObserveContacts(phones.Select(p => p.E164).Concat(emails));
        var siteOwn = 0;
        var templateContacts = 0;
        siteOwn += phones.RemoveAll(p => siteChrome.ShowsPhone(p.E164));
        siteOwn += emails.RemoveAll(e => (generic && SiteDomain.IsOnDomain(e, siteDomain)) || siteChrome.ShowsEmail(e));
        if (template is not null)
        {
            templateContacts += phones.RemoveAll(p => template.IsTemplateContact(p.E164));
            templateContacts += emails.RemoveAll(template.IsTemplateContact);
        }

        // A number the ad gives only for someone else ("not me: my friend ... ask her on 06 ...") is that person's.
        if (generic)
        {
            phones.RemoveAll(p => OnlyForSomeoneElse(p, text));
        }

        // Uncertainty means collect less: on a page it cannot section, only the contacts of the passage (the block's
        // line) where the first contact stands are kept; a number further on may be a reviewer's, a friend's or a teaser's.
        if (advised)
        {
            KeepFirstPassage(phones, emails, searched);
        }

        messengers.RemoveAll(m => m.Platform is Messengers.WhatsApp or Messengers.Signal && !phones.Exists(p => p.E164 == m.Handle));
        hidden.RemoveAll(h => !(h.Kind == HiddenContact.Phone ? phones.Exists(p => p.E164 == h.Value) : emails.Contains(h.Value)));
        var title = Title(document, region, structured);
        var kind = generic ? KindOfPage(document) : PageKind.Unknown;

        // An ad offers contact for an appointment: contact data alone is not enough (a news article has a press
        // line), so a mobile number or the vocabulary of ads must be there too. A page whose heading says it is an
        // error, the site's own page, a search or an age check, or whose text is mostly teasers of others, is none.
        var hasContact = phones.Count > 0 || emails.Count > 0;
        var adLike = phones.Exists(p => p.Kind is "mobile" or "fixed-line-or-mobile") || AdVocabulary().IsMatch(text);
        var teasers = generic && sections.TeaserItems >= 4 && sections.TeaserChars > text.Length * 3 / 2;
        var listing = generic && structured.Listing && sections.TeaserItems >= 3;
        var writing = generic && structured.Writing;
        var isAd = !loginForm && hasContact && adLike && kind == PageKind.Unknown && !teasers && !listing && !writing;
        var reason = loginForm ? wallReason
            : kind != PageKind.Unknown ? $"the page's heading or title says it is not an ad ({kind})"
            : teasers ? "the page is mostly a list of teasers of other ads"
            : listing ? "the page describes a list of ads (structured data)"
            : writing ? "the page describes itself as an article or a page of the site's (structured data)"
            : isAd ? ""
            : hasContact ? "contact data, but neither a mobile number nor the language of an ad"
            : "no contact data in the ad region";
        var result = new PageExtraction(new AdFeatures(false, reason, title, text, [], [], removed, [], [], [], [], null, [], [], [], [], null, null, []),
            links, loginForm, wallReason)
        {
            ProfileAdvised = advised,
            Sections = sections,
            TemplateBlocks = templateBlocks,
            TemplateContacts = templateContacts,
            SiteContacts = siteOwn,
            Country = country,
            Kind = kind,
        };
        if (!isAd)
        {
            // What is not an ad carries no one's contact data onwards, not even to a diagnostic.
            return result;
        }

        var ad = Features(document, region, content, structured, url, baseUrl, fetchedAt, phones, emails, messengers, title, removed,
            new LexiconFindings { Country = country.ToLowerInvariant(), Language = language }, country) with { Hidden = hidden };
        return result with { Ad = ad };
    }

    /// <summary>
    /// Numbers that run across a concealed digit group ("0178", a concealed "9999", "3307 1948"): read as the
    /// visitor sees them, and hidden on purpose.
    /// </summary>
    private static void MarkDecoyed(List<FoundPhone> phones, List<HiddenContact> hidden, string text, List<int> decoys)
    {
        if (decoys.Count == 0)
        {
            return;
        }

        for (var i = 0; i < phones.Count; i++)
        {
            var phone = phones[i];
            var at = phone.Obfuscated || phone.Raw.Length == 0 ? -1 : text.IndexOf(phone.Raw, StringComparison.Ordinal);
            if (at >= 0 && decoys.Exists(d => d > at && d < at + phone.Raw.Length))
            {
                phones[i] = phone with { Obfuscated = true };
                hidden.Add(new HiddenContact(HiddenContact.Phone, phone.E164, phone.Raw));
            }
        }
    }

    /// <summary>Whether every place the text writes the number is in a sentence that sends the reader to someone else.</summary>
    private bool OnlyForSomeoneElse(FoundPhone phone, string text)
    {
        if (phone.Raw.Length == 0)
        {
            return false;
        }

        var at = text.IndexOf(phone.Raw, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        for (; at >= 0; at = text.IndexOf(phone.Raw, at + phone.Raw.Length, StringComparison.Ordinal))
        {
            if (!_vocabulary.RefersToSomeoneElse(text[SentenceStart(text, at)..at]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Keeps the contacts of the first passage that gives any: from the first mention of a contact on, each mention on
    /// the line of the one before or the next but one carries the passage on, and so does a mention of a contact kept
    /// already; a new contact after a longer gap is outside it: a contact mentioned only after it (a reviewer's, a
    /// friend's, a teaser's) goes.
    /// </summary>
    private static void KeepFirstPassage(List<FoundPhone> phones, List<string> emails, string text)
    {
        var mentions = new List<(int Line, string Raw)>();
        var unplaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in phones.Select(p => p.Raw).Concat(emails))
        {
            var before = mentions.Count;
            for (var at = raw.Length == 0 ? -1 : text.IndexOf(raw, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(raw, at + raw.Length, StringComparison.OrdinalIgnoreCase))
            {
                mentions.Add((text.AsSpan(0, at).Count('\n'), raw));
            }

            if (mentions.Count == before)
            {
                unplaced.Add(raw);
            }
        }

        if (mentions.Count == 0)
        {
            return;
        }

        mentions.Sort((a, b) => a.Line.CompareTo(b.Line));
        var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var line = mentions[0].Line;
        foreach (var m in mentions)
        {
            // A contact already kept, mentioned again further on, carries the passage on from there.
            if (m.Line - line <= MaxPassageGap || kept.Contains(m.Raw))
            {
                kept.Add(m.Raw);
                line = m.Line;
            }
        }

        // What cannot be placed (decoded from a link, an attribute or a hiding trick) cannot be judged by its place: it stays.
        kept.UnionWith(unplaced);
        phones.RemoveAll(p => !kept.Contains(p.Raw));
        emails.RemoveAll(m => !kept.Contains(m));
    }

    /// <summary>How many lines a passage of contacts runs on after its last mention (the line after next).</summary>
    private const int MaxPassageGap = 2;

    /// <summary>Where the sentence holding <paramref name="at"/> begins: after a line break, or a full stop, '!' or '?' and a space.</summary>
    private static int SentenceStart(string text, int at)
    {
        for (var i = at - 1; i > 0; i--)
        {
            if (text[i] == '\n' || (char.IsWhiteSpace(text[i]) && text[i - 1] is '.' or '!' or '?'))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// A password field in the header, navigation, footer or a sidebar, or outside an ad region with much text of its
    /// own or with contact data.
    /// </summary>
    private static bool IsLoginBox(IElement wall, DocumentScan scan, IElement region, string regionText, bool regionHasContact)
    {
        if (!string.Equals(wall.GetAttribute("type"), "password", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (scan.Chrome.Exists(c => c.Contains(wall)) || scan.Dropped.Exists(d => d.Contains(wall)))
        {
            return true;
        }

        return !region.Contains(wall) && (regionText.Length >= 500 || regionHasContact);
    }

    /// <summary>
    /// Where the ad stands when the page says so by its structure: the one article (or schema.org item) of the page,
    /// or of several the one that holds the main heading (the others are teasers or posts); else the page's main
    /// content (<c>main</c>, <c>role=main</c>). Null when neither says anything.
    /// </summary>
    private static IElement? GenericRegion(IDocument document)
    {
        IElement? only = null;
        IElement? last = null;
        IElement? withHeading = null;
        var items = 0;
        var headed = 0;
        foreach (var item in document.ChildNodes.QuerySelectorAll(OneItem))
        {
            // An article inside another is part of it (a quoted post, a card in the ad's own gallery); in document
            // order it comes right after its container.
            if (last is not null && last.Contains(item))
            {
                continue;
            }

            last = item;
            only ??= item;
            items++;
            if (item.ChildNodes.QuerySelector(Heading) is not null)
            {
                withHeading = item;
                headed++;
            }
        }

        if (items == 1)
        {
            return only;
        }

        if (headed == 1)
        {
            return withHeading;
        }

        return document.ChildNodes.QuerySelector(MainContent);
    }

    /// <summary>
    /// The block around the page's main heading (the first h1, else the first heading): the heading's ancestor that
    /// first holds some text besides it. Where nothing says where the ad is, this is all that is read.
    /// </summary>
    private static IElement? NearestMainHeading(IDocument document)
    {
        if (document.Body is not { } body)
        {
            return null;
        }

        var heading = body.QuerySelector("h1") ?? body.QuerySelector("h2, h3, [role=heading]");
        if (heading is null)
        {
            return null;
        }

        var own = heading.TextContent.Trim().Length;
        for (var e = heading.ParentElement; e is not null && e != body; e = e.ParentElement)
        {
            if (e.TextContent.AsSpan().Trim().Length - own >= 200)
            {
                return e;
            }
        }

        return body;
    }

    /// <summary>What the main heading or a part of the title says the page is: an error, the site's own page, a search ...</summary>
    private PageKind KindOfPage(IDocument document)
    {
        var h1Text = document.Body?.ChildNodes.QuerySelector(Heading)?.TextContent;
        if (h1Text is not null && _vocabulary.KindOf(h1Text) is var byHeading and not PageKind.Unknown)
        {
            return byHeading;
        }

        var parts = TitleParts().Split(document.Title ?? "");
        foreach (var part in parts)
        {
            if (part.Trim().Length > 0 && _vocabulary.KindOf(part) is var byTitle and not PageKind.Unknown)
            {
                return byTitle;
            }
        }

        // A page that begins as a guestbook or a page of reviews does is theirs, whatever contacts their posts hold.
        return (h1Text is not null && _vocabulary.IsThirdPartyHeading(h1Text, anywhere: false)) ||
               (parts.Length > 1 && _vocabulary.IsThirdPartyHeading(parts[0], anywhere: false))
            ? PageKind.ThirdParty
            : PageKind.Unknown;
    }

    private AdFeatures Features(IDocument document, IElement region, ContentScan content, StructuredData structured, Uri url, Uri baseUrl,
        DateTimeOffset? fetchedAt, List<FoundPhone> phones, List<string> emails, List<MessengerContact> messengers, string? title, int removed,
        LexiconFindings findings, string country)
    {
        var text = content.Text;
        var tokens = TokenizedText.Of(text);
        _prose.Read(tokens, findings);

        var labels = new List<LabelValue>();
        var structures = _fields is null ? content.Structures : Within(region, _fields);
        foreach (var s in structures)
        {
            Labels.Read(s, labels);
        }

        Labels.ReadLines(text, labels);
        string? labelName = null;
        var labelAges = new List<int>();
        DateTimeOffset? labelDate = null;
        string? labelId = null;
        foreach (var label in labels)
        {
            switch (label.Kind)
            {
                case LabelKind.Name:
                    labelName ??= WorkingNames.FromValue(label.Value, IsLexiconWord);
                    break;
                case LabelKind.Age:
                    labelAges.AddRange(AdDetails.AgesIn(label.Value));
                    break;
                case LabelKind.Origin or LabelKind.Languages or LabelKind.Services:
                    _prose.Read(TokenizedText.Of(label.Value), findings, label.Kind);
                    break;
                case LabelKind.Place:
                    _prose.Read(TokenizedText.Of(label.Value), findings, LabelKind.Place);
                    AddPostcodes(label.Value, findings, labelled: true);
                    break;
                case LabelKind.Postcode:
                    AddPostcodes(label.Value, findings, labelled: true);
                    break;
                case LabelKind.Incall or LabelKind.Outcall:
                    ReadVenueLabel(label, findings);
                    break;
                case LabelKind.Posted:
                    labelDate ??= PostingDates.Parse(label.Value, fetchedAt);
                    break;
                case LabelKind.AdId:
                    labelId ??= IdIn(label.Value);
                    break;
                default:
                    if (Messengers.FromLabel(label.Kind, label.Value, out var number) is { } contact)
                    {
                        Messengers.Add(messengers, contact);
                    }
                    else if (number is not null && ContactReader.AddParsed(phones, number, obfuscated: false, country) is { } e164 &&
                             label.Kind is LabelKind.WhatsApp or LabelKind.Signal)
                    {
                        Messengers.Add(messengers, new MessengerContact(label.Kind == LabelKind.WhatsApp ? Messengers.WhatsApp : Messengers.Signal, e164, label.Value));
                    }

                    break;
            }
        }

        Messengers.FromText(text, messengers);
        foreach (var n in structured.Nationalities)
        {
            _prose.Read(TokenizedText.Of(n), findings, LabelKind.Origin);
        }

        foreach (var l in structured.Languages)
        {
            _prose.Read(TokenizedText.Of(l), findings, LabelKind.Languages);
        }

        foreach (var l in structured.Localities)
        {
            _prose.Read(TokenizedText.Of(l), findings, LabelKind.Place);
        }

        foreach (var p in structured.PostalCodes)
        {
            AddPostcodes(p, findings, labelled: true);
        }

        AddPostcodes(text, findings, labelled: false);

        var name = labelName
                   ?? (structured.PersonName is { } person ? WorkingNames.FromValue(person, IsLexiconWord) : null)
                   ?? WorkingNames.FromProse(text, IsLexiconWord)
                   ?? (title is null ? null : WorkingNames.FromTitle(title, IsLexiconWord));

        var prices = RateTables.Merge(AdDetails.Prices(text), RateTables.Read(structures));
        if (structured.Price is { } amount && !prices.Exists(p => p.Amount == amount))
        {
            prices.Add(new StatedPrice(amount, structured.Currency ?? "EUR", "unspecified", null, "structured data (JSON-LD offer)"));
        }

        var ages = AdDetails.Ages(text, _vocabulary.IsCounted).Concat(labelAges).Distinct().ToList();
        return new AdFeatures(true, "", title, text, phones, emails, removed, ages, prices,
            findings.Locations, messengers, name, findings.Origins, findings.Languages, findings.Venues, findings.Services,
            PostedAt(region, content, structured, labelDate, text, fetchedAt),
            AdId(document, region, url, labelId, structured, text),
            Images(region, content, structured, baseUrl));
    }

    /// <summary>The region, or with a body selector the profile's title, body, fields and contact elements.</summary>
    private ContentScan Read(IDocument document, IElement region)
    {
        var content = new ContentScan();
        if (_body is null)
        {
            content.Add(region);
        }
        else
        {
            foreach (var selector in new[] { _title, _body, _fields })
            {
                if (selector is not null)
                {
                    foreach (var e in Within(region, selector))
                    {
                        content.Add(e);
                    }
                }
            }
        }

        if (_contact is not null)
        {
            // Contact boxes may sit beside the ad region (dropped regions are gone by now).
            foreach (var e in document.ChildNodes.QuerySelectorAll(_contact))
            {
                content.Add(e);
            }
        }

        return content;
    }

    /// <summary>Elements matching <paramref name="selector"/> in the region, the region itself included.</summary>
    private static List<IElement> Within(IElement region, ISelector selector)
    {
        var found = new List<IElement>();
        if (selector.Match(region))
        {
            found.Add(region);
        }

        found.AddRange(region.ChildNodes.QuerySelectorAll(selector));
        return found;
    }

    private IElement? FindRegion(IDocument document, DocumentScan scan)
    {
        for (var i = 0; i < _adRegion.Length; i++)
        {
            // A selector that looks only at the element was matched on the way; others (combinators, pseudo-classes)
            // are asked of the document as it is now, with the dropped regions gone.
            var region = _adRegionOnTheWay[i] is not null ? scan.RegionMatches[i] : document.ChildNodes.QuerySelector(_adRegion[i]);
            if (region is not null)
            {
                return region;
            }
        }

        return document.Body;
    }

    private string? Title(IDocument document, IElement region, StructuredData structured)
    {
        var element = _title is not null ? Within(region, _title).FirstOrDefault() : region.ChildNodes.QuerySelector(Heading);
        return Clean(element?.TextContent) ?? Clean(structured.Title) ?? Clean(document.Title);
    }

    private static void ReadVenueLabel(LabelValue label, LexiconFindings findings)
    {
        var code = label.Kind == LabelKind.Incall ? "incall" : "outcall";
        var value = label.Value.Trim().ToLowerInvariant();
        if (value is "nee" or "no" or "niet" or "geen" or "none" or "-" or "✗" or "✘" or "x" || value.StartsWith("nee", StringComparison.Ordinal) ||
            value.StartsWith("no ", StringComparison.Ordinal) || value.StartsWith("geen", StringComparison.Ordinal))
        {
            return;
        }

        LexiconFindings.AddOnce(findings.Venues, code);
    }

    private DateTimeOffset? PostedAt(IElement region, ContentScan content, StructuredData structured, DateTimeOffset? labelDate, string text,
        DateTimeOffset? fetchedAt)
    {
        if (_date is not null && Within(region, _date).FirstOrDefault() is { } dateElement && DateOf(dateElement, fetchedAt) is { } profiled)
        {
            return profiled;
        }

        if (labelDate is not null)
        {
            return labelDate;
        }

        // A time element next to a posting word ("Geplaatst op <time>") is the posting date; others may be availability.
        foreach (var time in content.Times)
        {
            if (time.ParentElement?.TextContent is { } around && PostingWord().IsMatch(around) && DateOf(time, fetchedAt) is { } cued)
            {
                return cued;
            }
        }

        if (structured.Posted is { } posted && PostingDates.Parse(posted, fetchedAt) is { } structuredDate)
        {
            return structuredDate;
        }

        return PostingDates.AfterCue(text, fetchedAt)
               ?? (content.Times.Count == 1 ? DateOf(content.Times[0], fetchedAt) : null);
    }

    private static DateTimeOffset? DateOf(IElement e, DateTimeOffset? fetchedAt)
    {
        var time = e.LocalName == "time" ? e : e.ChildNodes.QuerySelector(StampedTime);
        if (time?.GetAttribute("datetime") is { Length: > 0 } attribute && PostingDates.Parse(attribute, fetchedAt) is { } stamped)
        {
            return stamped;
        }

        var textContent = e.TextContent;
        return PostingDates.AfterCue(textContent, fetchedAt) ?? PostingDates.Parse(textContent, fetchedAt);
    }

    private string? AdId(IDocument document, IElement region, Uri url, string? labelId, StructuredData structured, string text)
    {
        if (_adIdElement is not null)
        {
            var element = Within(region, _adIdElement).FirstOrDefault() ?? document.ChildNodes.QuerySelector(_adIdElement);
            var raw = element is null ? null : Profile.AdId!.Attribute is { } attribute ? element.GetAttribute(attribute) : element.TextContent;
            if (raw is not null && IdIn(raw) is { } profiled)
            {
                return profiled;
            }
        }

        if (_adIdUrl is not null)
        {
            try
            {
                var m = _adIdUrl.Match(url.ToString());
                if (m.Success && m.Groups[1].Success && IdIn(m.Groups[1].Value) is { } fromUrl)
                {
                    return fromUrl;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological address: no id from it.
            }
        }

        if (labelId is not null)
        {
            return labelId;
        }

        if (structured.Sku is { } sku && IdIn(sku) is { } fromStructured)
        {
            return fromStructured;
        }

        foreach (var attribute in new[] { "data-ad-id", "data-ad", "data-listing-id", "data-profile-id", "data-id" })
        {
            if (region.GetAttribute(attribute) is { } value && IdIn(value) is { } fromAttribute)
            {
                return fromAttribute;
            }
        }

        // Most ad texts name no id in words: one vectorised search rules the pattern out.
        if (!text.AsSpan().ContainsAny(AdIdWords))
        {
            return null;
        }

        var prose = AdIdInText().Match(text);
        return prose.Success ? IdIn(prose.Groups["id"].Value) : null;
    }

    /// <summary>The first id-like word: letters, digits and '-', with at least one digit.</summary>
    private static string? IdIn(string value)
    {
        var m = IdWord().Match(value);
        return m.Success ? m.Value : null;
    }

    private List<Uri> Images(IElement region, ContentScan content, StructuredData structured, Uri baseUrl)
    {
        var images = new List<Uri>();
        IEnumerable<IElement> elements = _images is not null ? Within(region, _images)
            : _body is null ? content.Images
            : region.ChildNodes.QuerySelectorAll(Image);
        foreach (var e in elements)
        {
            if (e.LocalName == "img")
            {
                AddImage(images, ImageSource(e), baseUrl);
            }
            else
            {
                foreach (var img in e.ChildNodes.QuerySelectorAll(Image))
                {
                    AddImage(images, ImageSource(img), baseUrl);
                }
            }
        }

        foreach (var u in structured.Images)
        {
            AddImage(images, u, baseUrl);
        }

        return images;
    }

    private static string? ImageSource(IElement img)
    {
        // Width and height of 1 or 2 are tracking pixels, not photos.
        if (img.GetAttribute("width") is "0" or "1" or "2" || img.GetAttribute("height") is "0" or "1" or "2")
        {
            return null;
        }

        var src = img.GetAttribute("src");
        if (src is null || src.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // Lazy loading keeps the real address elsewhere.
            src = img.GetAttribute("data-src") ?? img.GetAttribute("data-lazy-src") ?? img.GetAttribute("data-original");
        }

        if (src is null && img.GetAttribute("srcset") is { } srcset)
        {
            src = srcset.Split(',')[0].Trim().Split(' ')[0];
        }

        return src;
    }

    private static void AddImage(List<Uri> images, string? src, Uri baseUrl)
    {
        if (string.IsNullOrWhiteSpace(src) || !Uri.TryCreate(baseUrl, src.Trim(), out var absolute) || absolute.Scheme is not ("http" or "https"))
        {
            return;
        }

        if (!images.Contains(absolute))
        {
            images.Add(absolute);
        }
    }

    /// <summary>
    /// Postcode areas: "3511 AB" anywhere, a bare number of the country's form ("3511", "1050", "04155") only where a
    /// label or "postcode" says so (a place beside it is the prose reader's).
    /// </summary>
    private static void AddPostcodes(string text, LexiconFindings findings, bool labelled)
    {
        var country = findings.Country ?? "nl";
        if (labelled)
        {
            foreach (Match m in LabelledPostcode().Matches(text))
            {
                if (Postcodes.IsPostcode(m.Groups["area"].Value, country))
                {
                    findings.AddLocation(StatedLocation.PostcodeArea, m.Groups["area"].Value);
                }
            }

            return;
        }

        foreach (Match m in Postcode().Matches(text))
        {
            findings.AddLocation(StatedLocation.PostcodeArea, m.Groups["area"].Value);
        }

        foreach (var named in Postcodes.Named(text, country))
        {
            findings.AddLocation(StatedLocation.PostcodeArea, named);
        }
    }

    private bool IsLexiconWord(string word)
    {
        var t = TokenizedText.Of(word);
        return t.Tokens.Count > 0 && Lexicon.Value.TryMatch(t, 0, out _, out _);
    }

    private static Uri BaseUrl(string? href, Uri url) =>
        href is not null && Uri.TryCreate(url, href, out var b) && b.Scheme is "http" or "https" ? b : url;

    private static string Describe(IElement e) =>
        e.LocalName + (e.Id is { Length: > 0 } id ? "#" + id : "") + (e.ClassName is { Length: > 0 } c ? "." + c.Replace(' ', '.') : "") +
        (e.GetAttribute("type") is { } t ? $"[type={t}]" : "");

    private static List<Uri> Links(List<IElement> anchors, Uri baseUrl, UrlRules rules)
    {
        var result = new List<Uri>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenRaw = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in anchors)
        {
            // Menus, footers and pagination repeat the same href: it canonicalises to the same link.
            var href = a.GetAttribute("href")!;
            if (!seenRaw.Add(href) || href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ||
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
    public static string VisibleText(IElement root)
    {
        var scan = new ContentScan();
        scan.Add(root);
        return scan.Text;
    }

    private static ISelector? Compile(CssSelectorParser parser, string? selector)
    {
        if (selector is null)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(selector) ? throw new ArgumentException("an empty CSS selector", nameof(selector))
            : parser.ParseSelector(selector) ?? throw new ArgumentException($"'{selector}' is not a valid CSS selector", nameof(selector));
    }

    private static string? Clean(string? s) => s is not null && TextBuilder.OneLine(s) is { Length: > 0 } line ? line : null;

    [GeneratedRegex(@"\b(?:tarief|tarieven|per uur|afspraak|escort|priv[eé]|ontvang\w*|massage|bel me|app me|whatsapp|telegram|snapchat|" +
        @"rates?|per hour|appointment|call me|text me|incall|outcall|discreet|discrete|hotelbezoek|hotel visits?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AdVocabulary();

    [GeneratedRegex(@"\s[|\u2013\u2014\u00B7\u00BB:\u2022]\s|\s-\s")]
    private static partial Regex TitleParts();

    [GeneratedRegex(@"\b(?:geplaatst|gepubliceerd|online sinds|posted|published|datum|date)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PostingWord();

    [GeneratedRegex(@"(?<![\d\-/.,€])(?<area>[1-9]\d{3})\s?(?!SA\b|SD\b|SS\b)[A-Z]{2}\b")]
    private static partial Regex Postcode();

    [GeneratedRegex(@"(?<![\d\-/.,€])(?<area>\d{4,5})(?![\d.,/:-])")]
    private static partial Regex LabelledPostcode();

    [GeneratedRegex(@"(?i:\b(?:advertentie-?id|advertentie\s?id|advertentienummer|advertentie\s?nr\.?|ad[- ]?id|ad\s+number|ad\s+no\.?|ad\s+nr\.?|listing\s+id|profiel-?id|profile\s+id))\s*[:#]?\s*#?(?<id>[A-Za-z0-9][A-Za-z0-9-]{2,31})")]
    private static partial Regex AdIdInText();

    [GeneratedRegex(@"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,31}")]
    private static partial Regex IdWord();
}
