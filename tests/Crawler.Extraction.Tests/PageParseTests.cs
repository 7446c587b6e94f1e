using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The parser runs without AngleSharp's attribute observers, meta-charset handler and link relations (they cost a
/// fifth of the parse and act on nothing the extraction reads): links, base addresses, classes and images must
/// come out exactly as a full browsing context would give them.
/// </summary>
public sealed class PageParseTests
{
    private static readonly Uri Page = new("https://ads.example/regio/utrecht/ad-1.html");

    [Test]
    public void A_base_element_still_decides_where_relative_links_and_images_point()
    {
        var page = new AdExtractor().Extract(
            "<html><head><base href=\"https://ads.example/nl/\"></head><body><main><p>Bel me voor een afspraak: 06-12345678</p>" +
            "<img src=\"media/1.jpg\" width=\"300\"><a href=\"ads/5.html\">volgende</a></main></body></html>", Page);

        Assert.Multiple(() =>
        {
            Assert.That(page.Links, Is.EqualTo(new[] { new Uri("https://ads.example/nl/ads/5.html") }));
            Assert.That(page.Ad.Images, Is.EqualTo(new[] { new Uri("https://ads.example/nl/media/1.jpg") }));
        });
    }

    [Test]
    public void A_base_element_with_another_scheme_is_ignored()
    {
        var page = new AdExtractor().Extract(
            "<html><head><base href=\"javascript:alert(1)\"></head><body><a href=\"ad-2.html\">x</a></body></html>", Page);

        Assert.That(page.Links, Is.EqualTo(new[] { new Uri("https://ads.example/regio/utrecht/ad-2.html") }));
    }

    [Test]
    public void Classes_and_ids_set_by_the_parser_still_select_regions_to_drop()
    {
        var page = new AdExtractor().Extract(
            "<html><body><main><p>Bel me voor een afspraak: 06-12345678</p>" +
            "<div class=\"box user-review\"><p>Klant: bel ook 06-19876543</p></div>" +
            "<div id=\"comments-3\"><p>mail mij: klant@example.com</p></div></main></body></html>", Page);

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.RemovedThirdPartyRegions, Is.EqualTo(2));
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345678" }));
            Assert.That(page.Ad.Emails, Is.Empty);
        });
    }

    [Test]
    public void The_parse_alone_gives_the_same_document_as_a_default_parser()
    {
        const string html = "<html><head><meta charset=\"iso-8859-1\"><link rel=\"stylesheet\" href=\"/a.css\"><title>T</title></head>" +
                            "<body><a href=\"/x\" class=\"c d\">x</a><img src=\"/i.jpg\"></body></html>";
        using var ours = AdExtractor.ParseDocument(html);
        using var reference = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

        Assert.Multiple(() =>
        {
            Assert.That(ours.DocumentElement.OuterHtml, Is.EqualTo(reference.DocumentElement.OuterHtml));
            Assert.That(ours.QuerySelector("a.d")?.GetAttribute("href"), Is.EqualTo("/x"));
            Assert.That(ours.Title, Is.EqualTo("T"));
        });
    }
}
