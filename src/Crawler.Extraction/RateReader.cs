using System.Globalization;
using System.Text.RegularExpressions;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>
/// Rates in the four languages, in either order and in the layouts ads use: "€ 150 per uur", "100€ de l'heure",
/// "1 Std. 150 €", "half uur 40 euro, uur 70", "1h : 180€", "60 min — €140", "avondje (3 uur) 300", a list on one
/// line ("half uur 60 · uur 100 · anderhalf uur 140"), and a duration on one line with its amount on the next
/// ("1 uur" / "150"). An amount without a currency counts only beside a duration and where the text speaks of money
/// (a currency on the line or near it, or a rates heading such as "Tarieven", "Tarifs", "Preise" just before). A price
/// per month, week or year is a subscription, not a rate.
/// </summary>
internal static partial class RateReader
{
    /// <summary>How many lines before a bare amount a rates heading or a currency still speaks for it.</summary>
    private const int ContextBefore = 6;

    /// <summary>How many lines after ("Alle bedragen in euro" under a list of rates).</summary>
    private const int ContextAfter = 6;

    /// <summary>Words a line may hold besides its duration and still be the label of the amount on the next line ("1 Std. mit einer von uns").</summary>
    private const int LabelWords = 5;

    private static readonly string[] RateHeadings =
    [
        "tarieven", "tarief", "prijzen", "prijs", "prijslijst", "kosten", "rates", "rate", "prices", "price", "pricing", "fees",
        "tarifs", "tarif", "prix", "preise", "preis", "preisliste", "honorar", "taschengeld",
    ];

    /// <summary>A duration of a visit as shown, and in hours (null for a night of unstated length).</summary>
    internal readonly record struct Duration(int Start, int End, string Per, decimal? Hours);

    /// <summary>An amount; <see cref="Marked"/> with a currency, <see cref="Spoken"/> where the text speaks of money around it.</summary>
    private readonly record struct Amount(int Start, int End, decimal Value, bool Marked, bool Spoken, bool Subscription)
    {
        /// <summary>Whether the amount is money wherever it stands; a bare one needs a duration and a colon before it.</summary>
        public bool Money => Marked || Spoken;
    }

    public static List<StatedPrice> Read(string text)
    {
        var prices = new List<StatedPrice>();
        var lines = text.Split('\n');

        // Amounts first, on the lines with digits only (most lines have none): durations are looked for only where an
        // amount is, or on the lines just above a line that is only an amount.
        var money = new bool[lines.Length];
        var amounts = new List<Amount>?[lines.Length];
        HashSet<decimal>? marked = null;
        for (var k = 0; k < lines.Length; k++)
        {
            var line = lines[k];
            money[k] = NamesCurrency(line) || StartsWithRateHeading(line);
            if (line.AsSpan().IndexOfAnyInRange('0', '9') >= 0 && Amounts(line) is { Count: > 0 } found)
            {
                amounts[k] = found;
                foreach (var x in found)
                {
                    if (x.Marked)
                    {
                        (marked ??= []).Add(x.Value);
                    }
                }
            }
        }

        if (Array.TrueForAll(amounts, a => a is null))
        {
            return prices;
        }

        var amountOnly = new Amount?[lines.Length];
        for (var k = 0; k < lines.Length; k++)
        {
            if (amounts[k] is not { } found)
            {
                continue;
            }

            // An amount the page also gives with a currency ("Prijs: 50 euro") is money where it stands bare ("uur 50").
            var context = InContext(money, k);
            for (var i = 0; i < found.Count; i++)
            {
                found[i] = found[i] with { Spoken = context || marked?.Contains(found[i].Value) == true };
            }

            var line = lines[k];

            // A line that is only an amount waits for the duration line above it.
            if (found.Count == 1 && IsAlmostOnly(line, found[0].Start, found[0].End, words: 0) && Durations(line).Count == 0)
            {
                amountOnly[k] = found[0];
                continue;
            }

            // Bare numbers where nothing speaks of money make a rate only after "duration:" ("1 uur: 80").
            if (!found.Exists(a => a.Money) && line.AsSpan().IndexOfAny(':', '=') < 0)
            {
                continue;
            }

            var durations = Durations(line);
            foreach (var (start, end) in Segments(line, found))
            {
                Pair(line, start, end, durations, found, prices);
            }
        }

        // Lines that are only a duration, looked for above the lines that are only an amount, for pairing across lines.
        var durationOnly = new Duration?[lines.Length];
        for (var k = 0; k < lines.Length; k++)
        {
            if (amountOnly[k] is null)
            {
                continue;
            }

            for (var d = k - 1; d >= 0 && amountOnly[d] is null && amounts[d] is null && durationOnly[d] is null; d--)
            {
                var durations = Durations(lines[d]);
                if (durations.Count != 1 || !IsAlmostOnly(lines[d], durations[0].Start, durations[0].End, LabelWords))
                {
                    break;
                }

                durationOnly[d] = durations[0];
            }
        }

        PairAcrossLines(lines, durationOnly, amountOnly, prices);
        return Tidy(prices);
    }

