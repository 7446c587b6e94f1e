using NUnit.Framework;
using AngleSharp.Css.Parser;
using AngleSharp.Html.Parser;

namespace Crawler.Extraction.Tests;

/// <summary>The document scan's selector matching gives AngleSharp's answer for every element of every fixture page.</summary>
public sealed class SelectorSetTests
{
    private static readonly string[] Selectors =
    [
        "input[type=password]", ".paywall", "[data-paywall]", "#paywall", "section.reviews", "aside.other-ads", "footer", ".sidebar",
        ".comments", "section.related", "article.reply", ".replies", "div.review > p", ":not(p)", "li a", "[class*=review i]", "*",
        "[data-ad-id=\"2026-00100\"]", "a[href^='tel:']", "main > article.ad", "p.contact, .gallery img",
        ".PayWall", "INPUT[TYPE=password]", "input[type=PASSWORD]", "#PayWall", "[DATA-PAYWALL]", "article.AD", "Section.Reviews",
        "article.ad.featured", "div#main.content", "[itemtype*=Product]", "[role=main]", "article", "main", "[class~=review]",
        "[data-x='a b']", "img[src$=\".jpg\"][alt]", ".a\\:b", "*.paywall", "[lang|=nl]", "[title=Foo i]",
    ];

    // No doctype: the page is parsed in quirks mode, where class and id selectors ignore case.
    private const string QuirksPage =
        "<html><body><div class=\"PayWall\">x</div><DIV ID=\"PAYWALL\">y</DIV><input TYPE=\"Password\"><article class=\"Ad Featured\">" +
        "<section class=\"REVIEWS\">r</section></article><p data-paywall>z</p><span title=\"foo\" lang=\"nl-NL\">t</span></body></html>";

    [Test]
    public void In_quirks_mode_each_selector_matches_exactly_the_elements_AngleSharp_matches()
    {
        using var document = AdExtractor.ParseDocument(QuirksPage);
        Assert.That(Mismatches(document), Is.Empty);
    }

    /// <summary>Each selector against each element: where the set's answer differs from AngleSharp's.</summary>
    private static List<string> Mismatches(AngleSharp.Dom.IDocument document)
    {
        var parser = new CssSelectorParser();
        var mismatches = new List<string>();
        foreach (var text in Selectors)
        {
            var set = SelectorSet.Compile(parser, [text])!;
            var reference = parser.ParseSelector(text)!;
            foreach (var element in document.All)
            {
                if (set.Match(element) != reference.Match(element, null))
                {
                    mismatches.Add($"{text} on <{element.LocalName}>");
                }
            }
        }

        return mismatches;
    }

    public static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.html", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(AppContext.BaseDirectory, p).Replace('\\', '/')).Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Pages))]
    public void Each_selector_matches_exactly_the_elements_AngleSharp_matches(string page)
    {
        using var document = AdExtractor.ParseDocument(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, page)));
        Assert.That(Mismatches(document), Is.Empty);
    }

    [Test]
    public void A_list_matches_when_any_of_its_selectors_does()
    {
        using var document = new HtmlParser().ParseDocument("<p>plain</p><div class=\"paywall\">x</div>");
        var set = SelectorSet.Compile(new CssSelectorParser(), ["input[type=password]", ".paywall"])!;

        Assert.That(document.All.Where(set.Match).Select(e => e.LocalName), Is.EqualTo(new[] { "div" }));
    }
}
