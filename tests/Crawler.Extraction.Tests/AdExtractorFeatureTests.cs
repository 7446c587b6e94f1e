using NUnit.Framework;
using Crawler.Core.Policy;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The new ad features end to end on small pages: label/value structures, structured data, dates,
/// images, ad ids, and above all that nothing of a dropped third-party region reaches any feature.
/// </summary>
public sealed class AdExtractorFeatureTests
{
    private static readonly Uri Page = new("https://ads.example/advertentie/12345-lisa.html");
    private static readonly DateTimeOffset Fetched = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1));

    private static Core.Hits.AdFeatures Extract(string body, string head = "", ExtractionProfile? profile = null) =>
        new AdExtractor(profile: profile).Extract($"<html><head>{head}</head><body>{body}</body></html>", Page, Fetched).Ad;

    private const string Contact = "<p>Bel me voor een afspraak: 06-12345678</p>";

    [Test]
    public void A_definition_list_is_read_as_labels_and_values()
    {
        var ad = Extract("<main><h1>Nieuw!</h1>" + Contact +
                         "<dl><dt>Naam</dt><dd>Lisa</dd><dt>Nationaliteit</dt><dd>Roemeens</dd><dt>Talen:</dt><dd>engels, nederlands</dd>" +
                         "<dt>Plaats</dt><dd>den haag</dd><dt>Postcode</dt><dd>2511</dd><dt>Ontvangst</dt><dd>ja</dd><dt>Escort</dt><dd>nee</dd>" +
                         "<dt>Geplaatst</dt><dd>gisteren</dd><dt>Advertentie-ID</dt><dd>A-778899</dd></dl></main>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Name, Is.EqualTo("Lisa"));
            Assert.That(ad.Nationalities, Is.EqualTo(new[] { "romanian" }));
            Assert.That(ad.Languages, Is.EqualTo(new[] { "en", "nl" }));
            Assert.That(ad.Locations!.Select(l => l.Kind + ":" + l.Value), Is.EquivalentTo(new[] { "city:Den Haag", "postcode-area:2511" }));
            Assert.That(ad.Venues, Is.EqualTo(new[] { "incall" }));
            Assert.That(ad.PostedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(1))));
            Assert.That(ad.AdId, Is.EqualTo("A-778899"));
        });
    }

    [Test]
    public void A_two_column_table_is_read_as_labels_and_values()
    {
        var ad = Extract("<main>" + Contact + "<table><tr><th>Name</th><td>Marit</td></tr><tr><td>Languages</td><td>Spanish, English</td></tr>" +
                         "<tr><td>Services</td><td>GFE, massage</td></tr><tr><td>City</td><td>Breda</td></tr><tr><td>a</td><td>b</td><td>c</td></tr></table></main>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Name, Is.EqualTo("Marit"));
            Assert.That(ad.Languages, Is.EqualTo(new[] { "es", "en" }));
            Assert.That(ad.Services, Is.EqualTo(new[] { "gfe", "massage" }));
            Assert.That(ad.Locations!.Select(l => l.Value), Is.EqualTo(new[] { "Breda" }));
        });
    }

    [Test]
    public void A_service_or_venue_refused_after_it_is_not_recorded_and_a_word_that_merely_follows_a_negation_keeps_it()
    {
        var refused = Extract("<main>" + Contact + "<p>Massage en GFE. Anaal doe ik niet. Het escort is niet mogelijk, alleen ontvangst.</p></main>");
        var kept = Extract("<main>" + Contact + "<p>Hotelbezoek is niet duur.</p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Services, Is.EqualTo(new[] { "massage", "gfe" }));
            Assert.That(refused.Venues, Is.EqualTo(new[] { "incall" }));
            Assert.That(kept.Venues, Is.EqualTo(new[] { "outcall", "hotel" }));
        });
    }

    [Test]
    public void A_services_label_value_refused_after_the_service_does_not_give_it()
    {
        var ad = Extract("<main>" + Contact + "<dl><dt>Diensten</dt><dd>GFE, anaal niet mogelijk, zoenen: nee</dd></dl></main>");

        Assert.That(ad.Services, Is.EqualTo(new[] { "gfe" }));
    }

    [Test]
    public void JSON_LD_of_one_product_and_its_seller_is_read()
    {
        const string jsonLd = """
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Kim in Den Haag","sku":"KD-2026-7",
            "image":["/img/kim-1.jpg",{"@type":"ImageObject","contentUrl":"https://cdn.example.nl/kim-2.jpg"}],"datePosted":"2026-11-02T10:15:00+01:00",
            "offers":{"@type":"Offer","price":"150.00","priceCurrency":"EUR","seller":{"@type":"Person","name":"Kim","telephone":"+31 6 87654321",
            "email":"kim@example.nl","address":{"@type":"PostalAddress","addressLocality":"'s-Gravenhage","postalCode":"2512 AB"},
            "nationality":{"@type":"Country","name":"Thailand"},"knowsLanguage":["English","Thai"]}}}</script>
            <meta property="og:image" content="https://ads.example/img/kim-1.jpg">
            """;
        var ad = Extract("<main><p>Afspraak? Bel of app.</p></main>", jsonLd);

        Assert.Multiple(() =>
        {
            Assert.That(ad.IsAd, Is.True, ad.NotAdReason);
            Assert.That(ad.Title, Is.EqualTo("Kim in Den Haag"));
            Assert.That(ad.Name, Is.EqualTo("Kim"));
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31687654321" }));
            Assert.That(ad.Emails, Is.EqualTo(new[] { "kim@example.nl" }));
            Assert.That(ad.AdId, Is.EqualTo("KD-2026-7"));
            Assert.That(ad.PostedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 2, 10, 15, 0, TimeSpan.FromHours(1))));
            Assert.That(ad.Locations!.Select(l => l.Value), Is.EquivalentTo(new[] { "Den Haag", "2512" }));
            Assert.That(ad.Nationalities, Is.EqualTo(new[] { "thai" }));
            Assert.That(ad.Languages, Is.EqualTo(new[] { "en", "th" }));
            Assert.That(ad.Prices!.Select(p => p.Amount), Is.EqualTo(new[] { 150m }));
            Assert.That(ad.Images!.Select(i => i.ToString()), Is.EqualTo(new[] { "https://ads.example/img/kim-1.jpg", "https://cdn.example.nl/kim-2.jpg" }));
        });
    }

    [TestCase("""{"@type":"ItemList","itemListElement":[{"@type":"Product","name":"Other ad","image":"/img/other.jpg","offers":{"seller":{"@type":"Person","name":"Nina","telephone":"+31611112222"}}}]}""")]
    [TestCase("""[{"@type":"Product","name":"A","sku":"1111"},{"@type":"Product","name":"B","sku":"2222"}]""")]
    [TestCase("""{"@type":"Organization","name":"Site BV","telephone":"+31611112222","email":"info@example.org"}""")]
    [TestCase("""{"@type":"Product", "name": "broken""")]
    public void Structured_data_of_listings_operators_or_broken_JSON_is_not_read(string json)
    {
        var ad = Extract("<main>" + Contact + "</main>", $"<script type=\"application/ld+json\">{json}</script>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(ad.Emails, Is.Empty);
            Assert.That(ad.Name, Is.Null);
            Assert.That(ad.AdId, Is.Null);
            Assert.That(ad.Images, Is.Empty);
        });
    }

    [Test]
    public void The_posting_date_is_the_cued_time_element_not_an_availability_date()
    {
        var ad = Extract("<main>" + Contact + "<p>Beschikbaar tot <time datetime=\"2026-12-24\">kerstavond</time></p>" +
                         "<p>Geplaatst op <time datetime=\"2026-11-02T09:00\">2 november</time></p></main>");

        Assert.That(ad.PostedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1))));
    }

    [Test]
    public void Images_are_absolute_lazy_loaded_ones_included_and_tracking_pixels_left_out()
    {
        var ad = Extract("<main>" + Contact + "<img src=\"/a.jpg\"><img src=\"data:image/gif;base64,R0l\" data-src=\"b.jpg\">" +
                         "<img srcset=\"/c-800.jpg 800w, /c-400.jpg 400w\"><img src=\"/pixel.gif\" width=\"1\" height=\"1\"><img src=\"javascript:x\"><img src=\"/a.jpg\"></main>");

        Assert.That(ad.Images!.Select(i => i.ToString()), Is.EqualTo(new[]
        {
            "https://ads.example/a.jpg", "https://ads.example/advertentie/b.jpg", "https://ads.example/c-800.jpg",
        }));
    }

    [Test]
    public void A_WhatsApp_link_with_a_number_is_a_phone_and_a_handle()
    {
        var ad = Extract("<main><p>Afspraak? <a href=\"https://wa.me/31687654321\">App mij</a> of <a href=\"https://t.me/lisa_nl\">Telegram</a></p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31687654321" }));
            Assert.That(ad.Messengers!.Select(m => m.Platform + ":" + m.Handle), Is.EquivalentTo(new[] { "whatsapp:+31687654321", "telegram:lisa_nl" }));
        });
    }

    [Test]
    public void Nothing_of_a_review_reaches_any_feature()
    {
        var ad = Extract("<main><article class=\"ad\"><h1>Lisa in Utrecht</h1><p>Ik ben Lisa. Bel me voor een afspraak: 06-12345678</p><img src=\"/lisa.jpg\"></article>" +
                         "<section class=\"reviews\"><div class=\"review\"><p>Ik ben Mark uit Rotterdam, Roemeense vriendin, spreek Duits. Telegram: @mark_r " +
                         "<a href=\"https://wa.me/31611112222\">app</a> <img src=\"/mark.jpg\"> Geplaatst: gisteren. Escort, anaal. Advertentie-ID: 999</p></div></section></main>" +
                         "<footer><p>Klantenservice 085-1234567, Telegram: @site_support</p></footer>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.Name, Is.EqualTo("Lisa"));
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(ad.Messengers, Is.Empty);
            Assert.That(ad.Locations!.Select(l => l.Value), Is.EqualTo(new[] { "Utrecht" }));
            Assert.That(ad.Nationalities, Is.Empty);
            Assert.That(ad.Languages, Is.Empty);
            Assert.That(ad.Venues, Is.Empty);
            Assert.That(ad.Services, Is.Empty);
            Assert.That(ad.PostedAt, Is.Null);
            Assert.That(ad.AdId, Is.Null);
            Assert.That(ad.Images!.Select(i => i.ToString()), Is.EqualTo(new[] { "https://ads.example/lisa.jpg" }));
        });
    }

    [Test]
    public void A_region_only_the_profile_knows_is_dropped_by_the_profile_and_read_by_the_heuristic()
    {
        const string body = "<div class=\"card\"><h2>Lisa</h2><p>Bel me voor een afspraak: 06-12345678</p></div>" +
                            "<div class=\"guestbook\"><p>Dirk: app me op 06-13579246, Telegram @dirk_v</p></div>";
        var profile = ExtractionProfile.Generic with { Name = "site", Drop = [".guestbook"] };

        var generic = Extract(body);
        var profiled = Extract(body, profile: profile);

        Assert.Multiple(() =>
        {
            Assert.That(generic.Phones.Select(p => p.E164), Does.Contain("+31613579246"), "the heuristic cannot know this region");
            Assert.That(profiled.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(profiled.Messengers, Is.Empty);
            Assert.That(profiled.RemovedThirdPartyRegions, Is.EqualTo(generic.RemovedThirdPartyRegions + 1));
        });
    }

    [Test]
    public void With_a_body_selector_only_title_body_fields_and_contact_are_read()
    {
        var profile = ExtractionProfile.Generic with
        {
            Name = "site", AdRegion = ["#ad"], Title = "h1", Body = ".text", Fields = ["dl.facts"], Contact = ".contact",
            Images = ".photos img", Date = ".when", AdId = new AdIdSource(null, null, @"/advertentie/(\d+)-"),
        };
        const string body = "<div id=\"ad\"><h1>Lisa in Utrecht</h1><p class=\"when\">Online sinds 3 uur geleden</p><div class=\"text\"><p>Ik ben Lisa, GFE.</p></div>" +
                            "<div class=\"promo\">Ook Nina uit Rotterdam: 06-19999999, massage</div><dl class=\"facts\"><dt>Talen</dt><dd>Engels</dd></dl>" +
                            "<div class=\"photos\"><img src=\"/l.jpg\"></div><img src=\"/banner.jpg\"></div><div class=\"contact\">Afspraak: 06-12345678</div>";

        var ad = Extract(body, profile: profile);

        Assert.Multiple(() =>
        {
            Assert.That(ad.Title, Is.EqualTo("Lisa in Utrecht"));
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(ad.Services, Is.EqualTo(new[] { "gfe" }));
            Assert.That(ad.Locations!.Select(l => l.Value), Is.EqualTo(new[] { "Utrecht" }));
            Assert.That(ad.Languages, Is.EqualTo(new[] { "en" }));
            Assert.That(ad.Images!.Select(i => i.ToString()), Is.EqualTo(new[] { "https://ads.example/l.jpg" }));
            Assert.That(ad.PostedAt, Is.EqualTo(Fetched.AddHours(-3)));
            Assert.That(ad.AdId, Is.EqualTo("12345"));
            Assert.That(ad.Text, Does.Not.Contain("Nina"));
        });
    }

    [Test]
    public void The_ad_id_comes_from_a_label_before_structured_data_attributes_and_prose()
    {
        var ad = Extract("<main data-ad-id=\"ATTR-1\">" + Contact + "<p>Advertentienummer #4375529841</p><dl><dt>Ad ID</dt><dd>2026-00100</dd></dl></main>",
            "<script type=\"application/ld+json\">{\"@type\":\"Product\",\"sku\":\"SKU-2\"}</script>");

        Assert.That(ad.AdId, Is.EqualTo("2026-00100"));
    }

    [TestCase("Vermeld ad id 2026-00126 bij contact", "2026-00126")]
    [TestCase("Ad\nnumber #4082343061: please quote it", "4082343061")]
    [TestCase("Advertentienummer: AB-1234", "AB-1234")]
    [TestCase("Profile ID 77-1234 (old)", "77-1234")]
    [TestCase("Geen nummer hier, alleen 24/7", null)]
    public void An_ad_id_in_the_text_is_read_when_nothing_else_gives_one(string sentence, string? id)
    {
        var ad = Extract("<main>" + Contact + "<p>" + sentence.Replace("\n", "<br>", StringComparison.Ordinal) + "</p></main>");

        Assert.That(ad.AdId, Is.EqualTo(id));
    }

    [Test]
    public void A_page_that_is_no_ad_yields_none_of_the_new_features()
    {
        var ad = Extract("<main><h1>Nieuws uit Utrecht</h1><p>Ik ben Anna, Roemeense journaliste. Geplaatst gisteren. <img src=\"/a.jpg\"> Telegram: @redactie_nl</p></main>");

        Assert.Multiple(() =>
        {
            Assert.That(ad.IsAd, Is.False);
            Assert.That(ad.Name, Is.Null);
            Assert.That(ad.Locations, Is.Empty);
            Assert.That(ad.Nationalities, Is.Empty);
            Assert.That(ad.Messengers, Is.Empty);
            Assert.That(ad.Images, Is.Empty);
            Assert.That(ad.PostedAt, Is.Null);
        });
    }

    [Test]
    public void Without_a_fetch_time_a_relative_posting_date_stays_unknown()
    {
        var ad = new AdExtractor().Extract("<main>" + Contact + "<p>Geplaatst: gisteren</p></main>", Page).Ad;

        Assert.That(ad.PostedAt, Is.Null);
    }

    [TestCase("<p>Postcode 3511 AB, ad id 2026-00107, 24/7, € 1500, 1.68 m, geplaatst 20-11-2026</p>")]
    public void Postcodes_ad_ids_and_dates_are_no_phone_numbers(string html)
    {
        var ad = Extract("<main>" + html + "<a href=\"https://t.me/lisa_nl\">Telegram</a> afspraak</main>");

        Assert.That(ad.Phones, Is.Empty);
    }

    [Test]
    public void Deeply_nested_markup_and_huge_structured_data_do_not_break_extraction()
    {
        var deep = string.Concat(Enumerable.Repeat("<div>", 20_000)) + Contact + string.Concat(Enumerable.Repeat("</div>", 20_000));
        var huge = "<script type=\"application/ld+json\">{\"@type\":\"Product\",\"name\":\"" + new string('x', 300_000) + "\"}</script>" +
                   "<script type=\"application/ld+json\">" + string.Concat(Enumerable.Repeat("[", 5_000)) + "</script>";

        var ad = Extract("<main>" + deep + "</main>", huge);

        Assert.Multiple(() =>
        {
            Assert.That(ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(ad.Title, Is.Null);
        });
    }

    [Test]
    public void An_invalid_selector_given_in_code_is_refused_when_the_extractor_is_made()
    {
        var profile = ExtractionProfile.Generic with { Name = "site", Drop = ["div["] };

        var ex = Assert.Throws<ArgumentException>(() => _ = new AdExtractor(profile: profile));

        Assert.That(ex.Message, Does.Contain("'div[' is not a valid CSS selector"));
    }
}
