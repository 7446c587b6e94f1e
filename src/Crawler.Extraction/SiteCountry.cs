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
        var best = candidates[0];
        var bestCount = 0;
        foreach (var candidate in candidates)
        {
            var count = 0;
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

    private static int Count(string text, string cue)
    {
        var n = 0;
        var at = 0;
        while ((at = text.IndexOf(cue, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            n++;
            at += cue.Length;
        }

        return n;
    }
}
