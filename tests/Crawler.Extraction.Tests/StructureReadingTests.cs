using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// More of issue 22's mechanisms on small pages written for these tests (never the blind corpus): which element is
/// the ad, tab panels and concealed text, what a page's structured data says it is, and lists inside the ad region.
/// </summary>
public sealed class StructureReadingTests
{
    private static readonly Uri Page = new("https://www.adsite.example/profiel/77");

    private static PageExtraction Extract(string body, string head = "", Uri? url = null, string lang = "nl") =>
        new AdExtractor().Extract($"<html lang=\"{lang}\"><head><title>Profiel</title>{head}</head><body>{body}</body></html>", url ?? Page, null, null);

    [Test]
    public void The_one_article_in_the_main_content_is_the_ad_and_what_stands_beside_it_is_not()
    {
        var page = Extract("<main><article><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p></article>" +
                           "<section><h2>Ook in de regio</h2><ul>" +
                           "<li data-phone=\"+31687654321\"><a href=\"/profiel/78\">Noor, 24</a></li>" +
                           "<li data-phone=\"+31611223344\"><a href=\"/profiel/79\">Fleur, 31</a></li></ul></section></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Ages, Is.Empty);
        });
    }

    [Test]
    public void Of_several_articles_the_one_with_the_main_heading_is_the_ad()
    {
        var page = Extract("<main><article><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p></article>" +
                           "<article><h3>Noor</h3><p>Escort, 06-87654321</p></article><article><h3>Fleur</h3><p>Escort, 06-11223344</p></article></main>");

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
    }

    [Test]
    public void Several_articles_without_one_main_heading_leave_the_main_content()
    {
        var page = Extract("<main><h1>Mirte</h1><article><p>Privé ontvangst, bel 06-12345678.</p></article><article><p>Foto's volgen.</p></article></main>");

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
        Assert.That(page.ProfileAdvised, Is.False);
    }

    [TestCase("BlogPosting")]
    [TestCase("NewsArticle")]
    [TestCase("FAQPage")]
    public void A_page_whose_structured_data_says_it_is_an_article_is_no_ad(string type)
    {
        var page = Extract("<main><h1>Veilig afspreken in vijf stappen</h1><p>Maak een afspraak altijd via de site. Twijfel? Bel de hulplijn 06-12345678 " +
                           "of de politie.</p></main>", $"<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"{type}\",\"headline\":\"Veilig\"}}</script>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.False);
            Assert.That(page.Ad.Phones, Is.Empty);
            Assert.That(page.Ad.NotAdReason, Does.Contain("structured data"));
        });
    }

    [Test]
    public void An_article_type_beside_an_ad_item_leaves_the_ad_an_ad()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p></main>",
            "<script type=\"application/ld+json\">[{\"@type\":\"Article\"},{\"@type\":\"Person\",\"name\":\"Mirte\"}]</script>");

        Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
    }

    [Test]
    public void A_business_described_at_the_pages_own_address_is_the_ad_and_the_sites_organisation_is_not()
    {
        const string ld = """
            <script type="application/ld+json">{"@type":"Organization","url":"https://www.adsite.example/","telephone":"+31 85 000 11 22",
              "address":{"postalCode":"1011","addressLocality":"Amsterdam"}}</script>
            <script type="application/ld+json">{"@type":"DaySpa","url":"https://adsite.example/profiel/77/","telephone":"+31 6 1234 5678",
              "address":{"postalCode":"3512","addressLocality":"Utrecht"}}</script>
            """;
        var page = Extract("<main><h1>Salon Mirte</h1><p>Massage op afspraak.</p></main>", ld);

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Locations!.Select(l => l.Value), Is.EquivalentTo(new[] { "Utrecht", "3512" }));
        });
    }

    [Test]
    public void A_tab_panel_is_read_or_dropped_by_what_its_tab_says_open_or_closed()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p>" +
                           "<div role=\"tablist\"><button id=\"t1\" role=\"tab\">Prijzen</button><button id=\"t2\" role=\"tab\">Wat klanten zeggen</button>" +
                           "<button id=\"t3\" role=\"tab\">Beoordelingen (2)</button></div>" +
                           "<section role=\"tabpanel\" aria-labelledby=\"t1\" hidden><p>Een uur kost bij mij € 150, een half uur € 90. Ook 's avonds en in het weekend " +
                           "op afspraak, alleen met een bevestiging vooraf.</p></section>" +
                           "<section role=\"tabpanel\" aria-labelledby=\"t3\"><p>Piet: aanrader, haar vriendin is ook leuk, bel 06-87654321</p></section></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Prices!.Select(p => p.Amount), Is.EquivalentTo(new[] { 150m, 90m }), "the closed panel of the ad's own tab is read");
        });
    }

    [Test]
    public void A_long_concealed_block_without_a_tab_is_not_read()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p>" +
                           "<div style=\"display: none\"><p>Oude berichten van bezoekers die niet meer getoond worden, met nummers als 06-87654321 " +
                           "en meer tekst dan een knop ooit zou hebben.</p></div></main>");

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
    }

    [Test]
    public void A_concealed_digit_group_inside_a_number_is_a_decoy_and_the_number_was_hidden()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst. Bel <span>06</span><span style=\"display:none\">4444</span>" +
                           "<span> 1234</span><span hidden>77</span><span> 5678</span></p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Phones[0].Obfuscated, Is.True);
            Assert.That(page.Ad.Hidden!.Select(h => h.Value), Is.EqualTo(new[] { "+31612345678" }));
        });
    }

    [Test]
    public void A_number_behind_a_reveal_button_is_read_apart_from_the_text()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst.</p><button>Toon nummer</button><span hidden>06 1234 5678</span></main>");

        Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
        Assert.That(page.Ad.Phones[0].Obfuscated, Is.False, "the site hid it, not the poster");
    }

    [Test]
    public void A_login_box_beside_an_ad_that_shows_its_contact_is_no_wall()
    {
        var page = Extract("<table><tr><td><form>Gebruiker <input name=\"u\"> Wachtwoord <input type=\"password\" name=\"p\"></form></td></tr></table>" +
                           "<main><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678.</p></main>");
        var wall = Extract("<main><h1>Mirte</h1><p>Log in om deze advertentie te zien.</p><form><input type=\"password\" name=\"p\"></form></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.NotPublic, Is.False);
            Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
            Assert.That(wall.NotPublic, Is.True);
        });
    }

    [TestCase("Vandaag bij ons: Roos (24), Femke (31) en Lot (45).", new[] { 24, 31, 45 })]
    [TestCase("Zussen Ivy & Jade (21 en 23) ontvangen samen.", new[] { 21, 23 })]
    [TestCase("Foto's (16) · Video's (12) · Maat (38) · Reviews (19)", new int[0])]
    [TestCase("Fotos (17), Bewertungen (20), Größe (36)", new int[0])]
    public void Ages_in_brackets_after_a_name_are_read_and_counts_are_not(string text, int[] ages)
    {
        var page = Extract($"<main><h1>Huize Marijke</h1><p>Privé ontvangst, bel 06-12345678.</p><p>{text}</p></main>");

        Assert.That(page.Ad.Ages, Is.EqualTo(ages));
    }

    [Test]
    public void A_label_row_with_one_value_per_person_gives_every_age()
    {
        var page = Extract("<main><h1>Duo Sanne en Mila</h1><p>Escort, bel 06-12345678.</p>" +
                           "<table><tr><th></th><th>Sanne</th><th>Mila</th></tr><tr><td>Leeftijd</td><td>27</td><td>34</td></tr>" +
                           "<tr><td>Lengte</td><td>1,68 m</td><td>1,74 m</td></tr></table>" +
                           "<dl><dt>Ages</dt><dd>27 &amp; 34</dd></dl></main>");

        Assert.That(page.Ad.Ages, Is.EquivalentTo(new[] { 27, 34 }));
    }

    [TestCase("27 / 34", new[] { 27, 34 })]
    [TestCase("27 jaar en 34 jaar", new[] { 27, 34 })]
    [TestCase("25-30", new int[0])]
    [TestCase("18+", new int[0])]
    [TestCase("27 (op de foto 25)", new int[0])]
    public void A_value_labelled_age_is_a_list_of_ages_or_nothing(string value, int[] ages)
    {
        Assert.That(AdDetails.AgesIn(value), Is.EqualTo(ages));
    }

    [Test]
    public void A_counted_word_must_be_one_word_in_the_vocabulary()
    {
        var text = File.ReadAllText(Path.Combine(TestPolicy.PoliciesDir, ExtractionVocabulary.FileName))
            .Replace("countedThings:\n  nl: [foto,", "countedThings:\n  nl: [\"foto album\",", StringComparison.Ordinal);

        var problem = Assert.Throws<Core.Yaml.InputException>(() => ExtractionVocabulary.Parse("v.yaml", text));

        Assert.That(problem!.Message, Does.Contain("countedThings.nl").And.Contain("more than one word"));
    }

    [TestCase("https://www.adsite.example/a", "nl", "Ik ontvang in Zwolle-Zuid (8022), vlak bij de ring.", new[] { "Zwolle", "8022" })]
    [TestCase("https://www.adsite.example/a", "nl", "Te vinden in Tilburg (Reeshof, postcode 5043).", new[] { "Tilburg", "5043" })]
    [TestCase("https://www.adsite.example.be/a", "fr", "Je reçois à Namur (5000), près de la gare.", new[] { "Namur", "5000" })]
    [TestCase("https://www.adsite.example.de/a", "de", "Besuch mich in 04109 Leipzig, ganz diskret.", new[] { "Leipzig", "04109" })]
    [TestCase("https://www.adsite.example.de/a", "de", "Seit 2019 in Leipzig, Termine ab 10 Uhr.", new[] { "Leipzig" })]
    [TestCase("https://www.adsite.example/a", "nl", "Amsterdam (2026 editie) en verder.", new[] { "Amsterdam" })]
    public void A_postcode_of_the_places_country_beside_the_place_is_its_area(string url, string lang, string text, string[] expected)
    {
        var page = Extract($"<main><h1>Mirte</h1><p>Privé ontvangst, bel 06-12345678 of 0471 12 34 56 of 0176 1234567.</p><p>{text}</p></main>",
            url: new Uri(url), lang: lang);

        Assert.That(page.Ad.Locations!.Select(l => l.Value), Is.EqualTo(expected));
    }

    [TestCase("Ort", "https://www.adsite.example.de/a", "de", "10115 Berlin-Mitte", new[] { "Berlin", "10115" })]
    [TestCase("Ville", "https://www.adsite.example.be/a", "fr", "Bruxelles 1050", new[] { "Bruxelles", "1050" })]
    [TestCase("PLZ", "https://www.adsite.example.de/a", "de", "04109", new[] { "04109" })]
    public void French_and_german_place_labels_are_read_with_their_postcodes(string label, string url, string lang, string value, string[] expected)
    {
        var page = Extract($"<main><h1>Mirte</h1><p>Escort, bel 0471 12 34 56 of 0176 1234567.</p><dl><dt>{label}</dt><dd>{value}</dd></dl></main>",
            url: new Uri(url), lang: lang);

        Assert.That(page.Ad.Locations!.Select(l => l.Value), Is.EquivalentTo(expected));
    }

    [Test]
    public void A_place_of_another_country_than_the_pages_needs_a_place_word()
    {
        var page = Extract("<main><h1>Mirte</h1><p>Privé ontvangst in Gent, bel 0471 12 34 56. Mijn appartement ligt op het Kiel, " +
                           "met Namen en adressen ga ik discreet om; ik kom ook naar klanten in Maastricht.</p></main>",
            url: new Uri("https://www.adsite.example.be/a"));

        Assert.That(page.Ad.Locations!.Select(l => l.Value), Is.EqualTo(new[] { "Gent", "Maastricht" }));
    }

    [Test]
    public void Microdata_contacts_of_the_item_in_the_region_are_the_ads()
    {
        var page = Extract("<main><article itemscope itemtype=\"https://schema.org/Person\"><h1 itemprop=\"name\">Mirte</h1><p>Privé ontvangst.</p>" +
                           "<meta itemprop=\"email\" content=\"mirte@mail.example\"><meta itemprop=\"telephone\" content=\"+31 6 1234 5678\"></article></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Emails, Is.EqualTo(new[] { "mirte@mail.example" }));
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
        });
    }
}
