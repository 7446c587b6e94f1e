using AngleSharp.Dom;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>
/// Rates laid out as a table or definition list: a duration in one cell and prices in the others ("30 minuten |
/// € 100 | € 130", "<dt>1 uur</dt><dd>€ 160</dd>"), or durations across the first row. Read as text, such a price
/// stands on its own line without its duration; read here, it gets its price per hour.
/// </summary>
internal static class RateTables
{
    public static List<StatedPrice> Read(IEnumerable<IElement> structures)
    {
        var prices = new List<StatedPrice>();
        foreach (var structure in structures)
        {
            // Most label tables hold no price at all: one look at the text rules them out.
            if (!MayHoldPrice(structure.TextContent))
            {
                continue;
            }

            if (structure.LocalName == "table")
            {
                ReadTable(structure, prices);
            }
            else if (structure.LocalName == "dl")
            {
                ReadList(structure, prices);
            }
        }

        return prices;
    }

    /// <summary>
    /// Text prices with the table's in their place: a text price without a duration whose amount a table gave a
    /// duration, or with the same duration, is that table price read twice.
    /// </summary>
    public static List<StatedPrice> Merge(IReadOnlyList<StatedPrice> fromText, List<StatedPrice> fromTables)
    {
        if (fromTables.Count == 0)
        {
            return [.. fromText];
        }

        var unclaimed = new List<StatedPrice>(fromTables);
        var merged = new List<StatedPrice>();
        foreach (var price in fromText)
        {
            var claimed = unclaimed.FindIndex(t => t.Amount == price.Amount && (price.PerHour is null || t.Per == price.Per));
            if (claimed >= 0)
            {
                merged.Add(unclaimed[claimed]);
                unclaimed.RemoveAt(claimed);
            }
            else
            {
                merged.Add(price);
            }
        }

        merged.AddRange(unclaimed);
        return merged;
    }

    private static void ReadTable(IElement table, List<StatedPrice> into)
    {
        // A row without cells (a spacer `<tr></tr>`, say) says nothing about durations or prices.
        var rows = table.ChildNodes.QuerySelectorAll(Labels.Row).Select(r => r.Children.Select(c => TextBuilder.OneLine(c.TextContent)).ToArray())
            .Where(cells => cells.Length > 0).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        // Durations across the head row: each column is a duration, each later row a kind of visit (named in its
        // first cell, or not at all when every head cell is a duration).
        var columns = rows[0].Select(Duration).ToArray();
        var allDurations = columns.Length > 1 && columns.All(d => d is not null);
        if ((columns[0] is null && columns.Skip(1).Any(d => d is not null)) || allDurations)
        {
            foreach (var row in rows.Skip(1))
            {
                for (var c = allDurations ? 0 : 1; c < row.Length && c < columns.Length; c++)
                {
                    if (columns[c] is { } duration)
                    {
                        AddPrices(row[c], rows[0][c], duration, into);
                    }
                }
            }

            return;
        }

        foreach (var row in rows)
        {
            if (row.Length >= 2 && Duration(row[0]) is { } duration)
            {
                foreach (var cell in row.Skip(1))
                {
                    AddPrices(cell, row[0], duration, into);
                }
            }
        }
    }

    private static void ReadList(IElement dl, List<StatedPrice> into)
    {
        foreach (var (rawTerm, value) in Labels.DefinitionPairs(dl))
        {
            var term = TextBuilder.OneLine(rawTerm);
            if (Duration(term) is { } duration)
            {
                AddPrices(TextBuilder.OneLine(value), term, duration, into);
            }
        }
    }

    private static bool MayHoldPrice(string text) =>
        text.Contains('€', StringComparison.Ordinal) || text.Contains("eur", StringComparison.OrdinalIgnoreCase);

    private static void AddPrices(string cell, string durationText, (string Per, decimal Hours) duration, List<StatedPrice> into)
    {
        if (!MayHoldPrice(cell))
        {
            return;
        }

        foreach (var price in AdDetails.Prices(cell))
        {
            // A cell that names its own duration ("€ 100 per half uur") keeps it.
            into.Add(price.PerHour is not null || price.Per != "unspecified" ? price
                : price with { Per = duration.Per, PerHour = Math.Round(price.Amount / duration.Hours, 2), Evidence = durationText + ": " + price.Evidence });
        }
    }

    /// <summary>A cell that is a duration and nothing much else: "30 minuten", "1 uur", "Stunde", "Avond (4 uur)", "half hour".</summary>
    private static (string Per, decimal Hours)? Duration(string cell) =>
        RateReader.DurationOf(cell) is { Hours: { } hours and > 0 } d ? (d.Per, hours) : null;
}
