using NUnit.Framework;
using System.Text.Json;

namespace Crawler.Extraction.Tests;

/// <summary>Every page of the bundled demo site against its expected values (src/Crawler.DemoSite/site/expected.json).</summary>
public sealed class DemoSiteExtractionTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(DemoSite.DemoSite.ReadFile("expected.json")!).RootElement;

    /// <summary>
    /// Pages the crawler may fetch. A page that robots.txt disallows is marked in expected.json as
    /// never to be extracted because it is never fetched; that is the gate's job, tested end to end.
    /// </summary>
    public static IEnumerable<string> Pages() => Expected.EnumerateObject()
        .Where(p => !p.Value.TryGetProperty("robotsDisallowed", out var d) || !d.GetBoolean())
        .Select(p => p.Name);

    private static PageExtraction Extract(string path) =>
        new AdExtractor().Extract(DemoSite.DemoSite.ReadFile(path)!, new Uri("http://ads.example" + path));

    private static IEnumerable<string> Strings(JsonElement page, string name) =>
        page.GetProperty(name).EnumerateArray().Select(e => e.GetString()!);

    [TestCaseSource(nameof(Pages))]
    public void Extracts_exactly_the_ads_own_contacts(string path)
    {
        var page = Expected.GetProperty(path);

        var ad = Extract(path).Ad;

        Assert.That(ad.IsAd, Is.EqualTo(page.GetProperty("isAd").GetBoolean()), ad.NotAdReason);
        Assert.That(ad.Phones.Select(p => p.E164), Is.EquivalentTo(Strings(page, "phones")));
        Assert.That(ad.Emails, Is.EquivalentTo(Strings(page, "emails")));
    }

    [TestCaseSource(nameof(Pages))]
    public void Never_extracts_reviews_other_ads_or_the_site_footer(string path)
    {
        var page = Expected.GetProperty(path);

        var ad = Extract(path).Ad;

        var found = ad.Phones.Select(p => p.E164).Concat(ad.Emails).ToList();
        Assert.That(found, Has.None.AnyOf(Strings(page, "mustNotExtract").ToArray()));
        Assert.That(ad.Text, Does.Not.Contain("Klantenservice"));
    }

    [Test]
    public void Counts_the_third_party_regions_it_removed()
    {
        var ad = Extract("/ads/101.html").Ad;

        Assert.That(ad.RemovedThirdPartyRegions, Is.GreaterThanOrEqualTo(3), "reviews, other ads and the footer");
    }

    [Test]
    public void Finds_links_including_the_out_of_scope_one_so_the_gate_can_refuse_it()
    {
        var links = Extract("/index.html").Links.Select(l => l.ToString()).ToList();

        Assert.That(links, Does.Contain("http://ads.example/ads/101.html"));
        Assert.That(links, Does.Contain("https://partner-site.example.org/escort"));
        Assert.That(links, Has.None.StartsWith("mailto:"));
    }

    [Test]
    public void A_login_page_is_recognised_as_not_public()
    {
        var page = Extract("/login.html");

        Assert.That(page.NotPublic, Is.True);
        Assert.That(page.NotPublicReason, Does.Contain("password"));
        Assert.That(page.Ad.IsAd, Is.False);
    }

    [TestCase("<p>Geplaatst 20-11-2026, € 150 per uur, 1.68 m, 55 kg, postcode 3511 AB, ad id 2026-00107, 24/7</p>")]
    [TestCase("<p>Bel 2026 00107 of 20112026</p>")]
    public void Dates_prices_measurements_and_ids_are_not_phone_numbers(string html)
    {
        var ad = new AdExtractor().Extract($"<html><body><main>{html}</main></body></html>", new Uri("http://ads.example/x")).Ad;

        Assert.That(ad.Phones, Is.Empty);
    }

    [Test]
    public void Hostile_markup_does_not_break_extraction()
    {
        var html = "<main><p>06-12345678" + new string('<', 5000) + "<script>alert(1)</script><div><div><div>" + string.Concat(Enumerable.Repeat("<b>", 2000)) + "</main>";

        var ad = new AdExtractor().Extract(html, new Uri("http://ads.example/x")).Ad;

        Assert.That(ad.Phones, Has.Count.EqualTo(1));
        Assert.That(ad.Phones[0].E164, Is.EqualTo("+31612345678"));
        Assert.That(ad.Text, Does.Not.Contain("alert"));
    }
}