    /// <summary>The duration a cell or label states when it is little else: "30 minuten", "1 uur", "Stunde", "Avond (4 uur)".</summary>
    public static Duration? DurationOf(string cell)
    {
        if (cell.Length is 0 or > 30 || cell.Contains('€', StringComparison.Ordinal))
        {
            return null;
        }

        var durations = Durations(cell);
        return durations.Count == 1 && IsAlmostOnly(cell, durations[0].Start, durations[0].End, words: 2) ? durations[0] : null;
    }

    /// <summary>Every duration in a line, longest first where they overlap.</summary>
    internal static List<Duration> Durations(string line)
    {
        var found = new List<Duration>();
        foreach (Match m in DurationPattern().Matches(line))
        {
            if (Parse(m) is { } d)
            {
                found.Add(d);
            }
            else if (m.Groups["hours"].Success)
            {
                // "35 uur 50": the number is too large to be hours; the unit alone is an hour ("uur 50").
                var unit = m.Groups["hours"].Index + m.Groups["hours"].Length;
                while (unit < m.Index + m.Length && char.IsWhiteSpace(line[unit]))
                {
                    unit++;
                }

                found.Add(new Duration(unit, m.Index + m.Length, "1 h", 1m));
            }
        }

        return found;
    }

    private static Duration? Parse(Match m)
    {
        var (start, end) = (m.Index, m.Index + m.Length);
        if (m.Groups["onehalf"].Success)
        {
            return new Duration(start, end, "1.5 h", 1.5m);
        }

        if (m.Groups["half"].Success)
        {
            return new Duration(start, end, "30 min", 0.5m);
        }

        if (m.Groups["quarter"].Success)
        {
            return new Duration(start, end, "15 min", 0.25m);
        }

        if (m.Groups["night"].Success)
        {
            return m.Groups["nh"].Success && Number(m.Groups["nh"].Value) is { } nightHours and > 0
                ? new Duration(start, end, $"{nightHours.ToString(CultureInfo.InvariantCulture)} h", nightHours)
                : new Duration(start, end, "night", null);
        }

        if (m.Groups["minutes"].Success && Number(m.Groups["minutes"].Value) is { } minutes and >= 5 and <= 600)
        {
            return new Duration(start, end, $"{minutes.ToString(CultureInfo.InvariantCulture)} min", minutes / 60m);
        }

        if (m.Groups["hours"].Success && Number(m.Groups["hours"].Value) is { } hours and > 0 and <= 24)
        {
            if (m.Groups["andmin"].Success && Number(m.Groups["andmin"].Value) is { } extra and > 0 and < 60)
            {
                var total = (hours * 60) + extra;
                return new Duration(start, end, $"{total.ToString(CultureInfo.InvariantCulture)} min", total / 60m);
            }

            return new Duration(start, end, $"{hours.ToString(CultureInfo.InvariantCulture)} h", hours);
        }

        return m.Groups["hour"].Success ? new Duration(start, end, "1 h", 1m) : null;
    }

