using Crawler.Documents;
using Crawler.Core.Yaml;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The mechanisms of issue 22 on small pages written for these tests (never the blind corpus): headings, teaser runs,
/// threads, the site's own contacts, the site's country, page kinds, template learning and the vocabulary file.
/// </summary>
public sealed class GenericSectioningTests
{
    private static readonly Uri Page = new("https://www.adsite.example/ad/1");

    private static PageExtraction Extract(string body, Uri? url = null, string lang = "nl", SiteTemplate? template = null) =>
        new AdExtractor().Extract($"<html lang=\"{lang}\"><head><title>Advertentie</title></head><body>{body}</body></html>", url ?? Page, null, template);

    [TestCase("Gastenboek", "nl")]
    [TestCase("Reacties (3)", "nl")]
    [TestCase("12 ervaringen", "nl")]
    [TestCase("Avis des clients", "fr")]
    [TestCase("Kommentare", "de")]
    [TestCase("Gästebuch", "de")]
    [TestCase("You may also like", "en")]
    public void A_section_under_a_third_party_heading_is_never_read(string heading, string lang)
    {
        var page = Extract($"<h1>Lisa</h1><p>Bel me voor een afspraak: 06-12345678</p><h2>{heading}</h2><div><p>Jan: top! 06-87654321, jan@mail.example</p></div>" +
                           "<h2>Over mij</h2><p>Ik ontvang in Utrecht.</p>");
        Assert.That(lang, Is.Not.Empty, "every language's words are read on every page");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Emails, Is.Empty);
            Assert.That(page.Ad.Text, Does.Contain("Ik ontvang in Utrecht"), "the section ends at the next heading of its level");
            Assert.That(page.Sections.HeadingSections, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_bold_line_alone_starts_a_section_within_its_block()
    {
        var page = Extract("<table><tr><td><h1>Lisa</h1><p>Afspraak? Bel 06-12345678.</p>" +
                           "<table><tr><td><b>Gastenboek</b></td></tr><tr><td>Piet schreef: bel ook 06-87654321</td></tr></table></td></tr></table>");

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
    }

    [Test]
    public void A_run_of_teasers_is_removed_and_a_page_of_them_is_no_ad()
    {
        var cards = string.Concat(Enumerable.Range(1, 6).Select(i => $"<div class=\"card\"><a href=\"/ad/{i + 10}\">Dame {i}</a><span>Amsterdam</span><a href=\"tel:061234560{i}\">bel</a></div>"));
        var ad = Extract($"<main><h1>Lisa</h1><p>Escort, bel me: 06-12345678. Ik ontvang in Utrecht, ook hotelbezoek.</p><div>{cards[..(cards.Length / 2)]}</div></main>");
        var listing = Extract($"<main><h1>Dames</h1><div>{cards}</div></main>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(ad.Sections.TeaserItems, Is.EqualTo(3));
            Assert.That(listing.Ad.IsAd, Is.False, listing.Ad.NotAdReason);
        });
    }

