using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using Crawler.Core.Policy;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The ad region, found on the way through the document scan where its selectors look only at the element, is the
/// region a query of the document finds once the dropped regions are gone, on every fixture page with every profile.
/// </summary>
public sealed class AdRegionTests
{
    private static readonly Uri Page = new("https://ads.example/ads/1.html");

    public static IEnumerable<string> Pages() => SelectorSetTests.Pages();

    [TestCaseSource(nameof(Pages))]
    public void The_region_is_the_one_a_query_after_removal_finds(string page)
    {
        var html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, page));
        var mismatches = new List<string>();
        // The generic profile sections the page by its structure before it looks for the region (issue 22): the
        // scan's early match is the profiles' optimisation only.
        var profiles = TestPolicy.Policy.Profiles.Where(n => n != "generic").Select(n => TestPolicy.Policy.Profiles.Get(n))
            .Append(ExtractionProfile.Generic with { Name = "combinators", AdRegion = ["main > article:first-of-type", "body > div + div", "section"] });
        foreach (var profile in profiles)
        {
            // Without title, body, fields or contact selectors what is read is the region itself.
            var whole = profile with { Title = null, Body = null, Fields = [], Contact = null };
            var text = new AdExtractor(profile: whole).Extract(html, Page).Ad.Text;
            var expected = ExpectedRegion(html, whole) is { } region ? AdExtractor.VisibleText(region) : "";
            if (text != expected)
            {
                mismatches.Add(profile.Name);
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [TestCase("<header><article class=\"ad\">site banner 06-11112222</article></header><main><p>Bel 06-12345678 voor een afspraak</p></main>")]
    [TestCase("<nav><main>menu</main></nav><article><p>Bel 06-12345678 voor een afspraak</p></article>")]
    [TestCase("<div class=\"comments\"><article>06-11112222</article></div><div role=\"main\">Bel 06-12345678</div>")]
    [TestCase("<script type=\"text/template\"><main>x</main></script><section>Bel 06-12345678</section>")]
    public void A_region_inside_furniture_or_a_dropped_region_is_never_the_ad(string body)
    {
        var html = "<html><body>" + body + "</body></html>";
        var text = new AdExtractor().Extract(html, Page).Ad.Text;
        var expected = ExpectedRegion(html, ExtractionProfile.Generic) is { } region ? AdExtractor.VisibleText(region) : "";

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(expected));
            Assert.That(text, Does.Not.Contain("06-11112222"));
        });
    }

    /// <summary>The region as extraction found it before: the document scan, the removals, then one query per selector.</summary>
    private static IElement? ExpectedRegion(string html, ExtractionProfile profile)
    {
        var parser = new CssSelectorParser();
        var document = AdExtractor.ParseDocument(html);
        var scan = DocumentScan.Run(document, SelectorSet.Compile(parser, ["input[type=password]", ".paywall", "[data-paywall]", "#paywall"]),
            SelectorSet.Compile(parser, profile.Drop), profile.DropCommonThirdParty);
        foreach (var e in scan.Dropped.Concat(scan.Furniture).Reverse())
        {
            e.Remove();
        }

        var selectors = profile.AdRegion.Count == 0 ? ["article.ad, [itemtype*=Product], article, main, [role=main]"] : profile.AdRegion;
        foreach (var selector in selectors)
        {
            if (document.QuerySelector(selector) is { } region)
            {
                return region;
            }
        }

        return document.Body;
    }
}
