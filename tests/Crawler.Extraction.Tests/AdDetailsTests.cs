using NUnit.Framework;

namespace Crawler.Extraction.Tests;

public sealed class AdDetailsTests
{
    [TestCase("Ik ben 24 jaar en nieuw hier", 24)]
    [TestCase("Leeftijd\n23", 23)]
    [TestCase("Age: 31", 31)]
    [TestCase("I am 27, call me", 27)]
    [TestCase("Hi, I'm 29 years old", 29)]
    public void Stated_ages_are_read(string text, int age)
    {
        Assert.That(AdDetails.Ages(text), Is.EqualTo(new[] { age }));
    }

    [TestCase("Geplaatst 20-11-2026, 168 cm, 55 kg, 24/7")]
    [TestCase("Open van 10 tot 22 uur")]
    public void Dates_and_measurements_are_not_ages(string text)
    {
        Assert.That(AdDetails.Ages(text), Is.Empty);
    }

    [TestCase("€ 150 per uur", 150, "1 h", 150)]
    [TestCase("80 euro per half uur", 80, "30 min", 160)]
    [TestCase("€ 100 / 30 min", 100, "30 min", 200)]
    [TestCase("250 EUR for 2 hours", 250, "2 h", 125)]
    public void Rates_are_normalised_to_a_price_per_hour(string text, int amount, string per, int perHour)
    {
        var price = AdDetails.Prices(text).Single();

        Assert.Multiple(() =>
        {
            Assert.That(price.Amount, Is.EqualTo((decimal)amount));
            Assert.That(price.Per, Is.EqualTo(per));
            Assert.That(price.PerHour, Is.EqualTo((decimal)perHour));
        });
    }

    [Test]
    public void A_price_without_a_duration_has_no_hourly_rate()
    {
        var price = AdDetails.Prices("Vanaf €150,- bel snel").Single();

        Assert.That(price.PerHour, Is.Null);
        Assert.That(price.Amount, Is.EqualTo(150m));
    }
}
