using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>Rates laid out as tables or definition lists get the duration of their row, column or term.</summary>
public sealed class RateTableTests
{
    private static readonly Uri Page = new("https://ads.example/ads/5.html");

    private static IEnumerable<string> Prices(string structure) =>
        new AdExtractor().Extract($"<html><body><main><p>Bel me voor een afspraak: 06-12345678</p>{structure}</main></body></html>", Page)
            .Ad.Prices!.Select(p => $"{p.Amount} {p.Per} {p.PerHour?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");

    [Test]
    public void A_duration_in_the_first_cell_gives_each_price_of_its_row_a_price_per_hour()
    {
        var prices = Prices("<table><tr><th>Duur</th><th>Ontvangst</th><th>Hotel</th></tr>" +
                            "<tr><td>30 minuten</td><td>€ 100</td><td>—</td></tr><tr><td>1 uur</td><td>€ 160</td><td>€ 190</td></tr>" +
                            "<tr><td>Avond (4 uur)</td><td>€ 550</td><td>€ 600</td></tr></table>");

        Assert.That(prices, Is.EqualTo(new[] { "100 30 min 200", "160 1 h 160", "190 1 h 190", "550 4 h 137.5", "600 4 h 150" }));
    }

    [Test]
    public void Durations_across_the_head_row_give_each_column_its_duration()
    {
        var prices = Prices("<table><tr><th></th><th>half uur</th><th>1 hour</th><th>2 hours</th></tr>" +
                            "<tr><td>Incall</td><td>€ 80</td><td>€ 140</td><td>€ 260</td></tr></table>");

        Assert.That(prices, Is.EqualTo(new[] { "80 30 min 160", "140 1 h 140", "260 2 h 130" }));
    }

    [Test]
    public void A_row_without_cells_is_passed_over_and_the_table_still_read()
    {
        // An empty row first (layout tables of old sites have them) once ended the extraction of the whole page.
        var prices = Prices("<table><tr></tr><tr><td>1 uur</td><td>€ 160</td></tr><tr></tr></table>");

        Assert.That(prices, Is.EqualTo(new[] { "160 1 h 160" }));
    }

    [Test]
    public void A_definition_list_of_durations_gives_each_price_its_term()
    {
        var prices = Prices("<dl><dt>Kwartier</dt><dd>€ 50</dd><dt>60 min</dt><dd>€ 150</dd><dt>Leeftijd</dt><dd>24</dd></dl>");

        Assert.That(prices, Is.EqualTo(new[] { "50 15 min 200", "150 60 min 150" }));
    }

    [Test]
    public void A_price_that_states_its_own_duration_keeps_it()
    {
        var prices = Prices("<table><tr><td>1 uur</td><td>€ 100 per half uur</td></tr></table>");

        Assert.That(prices, Is.EqualTo(new[] { "100 30 min 200" }));
    }

    [Test]
    public void Measurements_and_ages_in_a_table_are_no_durations()
    {
        var prices = Prices("<table><tr><td>Lengte</td><td>1.70 m</td></tr><tr><td>Leeftijd</td><td>26 jaar</td></tr>" +
                            "<tr><td>Tarief</td><td>€ 160</td></tr></table>");

        Assert.That(prices, Is.EqualTo(new[] { "160 unspecified -" }));
    }
}
