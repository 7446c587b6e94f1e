using System.Text.RegularExpressions;

namespace Crawler.Extraction;

/// <summary>
/// Postcode areas as each country writes them: four digits in the Netherlands (with two letters after, "3511 AB") and
/// Belgium, five in Germany ("04155"). A bare number is a postcode only where something says so: a label, the word
/// "postcode" ("PLZ", "code postal"), or a place beside it ("12043 Berlin", "Liège (4000)", "Utrecht (Lombok, 3531)").
/// </summary>
internal static partial class Postcodes
{
    /// <summary>
    /// The postcode written next to a place that stands at [<paramref name="start"/>, <paramref name="end"/>) of the
    /// text: just before it, or in a bracket right after it (after a district joined by a hyphen: "Arnhem-Zuid (6832)").
    /// </summary>
    public static string? NextToPlace(string text, int start, int end, string country)
    {
        var pattern = Pattern(country);

        // "12043 Berlin", "2018 Antwerpen": the number and the place with only white space between.
        var before = text.AsSpan(0, start).TrimEnd(" \u00A0\t");
        if (before.Length < start && before.Length > 0)
        {
            var digits = 0;
            while (digits < before.Length && char.IsAsciiDigit(before[^(digits + 1)]))
            {
                digits++;
            }

            var number = before[^digits..].ToString();
            if (digits > 0 && (digits == before.Length || !char.IsLetterOrDigit(before[^(digits + 1)])) && pattern.IsMatch(number))
            {
                return number;
            }
        }

        // "(6832)", "(8011, bij het station)", "(2018 Antwerpen)", "(Woensel, 5621)"; not "(2026 editie)", "(sinds 2015)".
        var after = AfterPlace().Match(text, end);
        if (after.Success && after.Index == end && InBracket().Match(after.Groups["inside"].Value) is { Success: true } m &&
            pattern.IsMatch(m.Groups["n"].Value))
        {
            return m.Groups["n"].Value;
        }

        return null;
    }

    /// <summary>A number the text names as a postcode: "postcode 3531", "PLZ 04155", "code postal : 1050".</summary>
    public static IEnumerable<string> Named(string text, string country)
    {
        if (text.AsSpan().IndexOfAny(NameStarts) < 0)
        {
            yield break;
        }

        var pattern = Pattern(country);
        foreach (Match m in NamedPostcode().Matches(text))
        {
            if (pattern.IsMatch(m.Groups["number"].Value))
            {
                yield return m.Groups["number"].Value;
            }
        }
    }

    /// <summary>Whether a whole value ("1050", "04155") is a postcode of the country.</summary>
    public static bool IsPostcode(string value, string country) => Pattern(country).IsMatch(value);

    private static readonly System.Buffers.SearchValues<char> NameStarts = System.Buffers.SearchValues.Create("pPzZcC");

    private static Regex Pattern(string country) => country == "de" ? German() : FourDigits();

    [GeneratedRegex(@"^\d{5}$")]
    private static partial Regex German();

    [GeneratedRegex(@"^[1-9]\d{3}$")]
    private static partial Regex FourDigits();

    /// <summary>A bracket that is the number, begins with it before a comma or a name, or ends with it after a comma.</summary>
    [GeneratedRegex(@"^\s*(?<n>\d{4,5})\s*(?:$|[,;]|\s\p{Lu})|[,;]\s*(?<n>\d{4,5})\s*$")]
    private static partial Regex InBracket();

    /// <summary>An optional district ("-Zuid", "-St. Georg"), then a bracket of at most 40 characters.</summary>
    [GeneratedRegex(@"\G(?:-[\p{L}][\p{L}.]*(?:\s[\p{Lu}][\p{L}.]*)?)*\s*\((?<inside>[^()\n]{1,40})\)")]
    private static partial Regex AfterPlace();

    [GeneratedRegex(@"\b(?:postcode|postcodegebied|postal\s+code|zip(?:\s+code)?|plz|postleitzahl|code\s+postal|cp)\b\s*:?\s*(?<number>\d{4,5})\b", RegexOptions.IgnoreCase)]
    private static partial Regex NamedPostcode();
}