    [Test]
    public void In_a_thread_the_opening_post_is_the_ad_and_replies_of_others_are_not()
    {
        static string Post(string who, string text) =>
            $"<div class=\"post\"><div class=\"author\"><a href=\"/memberlist.php?u={who.Length}\">{who}</a></div><div class=\"content\">{text}</div><a href=\"/quote\">quote</a><a href=\"/report\">report</a></div>";
        var page = Extract("<div id=\"posts\">" + Post("lisa_nl", "Hoi, ik ben Lisa, 24 jaar. Escort in Utrecht, bel 06-12345678 voor een afspraak.") +
                           Post("piet", "Was top, haar vriendin belt ook: 06-87654321") + Post("lisa_nl", "Update: ook op 06-12345679 bereikbaar, bel me.") + "</div>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EquivalentTo(new[] { "+31612345678", "+31612345679" }));
            Assert.That(page.Sections.Replies, Is.EqualTo(1));
            Assert.That(page.Sections.Thread, Is.True);
        });
    }

    [Test]
    public void The_sites_own_addresses_and_its_chrome_contacts_are_never_the_advertisers()
    {
        var page = Extract("<header>Klantenservice 020-1234567</header><main><h1>Lisa</h1><p>Bel 06-12345678, mail lisa@mail.example of " +
                           "webmaster@adsite.example. Klantenservice: 020-1234567</p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Emails, Is.EqualTo(new[] { "lisa@mail.example" }));
            Assert.That(page.SiteContacts, Is.EqualTo(2));
        });
    }

    [TestCase("https://www.site.be/a", "nl", "0478 12 34 56", "+32478123456")]
    [TestCase("https://www.site.example/a", "fr-BE", "0478 12 34 56", "+32478123456")]
    [TestCase("https://www.site.example/a", "de", "0176 1234567", "+491761234567")]
    [TestCase("https://www.site.example/a", "nl", "06 12345678", "+31612345678")]
    public void National_numbers_are_read_in_the_sites_country(string url, string lang, string written, string e164)
    {
        var page = Extract($"<main><h1>Lisa</h1><p>Escort. Tel {written}</p></main>", new Uri(url), lang);

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { e164 }));
    }

    [Test]
    public void A_french_page_without_region_reads_its_country_from_its_address()
    {
        var page = Extract("<main><h1>Julie</h1><p>Escorte, appelez le 0478 12 34 56</p></main><footer>Rue X 1, 1000 Bruxelles, Belgique</footer>",
            new Uri("https://www.site.example/a"), "fr");

        Assert.That(page.Country, Is.EqualTo("BE"));
    }

    [TestCase("Pagina niet gevonden", PageKind.Error)]
    [TestCase("Algemene voorwaarden", PageKind.SitePage)]
    [TestCase("Impressum", PageKind.SitePage)]
    [TestCase("Résultats de recherche", PageKind.Search)]
    [TestCase("Zoekertje verwijderd", PageKind.Removed)]
    [TestCase("Are you 18 or older?", PageKind.AgeGate)]
    [TestCase("De top 10 van Gent deze maand", PageKind.Search)]
    [TestCase("Bestenliste: die beliebtesten Damen", PageKind.Search)]
    public void A_page_whose_heading_says_it_is_no_ad_is_none(string h1, PageKind kind)
    {
        var page = Extract($"<main><h1>{h1}</h1><p>Escort Lisa, bel 06-12345678 voor een afspraak</p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.False);
            Assert.That(page.Kind, Is.EqualTo(kind));
        });
    }

    [Test]
    public void Without_landmarks_only_the_block_of_the_main_heading_is_read_and_the_page_is_profile_advised()
    {
        var filler = string.Concat(Enumerable.Repeat("Ik ben Lisa en ontvang je graag discreet. ", 6));
        var page = Extract($"<div><div><h1>Lisa</h1><p>{filler} Bel 06-12345678.</p></div><div><p>Andere info: 06-87654321</p></div></div>");

        Assert.Multiple(() =>
        {
            Assert.That(page.ProfileAdvised, Is.True);
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
        });
    }

    [Test]
    public void A_bad_vocabulary_file_names_file_line_and_field()
    {
        var ex = Assert.Throws<InputException>(() => ExtractionVocabulary.Parse("v.yaml",
            "thirdPartyHeadings:\n  nl: [reacties, reacties]\n  xx: [a]\nerrorPages: {nl: [a], fr: [a], de: [a], en: [a]}\nsitePages: {nl: [a], fr: [a], de: [a], en: [a]}\n" +
            "searchPages: {nl: [a], fr: [a], de: [a], en: [a]}\nremovedAds: {nl: [a], fr: [a], de: [a], en: [a]}\nageGates: {nl: [a], fr: [a], de: [a], en: [a]}\nposterLinks: [member]\n"));

        Assert.That(ex!.Problems.Select(p => $"{p.File}:{p.Line}:{p.Field}"), Is.SupersetOf(new[] { "v.yaml:2:thirdPartyHeadings.nl", "v.yaml:3:thirdPartyHeadings.xx" }));
    }

    [Test]
    public void The_shipped_vocabulary_is_valid_and_the_one_compiled_in()
    {
        var file = Path.Combine(TestPolicy.PoliciesDir, ExtractionVocabulary.FileName);
        Assert.DoesNotThrow(() => ExtractionVocabulary.Parse(file, File.ReadAllText(file)));
    }

    [TestCase("www.site.co.uk", "site.co.uk")]
    [TestCase("www.plaisir.example", "plaisir.example")]
    [TestCase("ads.site.nl", "site.nl")]
    [TestCase("foo.blogspot.com", "foo.blogspot.com")]
    public void The_registrable_domain_comes_from_the_public_suffix_list(string host, string registrable)
    {
        Assert.That(SiteDomain.Registrable(host), Is.EqualTo(registrable));
    }

    [TestCase("€ 80 per uur", "80 1 h")]
    [TestCase("half uur 40 euro, uur 70", "40 30 min|70 1 h")]
    [TestCase("1 uur: 80", "80 1 h")]
    [TestCase("100€ de l'heure", "100 1 h")]
    [TestCase("50 € la demi-heure", "50 30 min")]
    [TestCase("100 € pro Stunde", "100 1 h")]
    [TestCase("1 Std. 150 €", "150 1 h")]
    [TestCase("30 Min. 80 €", "80 30 min")]
    public void Rates_are_read_in_either_order_and_four_languages(string text, string expected)
    {
        Assert.That(string.Join('|', AdDetails.Prices(text).Select(p => $"{p.Amount} {p.Per}")), Is.EqualTo(expected));
    }

    [TestCase("Ik ben 24 jaar", new[] { 24 })]
    [TestCase("J'ai 23 ans", new[] { 23 })]
    [TestCase("Alter: 31 Jahre", new[] { 31 })]
    [TestCase("Alleen 18+, al 16 jaar ervaring", new int[0])]
    [TestCase("depuis 15 ans dans le métier", new int[0])]
    public void Stated_ages_are_told_from_age_limits_and_spans_of_time(string text, int[] ages)
    {
        Assert.That(AdDetails.Ages(text), Is.EqualTo(ages));
    }

    [Test]
    public void On_a_page_it_cannot_section_only_the_first_passage_of_contacts_is_kept()
    {
        // No landmark, article, heading or thread: the extractor cannot tell the ad from a client's report below it.
        var page = Extract("<div><b>Mira (26) - Zwolle</b><br>Lieve dame ontvangt in Zwolle. Bel of app 06-12 34 56 78<br>" +
                           "Mail: mira@mail.example<br>Uur 120 euro</div><div><b>Dame</b> Mira</div><div><b>Plaats</b> Zwolle</div>" +
                           "<div><b>Datum</b> 1-12</div><div><b>Duur</b> 1 uur</div><div>Prima middag gehad, maar probeer ook eens haar buurvrouw " +
                           "op 06-87 65 43 21, groet Henk (henk@mail.example)</div>");

        var kept = (page.ProfileAdvised, string.Join(", ", page.Ad.Phones.Select(p => p.E164)), string.Join(", ", page.Ad.Emails));
        Assert.That(kept, Is.EqualTo((true, "+31612345678", "mira@mail.example")), "advised; her number and address, not the client's friend's or his");
    }

    [Test]
    public void A_pages_own_class_never_makes_the_page_a_review_region()
    {
        var page = new AdExtractor().Extract(
            "<html lang=\"nl\"><head><title>Lisa</title></head><body class=\"channel_webpreview\"><main><article><h1>Lisa</h1>" +
            "<p>Bel of app 06-12345678 voor een afspraak in Utrecht.</p></article></main></body></html>", Page, null);

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
    }
}

