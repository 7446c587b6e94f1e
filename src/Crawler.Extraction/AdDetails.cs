using System.Globalization;
using System.Text.RegularExpressions;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>Stated ages and rates read from ad text (Dutch and English).</summary>
public static partial class AdDetails
{
    private static readonly string[] AgeUnits = ["years old", "year old", "years", "year", "jaar", "jr", "yo"];

    private static readonly string[] AgeCues = ["leeftijd", "ik ben", "i am", "i'm", "age"];

    /// <summary>
    /// Ages the ad states about its subject: "24 jaar", "24yo", "age: 24", "Leeftijd 24", "I am 24". Read from the
    /// two-digit numbers outwards (a vectorised search for digits), not by trying a pattern at every letter.
    /// </summary>
    public static IReadOnlyList<int> Ages(string text)
    {
        var found = new List<(int At, int Age)>();
        var s = text.AsSpan();
        var i = 0;
        while (i < s.Length)
        {
            var next = s[i..].IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                break;
            }

            var at = i + next;
            var end = at;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            i = end;
            if (end - at != 2 || (at > 0 && IsWordChar(s[at - 1])))
            {
                continue;
            }

            var age = ((s[at] - '0') * 10) + (s[at + 1] - '0');
            if (UnitAfter(s, end))
            {
                found.Add((at, age));
            }
            else if ((end == s.Length || !IsWordChar(s[end])) && CueBefore(s, at) is var cue and >= 0)
            {
                found.Add((cue, age));
            }
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

    /// <summary>"jaar", "years old", "yo" after optional white space, as a whole word.</summary>
    private static bool UnitAfter(ReadOnlySpan<char> s, int from)
    {
        var k = from;
        while (k < s.Length && char.IsWhiteSpace(s[k]))
        {
            k++;
        }

        foreach (var unit in AgeUnits)
        {
            if (StartsWithWords(s[k..], unit, out var length) && (k + length == s.Length || !IsWordChar(s[k + length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where "leeftijd", "age", "ik ben", "I am" or "I'm" starts, when it stands as a word before the number (white space and one ':' between); else -1.</summary>
    private static int CueBefore(ReadOnlySpan<char> s, int number)
    {
        var k = number;
        while (k > 0 && char.IsWhiteSpace(s[k - 1]))
        {
            k--;
        }

        if (k > 0 && s[k - 1] == ':')
        {
            k--;
            while (k > 0 && char.IsWhiteSpace(s[k - 1]))
            {
                k--;
            }
        }

        foreach (var cue in AgeCues)
        {
            var start = k - cue.Length;
            if (start >= 0 && s[start..k].Equals(cue, StringComparison.OrdinalIgnoreCase) && (start == 0 || !IsWordChar(s[start - 1])))
            {
                return start;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="s"/> starts with <paramref name="words"/>, the space between words being any white space.</summary>
    private static bool StartsWithWords(ReadOnlySpan<char> s, string words, out int length)
    {
        var space = words.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            length = words.Length;
            return s.StartsWith(words, StringComparison.OrdinalIgnoreCase);
        }

        length = 0;
        if (!s.StartsWith(words.AsSpan(0, space), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var k = space;
        while (k < s.Length && char.IsWhiteSpace(s[k]))
        {
            k++;
        }

        var rest = words.AsSpan(space + 1);
        if (k == space || !s[k..].StartsWith(rest, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        length = k + rest.Length;
        return true;
    }

    /// <summary>What a regular expression's \w matches.</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || c == '_' ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.SpacingCombiningMark;

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

    /// <summary>
    /// A stated duration ("per uur", "/ 30 min", "half uur", "1,5 uur", "kwartier"), as shown and in hours; "unspecified"
    /// without hours when there is none, a night without hours (its length is not said).
    /// </summary>
    internal static (string Per, decimal? Hours) Duration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 0)
        {
            return ("unspecified", null);
        }

        if (t.Contains("half", StringComparison.Ordinal) || t.Contains("halve", StringComparison.Ordinal) || t.Contains('½', StringComparison.Ordinal))
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
        var n = number.Success ? decimal.Parse(number.Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 1m;
        return t.Contains("min", StringComparison.Ordinal) ? ($"{n} min", n / 60m) : ($"{n} h", n);
    }

    [GeneratedRegex(@"(?:€\s*(?<a1>\d{2,5}(?:[.,]\d{2}|,-)?)|(?<a2>\d{2,5})\s*(?:euro|eur)\b)\s*(?<per>(?:(?:per|/|voor|for|p\.?)\s*(?:(?:een|an?|1|2|3|half|halve)\s*)?(?:uur|hour|hours|u|h|nacht|night|kwartier|quarter|\d{1,3}\s*min(?:uten|utes)?|min(?:uten|utes)?)\b)?)", RegexOptions.IgnoreCase)]
    private static partial Regex PricePattern();

    [GeneratedRegex(@"\d+(?:[.,]\d+)?")]
    private static partial Regex NumberIn();
}
