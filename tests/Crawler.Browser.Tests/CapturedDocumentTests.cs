using System.Text;
using AngleSharp.Html.Parser;
using Crawler.Web.Infrastructure;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>The server-side rewrite of a captured page: after it, nothing in the document names a place to go or load, or code to run.</summary>
public sealed class CapturedDocumentTests
{
    private static readonly Uri Origin = new("http://127.0.0.1:4711/");

    [Test]
    public void The_hostile_page_keeps_its_words_and_loses_every_script_handler_refresh_base_and_address()
    {
        var html = CapturedDocument.FromSnapshot(Encoding.UTF8.GetBytes(HostilePage.Html(Origin)), "nl");
        var document = new HtmlParser().ParseDocument(html);

        Assert.That(document.QuerySelectorAll("script, base, meta, link, iframe, object, video, source"), Is.Empty, html);
        var attributes = document.All.SelectMany(e => e.Attributes).Select(a => a.Name).ToList();
        Assert.That(attributes.Where(a => a.StartsWith("on", StringComparison.Ordinal)), Is.Empty, "event handlers");
        Assert.That(attributes, Has.None.AnyOf("href", "xlink:href", "src", "srcset", "action", "formaction", "poster", "data"), "addresses");
        Assert.That(html, Does.Not.Contain(Origin.Host + ":" + Origin.Port + "/photo").And.Not.Contain("url(").And.Not.Contain("@import").And.Not.Contain("image-set"));
        Assert.That(document.Title, Is.EqualTo(HostilePage.Title), "the title stays text");
        Assert.That(document.Body!.TextContent, Does.Contain("06-12345678").And.Contain("klik hier [javascript:alert('link')]"));
        Assert.That(document.DocumentElement.GetAttribute("lang"), Is.EqualTo("nl"));
    }

    [Test]
    public void An_image_inside_the_page_stays_and_one_elsewhere_goes()
    {
        var html = CapturedDocument.FromSnapshot(Encoding.UTF8.GetBytes(
            "<p><img id=a src=\"data:image/png;base64,iVBORw0KGgo=\" alt=a><img id=b src=\"//elsewhere.example/x.png\" alt=b></p>"), "en");
        var document = new HtmlParser().ParseDocument(html);

        Assert.That(document.GetElementById("a")!.GetAttribute("src"), Does.StartWith("data:image/png"));
        Assert.That(document.GetElementById("b")!.HasAttribute("src"), Is.False);
    }

    [Test]
    public void Escapes_in_a_style_sheet_cannot_close_it_and_open_markup()
    {
        var html = CapturedDocument.FromSnapshot(Encoding.UTF8.GetBytes(
            "<style>p { color: red } \\3c /style\\3e \\3c img id=x src=http://x.example/a.png\\3e </style><p>t</p>"), "en");
        var document = new HtmlParser().ParseDocument(html);

        Assert.That(document.QuerySelectorAll("img"), Is.Empty, html);
        Assert.That(document.QuerySelectorAll("style"), Has.Length.EqualTo(1), html);
    }

    [TestCase("body { background: url(http://x.example/a.png) }")]
    [TestCase("body { background: URL( 'http://x.example/a.png' ) }")]
    [TestCase("@import 'http://x.example/a.css';")]
    [TestCase("body { background: \\75 rl(http://x.example/a.png) }")]
    [TestCase("div { background-image: -webkit-image-set(\"http://x.example/a.png\" 1x) }")]
    public void Css_that_loads_something_is_defused(string css) =>
        Assert.That(CapturedDocument.DefuseCss(css), Does.Not.Contain("x.example"));

    [Test]
    public void Minimised_text_is_a_document_of_encoded_text()
    {
        var html = CapturedDocument.FromText(HostilePage.Title, "<img src=x onerror=alert(1)> bel 06-12345678", "en");
        var document = new HtmlParser().ParseDocument(html);

        Assert.That(document.QuerySelectorAll("img, script"), Is.Empty);
        Assert.That(document.Title, Is.EqualTo(HostilePage.Title));
        Assert.That(document.Body!.TextContent, Does.Contain("<img src=x onerror=alert(1)>"));
    }
}