/// <summary>Profile suggestion from pages of one synthetic site.</summary>
public sealed class ProfileSuggesterTests
{
    /// <summary>The ad's heading and text on page <paramref name="i"/>: more than a line beyond the heading.</summary>
    private static string Ad(int i) =>
        $"<h1>Dame {i}</h1><p>Tekst van advertentie {i}: ik ontvang je graag in mijn eigen appartement, rustig gelegen en discreet, bel me op nummer 06-1234567{i}</p>";

    /// <summary>The proposal from three pages of one synthetic site, each the body <paramref name="body"/> gives.</summary>
    private static ProfileSuggestion SuggestFrom(Func<int, string> body) =>
        ProfileSuggester.Suggest([.. Enumerable.Range(1, 3).Select(i => $"<html><body>{body(i)}</body></html>")]);

    [Test]
    public void A_region_with_what_generic_sectioning_keeps_out_or_with_little_beyond_its_heading_is_not_proposed()
    {
        var suggestion = SuggestFrom(i => $"<div class=\"advert\">{Ad(i)}<h2>Gastenboek</h2><p>Top avond gehad, groet van Kees {i}, 06-9988776{i}</p></div>" +
                                          $"<div class=\"kop\"><h1>Dame {i}</h1><p>Nieuw {i}</p></div>");

        Assert.That(suggestion.AdRegion, Is.Null, suggestion.ToYaml());
    }