    private static decimal? Number(string s) =>
        decimal.TryParse(s.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Amounts, with a currency or bare (whether a bare one is money is decided by the lines around it).</summary>
    private static List<Amount> Amounts(string line)
    {
        var found = new List<Amount>();
        if (line.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return found;
        }

        foreach (Match m in AmountPattern().Matches(line))
        {
            var marked = m.Groups["cur1"].Success || m.Groups["cur2"].Success || m.Groups["dash"].Success;
            var digits = m.Groups["num"].Value;
            var value = digits.Length > 3 && digits[^4] is '.' or ',' or '\u202F' or '\u00A0' or ' '
                ? decimal.Parse(digits.Remove(digits.Length - 4, 1), CultureInfo.InvariantCulture)
                : decimal.Parse(digits, CultureInfo.InvariantCulture);
            if (m.Groups["cents"].Success && m.Groups["cents"].Value.Length == 3 && char.IsAsciiDigit(m.Groups["cents"].Value[2]))
            {
                value += decimal.Parse("0." + m.Groups["cents"].Value[1..], CultureInfo.InvariantCulture);
            }

            // A small number before a unit of time is a duration ("24 uur", "30 min"), not an amount.
            var after = line.AsSpan(m.Index + m.Length);
            if ((!marked && value < 10) || value <= 0 || value > 100_000 ||
                (!marked && ((value <= 24 && HourUnitAfter().IsMatch(after)) || (value <= 600 && MinuteUnitAfter().IsMatch(after)))))
            {
                continue;
            }

            found.Add(new Amount(m.Index, m.Index + m.Length, value, marked, Spoken: false, SubscriptionAfter().IsMatch(after)));
        }

        return found;
    }

    /// <summary>
    /// Where a line with several amounts falls apart into one rate each: at list separators ("·", "|", " / ", ", ",
    /// " – "), each segment holding one amount. A line with one amount is one segment.
    /// </summary>
    private static IEnumerable<(int Start, int End)> Segments(string line, List<Amount> amounts)
    {
        if (amounts.Count < 2)
        {
            yield return (0, line.Length);
            yield break;
        }

        var start = 0;
        for (var i = 0; i < amounts.Count - 1; i++)
        {
            // The last separator between this amount and the next ends the segment.
            var cut = -1;
            foreach (Match m in Separator().Matches(line[amounts[i].End..amounts[i + 1].Start]))
            {
                cut = amounts[i].End + m.Index;
            }

            if (cut >= 0)
            {
                yield return (start, cut);
                start = cut + 1;
            }
        }

        yield return (start, line.Length);
    }

    /// <summary>
    /// Pairs the amounts of one segment with its durations: a duration right before the amount ("1 uur: 80", "1h
    /// 250€", "avondje (3 uur) 300") first, then one right after it ("€ 150 per uur", "€ 70 half uur"), then one
    /// before it with a few words between ("1 uur met 1 meisje: 120 euro"). An amount with a currency and no duration
    /// is a price without a duration; a bare amount without a duration is no price.
    /// </summary>
    private static void Pair(string line, int start, int end, List<Duration> allDurations, List<Amount> allAmounts, List<StatedPrice> into)
    {
        var durations = allDurations.Where(d => d.Start >= start && d.End <= end).ToList();
        var amounts = allAmounts.Where(a => a.Start >= start && a.End <= end).ToList();
        var taken = new bool[durations.Count];
        var chosen = new int[amounts.Count];
        Array.Fill(chosen, -1);
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < amounts.Count; i++)
            {
                if (chosen[i] >= 0)
                {
                    continue;
                }

                var a = amounts[i];
                for (var k = 0; k < durations.Count; k++)
                {
                    var d = durations[k];
                    if (taken[k])
                    {
                        continue;
                    }

                    // A bare amount where nothing speaks of money counts only right after its duration and a colon ("1 uur: 80").
                    var fits = pass switch
                    {
                        0 => d.End <= a.Start && line.AsSpan(d.End, a.Start - d.End) is var gap && DirectlyBefore().IsMatch(gap) &&
                             (a.Money || gap.ContainsAny(':', '=')),
                        1 => a.Money && d.Start >= a.End && DirectlyAfter().IsMatch(line.AsSpan(a.End, d.Start - a.End)),
                        _ => a.Money && d.End <= a.Start && a.Start - d.End <= 40 && FewWordsBefore().IsMatch(line.AsSpan(d.End, a.Start - d.End)) &&
                             !amounts.Exists(o => o.Start > d.End && o.End < a.Start),
                    };
                    if (fits)
                    {
                        chosen[i] = k;
                        taken[k] = true;
                        break;
                    }
                }
            }
        }

