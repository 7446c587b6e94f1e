using System.Globalization;
using System.Text.RegularExpressions;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>Stated ages and rates read from ad text (Dutch and English).</summary>
public static partial class AdDetails
{
    /// <summary>Ages the ad states about its subject: "24 jaar", "age: 24", "Leeftijd 24", "I am 24".</summary>
    public static IReadOnlyList<int> Ages(string text)
    {
        // Two patterns rather than one alternation: each then starts with a digit or a cue word, which the
        // regex engine finds with a vectorised search instead of trying every 'a', 'i' and 'l' of the text.
        var found = new List<(int At, int Age)>();
        foreach (Match m in AgeThenUnit().Matches(text))
        {
            found.Add((m.Index, int.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture)));
        }

        foreach (Match m in CueThenAge().Matches(text))
        {
            found.Add((m.Index, int.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture)));
        }

        found.Sort((a, b) => a.At.CompareTo(b.At));
        var ages = new List<int>();
        foreach (var (_, age) in found)
        {
            if (age is >= 12 and <= 80 && !ages.Contains(age))
            {
                ages.Add(age);
            }
        }

        return ages;
    }

    /// <summary>Rates: "€ 150 per uur", "80 euro per half uur", "€ 100 / 30 min", "250 EUR for 2 hours".</summary>
    public static IReadOnlyList<StatedPrice> Prices(string text)
    {
        var prices = new List<StatedPrice>();
        foreach (Match m in PricePattern().Matches(text))
        {
            var amountText = (m.Groups["a1"].Success ? m.Groups["a1"] : m.Groups["a2"]).Value.Replace(",-", "", StringComparison.Ordinal).Replace(',', '.');
            if (!decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || amount > 100_000)
            {
                continue;
            }

            var (per, hours) = Duration(m.Groups["per"].Value);
            prices.Add(new StatedPrice(amount, "EUR", per, hours is { } h && h > 0 ? Math.Round(amount / h, 2) : null, m.Value.Trim()));
        }

        return prices;
    }

    private static (string Per, decimal? Hours) Duration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 0)
        {
            return ("unspecified", null);
        }

        if (t.Contains("half", StringComparison.Ordinal))
        {
            return ("30 min", 0.5m);
        }

        if (t.Contains("kwartier", StringComparison.Ordinal) || t.Contains("quarter", StringComparison.Ordinal))
        {
            return ("15 min", 0.25m);
        }

        if (t.Contains("nacht", StringComparison.Ordinal) || t.Contains("night", StringComparison.Ordinal))
        {
            return ("night", null);
        }

        var number = NumberIn().Match(t);
        var n = number.Success ? decimal.Parse(number.Value, CultureInfo.InvariantCulture) : 1m;
        return t.Contains("min", StringComparison.Ordinal) ? ($"{n} min", n / 60m) : ($"{n} h", n);
    }

    [GeneratedRegex(@"\b(\d{2})\s*(?:jaar|jr|years?(?:\s+old)?|yo)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AgeThenUnit();

    [GeneratedRegex(@"\b(?:leeftijd|age|ik ben|i am|i'm)\s*:?\s*(\d{2})\b", RegexOptions.IgnoreCase)]
    private static partial Regex CueThenAge();

    [GeneratedRegex(@"(?:€\s*(?<a1>\d{2,5}(?:[.,]\d{2}|,-)?)|(?<a2>\d{2,5})\s*(?:euro|eur)\b)\s*(?<per>(?:(?:per|/|voor|for|p\.?)\s*(?:(?:een|an?|1|2|3|half|halve)\s*)?(?:uur|hour|hours|u|h|nacht|night|kwartier|quarter|\d{1,3}\s*min(?:uten|utes)?|min(?:uten|utes)?)\b)?)", RegexOptions.IgnoreCase)]
    private static partial Regex PricePattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberIn();
}