    [Test]
    public void A_selector_is_proposed_for_drop_only_when_all_its_elements_stay_the_same()
    {
        var suggestion = SuggestFrom(i => $"<div class=\"box\">Welkom op de site, de gids van alle dames</div><div class=\"box\">{Ad(i)}</div>" +
                                          "<div class=\"voet\">Alle rechten voorbehouden, de gids van alle dames</div>");

        Assert.Multiple(() =>
        {
            Assert.That(suggestion.Drop, Does.Not.Contain("div.box"), "a box of the site and the ad's box are both div.box");
            Assert.That(suggestion.Drop, Does.Contain("div.voet"));
        });
    }

    [Test]
    public void What_changes_is_proposed_as_the_region_and_what_stays_as_drop()
    {
        var suggestion = SuggestFrom(i => $"<div id=\"top\">Welkom op de site, de gids van alle dames</div><div class=\"wrap\"><div class=\"advert\">{Ad(i)}</div>" +
                                          "<div class=\"promo\">Adverteren? Mail ons vandaag nog!</div></div>");

        Assert.Multiple(() =>
        {
            Assert.That(suggestion.AdRegion, Is.EqualTo("div.advert"));
            Assert.That(suggestion.Drop, Is.SupersetOf(new[] { "div#top", "div.promo" }));
            Assert.That(suggestion.ToYaml(), Does.Contain("adRegion: [\"div.advert\"]"));
        });
    }

    [TestCase("classic")]
    [TestCase("cards")]
    [TestCase("forum")]
    [TestCase("jsonld")]
    public void The_profile_proposed_from_a_layouts_pages_extracts_those_pages_as_expected(string layout)
    {
        // Every saved page of the layout (ads, a listing, a login, a news item ...), as a specialist would save them.
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", layout);
        var yaml = ProfileSuggester.Suggest(Directory.GetFiles(dir, "*.html").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList()).ToYaml();
        var policy = PolicySetLoader.Load([.. TestPolicy.Files(), new PolicyFileText("profiles/suggested.yaml", yaml)]);
        var extractor = new AdExtractor(policy.Fetch.NotPublicSelectors, policy.Urls, policy.Profiles.Get("suggested"));

        var report = ProfileTester.Run(extractor, dir, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1)));

        Assert.Multiple(() =>
        {
            Assert.That(yaml, Does.Not.Contain("adRegion: []"), yaml);
            Assert.That(report.Ok, Is.True, yaml + report.ToText());
        });
    }
}