        for (var i = 0; i < amounts.Count; i++)
        {
            var a = amounts[i];
            if (a.Subscription)
            {
                continue;
            }

            if (chosen[i] >= 0)
            {
                var d = durations[chosen[i]];
                var from = Math.Min(a.Start, d.Start);
                var to = Math.Max(a.End, d.End);
                into.Add(Price(a.Value, d, line[from..to]));
            }
            else if (a.Marked)
            {
                into.Add(new StatedPrice(a.Value, "EUR", "unspecified", null, line[a.Start..a.End].Trim()));
            }
        }
    }

    /// <summary>
    /// Runs of duration-only lines followed by amount-only lines: the n-th duration is the n-th amount's, counted from
    /// the end when there are more durations ("Dag en nacht bereikbaar." before "1 uur:" / "180"). A bare amount where
    /// nothing speaks of money counts only after a duration line that ends with a colon.
    /// </summary>
    private static void PairAcrossLines(string[] lines, Duration?[] durationOnly, Amount?[] amountOnly, List<StatedPrice> into)
    {
        var k = 0;
        while (k < lines.Length)
        {
            if (durationOnly[k] is null)
            {
                if (amountOnly[k] is { Marked: true, Subscription: false } lone)
                {
                    into.Add(new StatedPrice(lone.Value, "EUR", "unspecified", null, lines[k].Trim()));
                }

                k++;
                continue;
            }

            var d = k;
            while (d < lines.Length && durationOnly[d] is not null)
            {
                d++;
            }

            var a = d;
            while (a < lines.Length && amountOnly[a] is not null && a - d < d - k)
            {
                a++;
            }

            var first = d - (a - d);
            for (var i = 0; i < a - d; i++)
            {
                var amount = amountOnly[d + i]!.Value;
                var line = lines[first + i].TrimEnd();
                if (!amount.Subscription && (amount.Money || line.EndsWith(':')))
                {
                    into.Add(Price(amount.Value, durationOnly[first + i]!.Value, line.Trim() + " " + lines[d + i].Trim()));
                }
                else if (amount is { Marked: true, Subscription: false })
                {
                    into.Add(new StatedPrice(amount.Value, "EUR", "unspecified", null, lines[d + i].Trim()));
                }
            }

            k = Math.Max(a, d);
        }
    }

    private static StatedPrice Price(decimal amount, Duration d, string evidence) =>
        new(amount, "EUR", d.Per, d.Hours is { } h && h > 0 ? Math.Round(amount / h, 2) : null, evidence.Trim());

    /// <summary>Each price once; a price without a duration whose amount is also given with one is that price.</summary>
    private static List<StatedPrice> Tidy(List<StatedPrice> prices)
    {
        var result = new List<StatedPrice>();
        foreach (var p in prices)
        {
            if (result.Exists(r => r.Amount == p.Amount && r.Per == p.Per) ||
                (p.Per == "unspecified" && prices.Exists(o => o.Amount == p.Amount && o.Per != "unspecified")))
            {
                continue;
            }

            result.Add(p);
        }

        return result;
    }

    /// <summary>Whether a line holds little besides [start, end): at most a few words of label, no other digits.</summary>
    private static bool IsAlmostOnly(string line, int start, int end, int words = 3)
    {
        var rest = string.Concat(line.AsSpan(0, start), " ", line.AsSpan(end));
        if (rest.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            return false;
        }

        var count = 0;
        foreach (var _ in WordPattern().EnumerateMatches(rest))
        {
            count++;
        }

        return count <= words;
    }

    private static bool InContext(bool[] money, int k)
    {
        for (var j = Math.Max(0, k - ContextBefore); j <= Math.Min(money.Length - 1, k + ContextAfter); j++)
        {
            if (money[j])
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesCurrency(string line) =>
        line.Contains('€', StringComparison.Ordinal) || line.Contains("euro", StringComparison.OrdinalIgnoreCase) ||
        line.Contains("eur ", StringComparison.OrdinalIgnoreCase) || line.EndsWith("eur", StringComparison.OrdinalIgnoreCase);

    private static bool StartsWithRateHeading(string line)
    {
        var t = line.AsSpan().TrimStart();
        foreach (var h in RateHeadings)
        {
            if (t.StartsWith(h, StringComparison.OrdinalIgnoreCase) && (t.Length == h.Length || !char.IsLetter(t[h.Length])))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(
        @"(?<onehalf>\banderhalf\s+uur\b|\b(?:anderthalb|eineinhalb)\s+stunden?\b|\bone\s+and\s+a\s+half\s+hours?\b|\bune\s+heure\s+et\s+demie\b|\b1\s*[.,]\s*5\s*(?:uur|u|h|hours?|std\.?|stunden?|heures?)(?![a-zäöü]))" +
        @"|(?<half>(?:\b(?:een|a|an|eine|une|la)\s+)?(?:\b(?:half|halve|halbe|demi)[\s-]*(?:uur|hour|stunde|heure)\b|½\s*(?:uur|u|h|hour|std|stunde|heure)\b|\b1/2\s*(?:uur|u|h|hour|std|stunde|heure)\b))" +
        @"|(?<quarter>\b(?:kwartier|quarter(?:\s+(?:of\s+an\s+)?hour)?|viertelstunde|quart\s+d['’]heure)\b)" +
        @"|(?<night>\b(?:hele\s+nacht|nacht|night|nuit|overnight|overnachting|übernachtung)\b(?:(?:\s+\p{L}{3,12})?\s*\(\s*(?<nh>\d{1,2})\s*(?:uur|u|h|hours?|std\.?|stunden|heures?)\s*\))?)" +
        @"|(?<![\d.,:/])(?:(?<hours>\d{1,2})\s*(?:uur|uren|u|h|hrs?|hours?|std\.?|stunden?|heures?|heure)(?<andmin>\d{2})?(?![a-zäöü\d])|(?<minutes>\d{1,3})\s*(?:minuten|minutes|min\.?|mins?|mn)(?![a-zäöü]))" +
        @"|(?<hour>(?<![\w])(?:uur|hour|stunde|std\.|heure)(?![\w]))",
        RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(
        @"(?<![\w.,/:+\-])(?:(?<cur1>€|EUR\b|euro\b)\s*)?(?<num>\d{1,2}[.,\u202F\u00A0]\d{3}(?![\d])|\d{1,2}[ ]\d{3}(?=\s*(?:€|euros?\b|eur\b))|\d{2,5})(?<cents>,-|\.-|[.,]\d{2}(?!\d))?(?:\s*(?<cur2>€|euros?\b|eur\b)|(?<dash>,-))?" +
        @"(?![\d]|[.,]\d|\s*(?:%|cm\b|kg\b|m\b|jaar|jahre|ans\b|years?\b|x\b|:\d|/\d|-\d))",
        RegexOptions.IgnoreCase)]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"^\s*(?:uur|uren|u|h|hrs?|hours?|std|stunden?|heures?|heure)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HourUnitAfter();

    [GeneratedRegex(@"^\s*(?:minuten|minutes|min|mins|mn)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MinuteUnitAfter();

    [GeneratedRegex(@"^\s*(?:per|pro|par|a|/)\s*(?:maand|month|monat|mois|week|woche|semaine|jaar|year|jahr|an\b|dag|day|tag|jour)", RegexOptions.IgnoreCase)]
    private static partial Regex SubscriptionAfter();

    /// <summary>List separators between two rates on one line.</summary>
    [GeneratedRegex(@"\s[·•|/–—-]\s|[·•|;]|,\s")]
    private static partial Regex Separator();

    /// <summary>
    /// Between a duration and its amount right after: punctuation, a currency sign, a remark in brackets, or the end
    /// of the brackets the duration stood in ("avondje (3 uur) 300").
    /// </summary>
    [GeneratedRegex(@"^\)?[\s:=\-–—€]*(?:\([^()]{0,30}\)[\s:=\-–—€]*)?$")]
    private static partial Regex DirectlyBefore();

    /// <summary>Between an amount and its duration right after: nothing, or "per", "pro", "/", "de l'", "la", "for", "voor" ...</summary>
    [GeneratedRegex(@"^\s*(?:(?:per|pro|/|voor|for|p\.?|de|la|le|l['’]|par|die|das|the|een|an?|une?|eine?)\s*){0,3}$", RegexOptions.IgnoreCase)]
    private static partial Regex DirectlyAfter();

    /// <summary>A few words (at most five) and a colon, no sentence punctuation: "met 1 meisje:", "mit Escort".</summary>
    [GeneratedRegex(@"^\s*(?:[\p{L}\d'’]+\s+){0,4}[\p{L}\d'’]*\s*[:=\-–—]?\s*€?\s*$")]
    private static partial Regex FewWordsBefore();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordPattern();
}
