using System.Globalization;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>Rates as ads write them in four languages, on one line or over two, read by <see cref="RateReader"/>; written for these tests.</summary>
public sealed class RateReaderTests
{
    private static string Read(string text) =>
        string.Join(" | ", AdDetails.Prices(text).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Amount} {p.Per}")));

    [TestCase("Tarief: kwartier 45 · half uur 75 · anderhalf uur 190 (euro)", "45 15 min | 75 30 min | 190 1.5 h")]
    [TestCase("Prijzen\nhalf uur 65, uur 110, 2 uur 200", "65 30 min | 110 1 h | 200 2 h")]
    [TestCase("Prijzen\nuur met één dame 120 / uur met ons samen 210", "120 1 h | 210 1 h")]
    [TestCase("Tarifs : 1h30 : 200€ – 2h : 260€", "200 90 min | 260 2 h")]
    [TestCase("Massage relaxant 1h : 95€", "95 1 h")]
    [TestCase("1h 300€ / 4h (soirée complète) 900€", "300 1 h | 900 4 h")]
    [TestCase("Preise\nhalbe Stunde 90, Stunde 150", "90 30 min | 150 1 h")]
    [TestCase("45 min — €130", "130 45 min")]
    [TestCase("€ 90 half uur, € 150 per uur", "90 30 min | 150 1 h")]
    [TestCase("Dinner date (3 uur): 500 euro", "500 3 h")]
    [TestCase("een avond (4 uur) 600 euro", "600 4 h")]
    [TestCase("Overnight (10 hours) €1,800", "1800 10 h")]
    [TestCase("Ganze Nacht (12 Std.) 1.500 €", "1500 12 h")]
    [TestCase("Nuit entière : 1 000 €", "1000 night")]
    public void Rates_on_one_line_in_four_languages(string text, string expected)
    {
        Assert.That(Read(text), Is.EqualTo(expected), text);
    }

    [TestCase("Preise\n30 Min.\n90 €\n1 Std. mit Dusche\n160 €", "90 30 min | 160 1 h")]
    [TestCase("Rates\nhalf hour\n€ 80\nhour\n€ 130", "80 30 min | 130 1 h")]
    [TestCase("Altijd bereikbaar.\n1 uur:\n140\n2 uur:\n260", "140 1 h | 260 2 h")]
    [TestCase("30 min\n60 min\n€ 70\n€ 120", "70 30 min | 120 60 min")]
    [TestCase("1 uur\n150\n2 uur\n280\nAlle prijzen in euro", "150 1 h | 280 2 h")]
    public void A_duration_on_one_line_and_its_amount_on_the_next(string text, string expected)
    {
        Assert.That(Read(text), Is.EqualTo(expected), text);
    }

    [TestCase("Prijs: 120 euro\nIk vraag uur 120, half uur 70", "120 1 h | 70 30 min")]
    public void A_bare_amount_the_page_also_gives_in_euro_is_money(string text, string expected)
    {
        Assert.That(Read(text), Is.EqualTo(expected), text);
    }

    [TestCase("Open van 10:00 tot 22:00 uur, 24 uur per dag bereikbaar")]
    [TestCase("Lengte 1.72 m, 60 kg, maat 38, 24 jaar")]
    [TestCase("Bel 06 12 34 56 78 na 12 uur")]
    [TestCase("Ik werk al 12 uur per week, 3 uur 's nachts thuis")]
    [TestCase("Adverteren vanaf € 24,95 per maand of € 199 per jaar")]
    [TestCase("half uur 60 en uur 100")]
    public void Times_measures_phones_bare_numbers_and_subscriptions_are_no_rates(string text)
    {
        Assert.That(Read(text), Is.Empty, text);
    }
}
