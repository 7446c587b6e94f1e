using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// Mechanisms added when the second blind corpus showed where the generic profile failed, each on a small page written
/// for this test (never a corpus page): cards of others that offer a contact, a bar of the ad's own contact buttons,
/// a thread whose container a class calls replies, a number given for someone else, a page that is a guestbook, and
/// the country of a page by the places it names.
/// </summary>
public sealed class UnseenLayoutTests
{
    private static readonly Uri Page = new("https://www.adsite.example/@lisa");

    private static PageExtraction Extract(string body, string lang = "nl", string title = "Lisa", Uri? url = null) =>
        new AdExtractor().Extract($"<html lang=\"{lang}\"><head><title>{title}</title></head><body>{body}</body></html>", url ?? Page, null, null);

    private static string[] Phones(PageExtraction page) => page.Ad.Phones.Select(p => p.E164).ToArray();

    [TestCase(1)]
    [TestCase(2)]
    public void Cards_of_others_that_offer_a_contact_are_removed_however_few(int cards)
    {
        var list = string.Concat(Enumerable.Range(1, cards).Select(i =>
            $"<li><a href=\"/@other{i}\"><img src=\"/a/{i}.webp\" alt=\"\"></a><a href=\"/@other{i}\">@other{i}</a><a href=\"https://wa.me/3161234560{i}\">app</a></li>"));
        var page = Extract($"<main><h1>Lisa</h1><p>Escort in Utrecht, bel me: 06-12345678.</p><section><h2>Ontdek</h2><ul>{list}</ul></section></main>");

        Assert.Multiple(() =>
        {
            Assert.That(Phones(page), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Sections.TeaserItems, Is.EqualTo(cards));
        });
    }

    [Test]
    public void Two_cards_without_a_contact_are_left_to_the_ad()
    {
        var page = Extract("<main><h1>Lisa</h1><p>Escort in Utrecht, bel me: 06-12345678.</p><ul><li><a href=\"/fotos\">Foto's</a></li>" +
                           "<li><a href=\"/video\">Video</a></li></ul></main>");

        Assert.That(page.Sections.TeaserItems, Is.Zero);
    }

    [Test]
    public void A_bar_of_the_ads_own_contact_buttons_in_main_is_read_and_the_sites_menu_is_not()
    {
        var page = Extract("<nav><a href=\"/\">Home</a> <a href=\"tel:+31201234567\">klantenservice</a></nav>" +
                           "<main><h1>Lisa</h1><p>Escort in Utrecht.</p><nav aria-label=\"Links\"><a href=\"https://wa.me/31612345678\">WhatsApp</a>" +
                           "<a href=\"https://t.me/lisa\">Telegram</a></nav></main>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
            Assert.That(Phones(page), Is.EqualTo(new[] { "+31612345678" }));
        });
    }

    [Test]
    public void A_thread_in_a_container_a_class_calls_replies_is_read_from_its_opening_post()
    {
        static string Post(string poster, string text) =>
            $"<article class=\"post\"><div class=\"user\"><a href=\"/members/{poster}.1/\">{poster}</a></div><div class=\"body\">{text}</div></article>";
        var page = Extract("<h1>Lisa (26) in Utrecht</h1><div class=\"js-replyContainer\">" +
                           Post("lisa", "Hallo, ik ben Lisa, escort in Utrecht. Bel me voor een afspraak: 06-12345678. Ook hotelbezoek.") +
                           Post("jan", "Leuke advertentie! Mijn tip: Kim in Zeist, 06-87654321, ook heel lief en altijd bereikbaar.") + "</div>" +
                           "<div class=\"comments\"><article><a href=\"/members/piet.2/\">piet</a> Bel ook Anna: 06-11223344, echt een aanrader voor iedereen hier.</article></div>");

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.True, page.Ad.NotAdReason);
            Assert.That(Phones(page), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Sections.Replies, Is.EqualTo(1));
        });
    }

    [TestCase("en", "Not me: if you like a duo, my friend Dana has her own place, ask her on 06 87 65 43 21.")]
    [TestCase("nl", "Niet ik maar een vriendin van mij doet ook massage: bel 06 87 65 43 21.")]
    [TestCase("de", "Meine Kollegin Mia ist auch im Studio, ruf 0176 8765 4321 an.")]
    public void A_number_given_only_for_someone_else_is_theirs(string lang, string sentence)
    {
        var page = Extract($"<main><h1>Lisa</h1><p>Escort, call me: +31 6 12345678</p><p>{sentence}</p></main>", lang);

        Assert.That(Phones(page), Is.EqualTo(new[] { "+31612345678" }));
    }

    [Test]
    public void The_ads_own_number_stays_when_it_also_stands_outside_such_a_sentence()
    {
        var page = Extract("<main><h1>Lisa</h1><p>Escort, call me: 06 12 34 56 78</p><p>My friend Dana joins for duos, same number: 06 12 34 56 78.</p></main>", "en");

        Assert.That(Phones(page), Is.EqualTo(new[] { "+31612345678" }));
    }

    [TestCase("<h1>Gastenboek</h1>", "Club")]
    [TestCase("<h2>Welkom</h2>", "Livre d'or / Gastenboek - Club")]
    public void A_page_that_begins_as_a_guestbook_is_no_ad(string heading, string title)
    {
        var page = Extract($"{heading}<p>Piet: top escort! Bel 06-12345678 voor een afspraak.</p>", title: title);

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.IsAd, Is.False);
            Assert.That(page.Kind, Is.EqualTo(PageKind.ThirdParty));
        });
    }

    [TestCase("Ik woon in Kortrijk, spreek Nederlands.", "BE")]
    [TestCase("Ik woon in Zwolle, spreek Nederlands.", "NL")]
    public void A_page_without_country_domain_or_region_is_read_in_the_country_of_the_places_it_names(string text, string country)
    {
        var page = Extract($"<main><h1>Lisa</h1><p>{text} Bel 0479 31 88 20.</p></main>", url: new Uri("https://www.club.example/lisa"));

        Assert.That(page.Country, Is.EqualTo(country));
    }
}
