using System.Globalization;
using System.Text.RegularExpressions;

namespace Crawler.Extraction;

/// <summary>
/// Posting dates in the forms Dutch and English ads use: ISO ("2026-08-20", "2026-08-20T14:03"), numeric
/// ("20-08-2026", "20/08/2026 14:03"), written ("20 augustus 2026", "6 Jan. 2026", "January 6, 2026"), and
/// relative ("vandaag", "gisteren", "2 dagen geleden", "3 hours ago", "een week geleden") resolved against the
/// fetch time. Local times are Dutch time (Europe/Amsterdam); a date without a time is its local midnight, and
/// so is a relative day ("gisteren"); hours and minutes ago are exact.
/// </summary>
internal static partial class PostingDates
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["januari"] = 1, ["january"] = 1, ["jan"] = 1, ["februari"] = 2, ["february"] = 2, ["feb"] = 2, ["febr"] = 2,
        ["maart"] = 3, ["march"] = 3, ["mrt"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4, ["mei"] = 5, ["may"] = 5,
        ["juni"] = 6, ["june"] = 6, ["jun"] = 6, ["juli"] = 7, ["july"] = 7, ["jul"] = 7, ["augustus"] = 8, ["august"] = 8,
        ["aug"] = 8, ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["oktober"] = 10, ["october"] = 10, ["okt"] = 10, ["oct"] = 10,
        ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
    };

    private static readonly Lazy<TimeZoneInfo> Amsterdam = new(FindAmsterdam);

    /// <summary>The Dutch time zone; the EU summer-time rule when the system has no time zone data.</summary>
    public static TimeZoneInfo Zone => Amsterdam.Value;

    /// <summary>A date or time in <paramref name="text"/>, absolute or relative; null when there is none (or it is relative and no fetch time is known).</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset? fetchedAt)
    {
        if (IsoLike().IsMatch(text) &&
            DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            // "2026-08-20" has no offset: it is a Dutch local date.
            return OffsetLike().IsMatch(text) ? iso : Local(iso.DateTime);
        }

        var m = Absolute().Match(text);
        if (m.Success)
        {
            return FromParts(m);
        }

        return fetchedAt is { } now ? Relative(text, now) : null;
    }

    /// <summary>A date right after a posting cue in running text: "Geplaatst: 12-05-2026", "posted 3 days ago", "online sinds gisteren".</summary>
    public static DateTimeOffset? AfterCue(string text, DateTimeOffset? fetchedAt)
    {
        foreach (Match cue in PostingCue().Matches(text))
        {
            var end = cue.Index + cue.Length;
            var window = text.AsSpan(end, Math.Min(60, text.Length - end));
            var newline = window.IndexOf('\n');
            if (newline >= 0)
            {
                window = window[..newline];
            }

            if (Parse(window.ToString(), fetchedAt) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    private static DateTimeOffset? FromParts(Match m)
    {
        int day, month, year;
        if (m.Groups["y"].Success)
        {
            day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        }
        else if (m.Groups["wy"].Success)
        {
            day = int.Parse(m.Groups["wd"].Value, CultureInfo.InvariantCulture);
            month = Months[m.Groups["wm"].Value.TrimEnd('.')];
            year = int.Parse(m.Groups["wy"].Value, CultureInfo.InvariantCulture);
        }
        else
        {
            day = int.Parse(m.Groups["ed"].Value, CultureInfo.InvariantCulture);
            month = Months[m.Groups["em"].Value.TrimEnd('.')];
            year = int.Parse(m.Groups["ey"].Value, CultureInfo.InvariantCulture);
        }

        if (year < 100)
        {
            year += 2000;
        }

        if (month is < 1 or > 12 || day < 1 || year is < 1990 or > 2100 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        var minute = m.Groups["min"].Success ? int.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture) : 0;
        if (hour > 23 || minute > 59)
        {
            hour = minute = 0;
        }

        return Local(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified));
    }

    private static DateTimeOffset? Relative(string text, DateTimeOffset now)
    {
        var m = RelativePattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var today = TimeZoneInfo.ConvertTime(now, Zone).Date;
        if (m.Groups["today"].Success)
        {
            return Local(today);
        }

        if (m.Groups["yesterday"].Success)
        {
            return Local(today.AddDays(-1));
        }

        if (m.Groups["dayBefore"].Success)
        {
            return Local(today.AddDays(-2));
        }

        var n = m.Groups["n"].Value.ToLowerInvariant() switch
        {
            "een" or "één" or "a" or "an" or "one" => 1,
            "twee" or "two" => 2,
            "drie" or "three" => 3,
            "vier" or "four" => 4,
            "vijf" or "five" => 5,
            "zes" or "six" => 6,
            var digits => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1,
        };
        if (n is < 0 or > 1000)
        {
            return null;
        }

        var unit = m.Groups["unit"].Value.ToLowerInvariant();
        return unit[0] switch
        {
            'm' when unit.StartsWith("min", StringComparison.Ordinal) => now.AddMinutes(-n),
            'm' => Local(today.AddMonths(-n)),
            'u' or 'h' => now.AddHours(-n),
            'd' => Local(today.AddDays(-n)),
            'w' => Local(today.AddDays(-7 * n)),
            _ => null,
        };
    }

    private static DateTimeOffset Local(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }

    private static TimeZoneInfo FindAmsterdam()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Central European Time with the EU rule: summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00.
            var start = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday);
            var end = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday);
            var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1), start, end);
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Amsterdam", TimeSpan.FromHours(1), "Europe/Amsterdam", "CET", "CEST", [rule]);
        }
    }

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*$")]
    private static partial Regex IsoLike();

    [GeneratedRegex(@"(?:Z|[+-]\d{2}:?\d{2})\s*$")]
    private static partial Regex OffsetLike();

    /// <summary>Numeric day-month-year, "20 augustus 2026", "January 6, 2026"; an optional time after it.</summary>
    [GeneratedRegex(
        @"(?<!\d)(?:(?<d>0?[1-9]|[12]\d|3[01])[-/.](?<m>0?[1-9]|1[0-2])[-/.](?<y>(?:19|20)\d{2}|\d{2})(?!\d)" +
        @"|(?<wd>0?[1-9]|[12]\d|3[01])\.?\s+(?<wm>januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|may|june|july|august|october|jan|febr?|mrt|mar|apr|jun|jul|aug|sept?|okt|oct|nov|dec)\.?,?\s+(?<wy>(?:19|20)\d{2})" +
        @"|(?<em>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+(?<ed>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+(?<ey>(?:19|20)\d{2}))" +
        @"(?:,?\s*(?:om|at|,)?\s*(?<h>[01]?\d|2[0-3])[:.](?<min>[0-5]\d)(?!\d))?",
        RegexOptions.IgnoreCase)]
    private static partial Regex Absolute();

    [GeneratedRegex(
        @"\b(?:(?<today>vandaag|today)|(?<yesterday>gisteren|yesterday)|(?<dayBefore>eergisteren)" +
        @"|(?<n>\d{1,4}|een|één|a|an|one|twee|two|drie|three|vier|four|vijf|five|zes|six)\s+(?<unit>minuten|minuut|min|minutes|minute|uur|uren|hours|hour|hrs|dagen|dag|days|day|weken|week|weeks|maanden|maand|months|month)\s+(?:geleden|ago))\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"\b(?:geplaatst(?:\s+op)?|gepubliceerd(?:\s+op)?|online\s+sinds|posted(?:\s+on)?|published(?:\s+on)?|(?:datum|date)(?=\s*:))\b\s*:?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex PostingCue();
}
