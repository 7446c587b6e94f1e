using NUnit.Framework;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Crawler.Extraction.Tests;

public sealed partial class AdDetailsTests
{
    /// <summary>The age pattern as one regular expression: the hand-written reader must agree with it.</summary>
    [GeneratedRegex(@"\b(?:(\d{2})\s*(?:jaar|jr|years?(?:\s+old)?|yo)\b|(?:leeftijd|age|ik ben|i am|i'm)\s*:?\s*(\d{2})\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AgeOracle();

    private static List<int> OracleAges(string text)
    {
        var ages = new List<int>();
        foreach (Match m in AgeOracle().Matches(text))
        {
            var value = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var age) && age is >= 12 and <= 80 && !ages.Contains(age))
            {
                ages.Add(age);
            }
        }

        return ages;
    }

    [TestCase("24jaar en 23yo, 19 years old, 21 year\nold, Leeftijd: 22, leeftijd\n25 en I'm 26, i am 27")]
    [TestCase("page 24, 123 jaar, a24 jaar, 24a jaar, 2 jaar, ik ben 245, age 30a, age : 31, age: : 32, ik  ben 33, Ik Ben 34")]
    [TestCase("Ik ben 24 jaar. Age: 24. 99 jaar, 11 jaar, 17 jaar, ٢٤ jaar, ik ben 1٢, 24_jaar, _24 jaar, é24 jaar")]
    [TestCase("24 yoga, 24 jaartal, 24 jr., 35 years older, 40 years, 41 yo!")]
    public void The_age_reader_agrees_with_the_age_pattern(string text)
    {
        Assert.That(AdDetails.Ages(text), Is.EqualTo(OracleAges(text)));
    }

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
    [TestCase("€ 80 per halve uur", 80, "30 min", 160)]
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
