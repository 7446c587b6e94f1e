using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>Each hiding family, one at a time, through the real extractor.</summary>
public sealed class DeobfuscationTests
{
    private static readonly Uri Page = new("http://ads.example/ad");

    // Every test page reads as an ad ("afspraak"), so that its contacts are reported.
    private static Core.Hits.AdFeatures Extract(string main) =>
        new AdExtractor().Extract($"<html><body><main><p>Afspraak maken?</p>{main}</main></body></html>", Page).Ad;

    [Test]
    public void A_page_with_contact_data_but_no_sign_of_an_ad_reports_no_contacts()
    {
        var ad = new AdExtractor().Extract("<html><body><main><p>Tips voor de redactie: redactie@example.org of 020-3456789</p></main></body></html>", Page).Ad;

        Assert.Multiple(() =>
        {
            Assert.That(ad.IsAd, Is.False);
            Assert.That(ad.Phones, Is.Empty);
            Assert.That(ad.Emails, Is.Empty);
            Assert.That(ad.NotAdReason, Does.Contain("neither a mobile number nor the language of an ad"));
        });
    }

    [TestCase("Bel 06-12345678", false)]
    [TestCase("Bel 06-12-34-56-78", false)]
    [TestCase("Bel 06 12 34 56 78", false)]
    [TestCase("Bel +31 6 12345678", false)]
    [TestCase("Bel 0031612345678", false)]
    [TestCase("Bel 0-6-1-2-3-4-5-6-7-8", true)]
    [TestCase("Bel 0.6.1.2.3.4.5.6.7.8", true)]
    [TestCase("Bel 0 6 1 2 3 4 5 6 7 8", true)]
    [TestCase("Bel <span>06</span><span>123</span><b>45</b><i>678</i>", false)]
    [TestCase("Bel O6-l2345678", true)]
    [TestCase("Bel 06-I2345678", true)]
    [TestCase("Bel nul zes een twee drie vier vijf zes zeven acht", true)]
    [TestCase("Call zero six one two three four five six seven eight", true)]
    [TestCase("Bel ０６１２３４５６７８", true)]
    [TestCase("Bel ⓪⑥①②③④⑤⑥⑦⑧", true)]
    [TestCase("Bel 0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", true)]
    public void Every_hiding_family_decodes_to_the_same_number(string html, bool hidden)
    {
        var ad = Extract(html);

        Assert.That(ad.Phones.Select(p => p.E164), Does.Contain("+31612345678"), html);
        Assert.That(ad.Phones.Single(p => p.E164 == "+31612345678").Obfuscated, Is.EqualTo(hidden), "found only after de-obfuscation?");
    }

    [Test]
    public void A_slash_alternative_yields_both_numbers()
    {
        var ad = Extract("Bel 06-12345678/79");

        Assert.That(ad.Phones.Select(p => p.E164), Is.EquivalentTo(new[] { "+31612345678", "+31612345679" }));
    }

    [TestCase("Een mooie dame van 25, een avond samen, twee uur")]
    [TestCase("Geplaatst 20-11-2026 of 20/11/2026, € 150, 150 euro, €150,-")]
    [TestCase("Lengte 1.68 m, 168 cm, 55 kg, postcode 3511 AB, 24/7, ad id 2026-00107, #1234567890, 10:00-22:00")]
    public void Articles_dates_prices_and_measurements_do_not_become_numbers(string text)
    {
        Assert.That(Extract($"<p>{text}</p>").Phones, Is.Empty);
    }

    [TestCase("mila (at) example (punt) nl", "mila@example.nl")]
    [TestCase("mila [at] example [dot] com", "mila@example.com")]
    [TestCase("mila apenstaartje example punt nl", "mila@example.nl")]
    [TestCase("l i s a @ e x a m p l e . n l", "lisa@example.nl")]
    [TestCase("\u0430nna@example.nl", "anna@example.nl")]
    [TestCase("noemie (arobase) exemple (point) be", "noemie@exemple.be")]
    [TestCase("jana [at] beispiel [punkt] de", "jana@beispiel.de")]
    [TestCase("jana klammeraffe beispiel punkt de", "jana@beispiel.de")]
    public void Hidden_email_addresses_are_decoded(string text, string expected)
    {
        Assert.That(Extract($"<p>{text}</p>").Emails, Does.Contain(expected));
    }

    [Test]
    public void A_cloudflare_protected_address_is_decoded()
    {
        const string address = "anna@example.nl";
        const byte key = 0x42;
        var hex = key.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) +
                  string.Concat(address.Select(c => ((byte)(c ^ key)).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        var ad = Extract($"<p>Mail <a class=\"__cf_email__\" data-cfemail=\"{hex}\">[email&#160;protected]</a></p>");

        Assert.That(ad.Emails, Is.EqualTo(new[] { address }));
    }
}
