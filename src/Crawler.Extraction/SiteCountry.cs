namespace Crawler.Extraction;

/// <summary>
/// The country whose national number format a page's numbers are read in ("0478 12 34 56" is Belgian on a Belgian
/// site, "0176 1234567" German on a German one): the country-code domain, else the region of the page's language
/// (html lang "nl-BE"), else the language with what the page says of its address (country names, international
/// prefixes) deciding between the countries that speak it. Numbers written in international form are read as such
/// whatever this says.
/// </summary>
internal static class SiteCountry
{
    private static readonly Dictionary<string, string> ByTld = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nl"] = "NL", ["be"] = "BE", ["de"] = "DE", ["at"] = "AT", ["ch"] = "CH", ["fr"] = "FR", ["lu"] = "LU", ["uk"] = "GB",
    };

    /// <summary>Words and prefixes that say which country an address or number is in.</summary>
    private static readonly (string Cue, string Country)[] Cues =
    [
        ("+31", "NL"), ("0031", "NL"), ("Nederland", "NL"), ("Netherlands", "NL"), ("Niederlande", "NL"), ("Pays-Bas", "NL"),
        ("+32", "BE"), ("0032", "BE"), ("België", "BE"), ("Belgie", "BE"), ("Belgique", "BE"), ("Belgium", "BE"), ("Belgien", "BE"),
        ("+49", "DE"), ("0049", "DE"), ("Deutschland", "DE"), ("Germany", "DE"), ("Duitsland", "DE"), ("Allemagne", "DE"),
        ("+43", "AT"), ("Österreich", "AT"), ("Austria", "AT"), ("+41", "CH"), ("Schweiz", "CH"), ("Suisse", "CH"),
        ("+33", "FR"), ("France", "FR"), ("+352", "LU"), ("Luxembourg", "LU"),
    ];

    /// <param name="host">The page's host.</param>
    /// <param name="lang">The html lang attribute.</param>
    /// <param name="text">What the page says outside markup (its address, its numbers); read only when the two above do not decide.</param>
    public static string Of(string? host, string? lang, Func<string> text)
    {
        if (host is { Length: > 0 } && host.LastIndexOf('.') is var dot and >= 0 && ByTld.TryGetValue(host[(dot + 1)..], out var byDomain))
        {
            return byDomain;
        }

        var language = Language(lang);
        if (lang is { Length: > 3 } && lang[2] is '-' or '_' && ByTld.TryGetValue(lang[3..].Trim(), out var byLang))
        {
            return byLang;
        }

        string[] candidates = language switch
        {
            "fr" => ["BE", "FR", "LU", "CH"],
            "de" => ["DE", "AT", "CH"],
            _ => ["NL", "BE", "DE"],
        };

        var page = text();
        var places = PlacesNamed(page);
        var best = candidates[0];
        var bestCount = 0;
        foreach (var candidate in candidates)
        {
            var count = places.GetValueOrDefault(candidate);
            foreach (var (cue, country) in Cues)
            {
                if (country == candidate)
                {
                    count += Count(page, cue);
                }
            }

            if (count > bestCount)
            {
                best = candidate;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>The two-letter language of an html lang attribute, lower case, or null.</summary>
    public static string? Language(string? lang) =>
        lang is { Length: >= 2 } && char.IsAsciiLetter(lang[0]) && char.IsAsciiLetter(lang[1]) && (lang.Length == 2 || lang[2] is '-' or '_')
            ? lang[..2].ToLowerInvariant()
            : null;

    /// <summary>A cue counts as a whole word: "Nederlands" (the language) does not name the Netherlands.</summary>
    private static int Count(string text, string cue)
    {
        var n = 0;
        var at = 0;
        while ((at = text.IndexOf(cue, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = at + cue.Length;
            if (!char.IsLetter(cue[^1]) || end >= text.Length || !char.IsLetter(text[end]))
            {
                n++;
            }

            at = end;
        }

        return n;
    }

    /// <summary>
    /// Capitalised one-word place names of exactly one country's gazetteer, never one that is also a common word
    /// ("Kortrijk" is Belgian, "Utrecht" Dutch): where a page is, by the places it names.
    /// </summary>
    private static readonly Lazy<Dictionary<string, string>> OnlyIn = new(() =>
    {
        var countries = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var place in PlaceNames.Everywhere)
        {
            if (place.Ambiguous || place.Spelling.Contains(' ', StringComparison.Ordinal) || place.Spelling.Length < 4 || !char.IsUpper(place.Spelling[0]))
            {
                continue;
            }

            var country = place.Country.ToUpperInvariant();
            countries[place.Spelling] = countries.TryGetValue(place.Spelling, out var seen) && seen != country ? null : country;
        }

        return countries.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
    });

    private static Dictionary<string, int> PlacesNamed(string text)
    {
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        var places = OnlyIn.Value.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (!char.IsUpper(span[i]) || (i > 0 && char.IsLetter(span[i - 1])))
            {
                i++;
                continue;
            }

            var end = i + 1;
            while (end < span.Length && (char.IsLetter(span[end]) || (span[end] == '-' && end + 1 < span.Length && char.IsLetter(span[end + 1]))))
            {
                end++;
            }

            if (places.TryGetValue(span[i..end], out var country))
            {
                votes[country] = votes.GetValueOrDefault(country) + 1;
            }

            i = end;
        }

        return votes;
    }
}
