using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>Absolute and relative posting dates, in Dutch time, with the fetch time passed in.</summary>
public sealed class PostingDatesTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1));

    [TestCase("2026-08-20", "2026-08-20T00:00:00+02:00")]
    [TestCase("2026-08-20T14:03:00Z", "2026-08-20T14:03:00+00:00")]
    [TestCase("2026-01-06T09:30", "2026-01-06T09:30:00+01:00")]
    [TestCase("20-08-2026", "2026-08-20T00:00:00+02:00")]
    [TestCase("20/08/2026 14:03", "2026-08-20T14:03:00+02:00")]
    [TestCase("20.08.2026", "2026-08-20T00:00:00+02:00")]
    [TestCase("20 augustus 2026", "2026-08-20T00:00:00+02:00")]
    [TestCase("14 november 2026 om 10:02", "2026-11-14T10:02:00+01:00")]
    [TestCase("6 Jan. 2026", "2026-01-06T00:00:00+01:00")]
    [TestCase("January 6, 2026", "2026-01-06T00:00:00+01:00")]
    [TestCase("Nov 3rd 2026", "2026-11-03T00:00:00+01:00")]
    [TestCase("29 maart 2026", "2026-03-29T00:00:00+01:00")]
    [TestCase("30 maart 2026", "2026-03-30T00:00:00+02:00")]
    public void Absolute_dates_are_Dutch_local_time(string text, string expected)
    {
        Assert.That(PostingDates.Parse(text, null), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("vandaag", "2026-11-20T00:00:00+01:00")]
    [TestCase("gisteren", "2026-11-19T00:00:00+01:00")]
    [TestCase("eergisteren", "2026-11-18T00:00:00+01:00")]
    [TestCase("2 dagen geleden", "2026-11-18T00:00:00+01:00")]
    [TestCase("een week geleden", "2026-11-13T00:00:00+01:00")]
    [TestCase("3 uur geleden", "2026-11-20T09:00:00+01:00")]
    [TestCase("today", "2026-11-20T00:00:00+01:00")]
    [TestCase("yesterday", "2026-11-19T00:00:00+01:00")]
    [TestCase("3 hours ago", "2026-11-20T09:00:00+01:00")]
    [TestCase("45 minutes ago", "2026-11-20T11:15:00+01:00")]
    [TestCase("a day ago", "2026-11-19T00:00:00+01:00")]
    [TestCase("2 weeks ago", "2026-11-06T00:00:00+01:00")]
    public void Relative_dates_count_back_from_the_fetch_time(string text, string expected)
    {
        Assert.That(PostingDates.Parse(text, Fetched), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Yesterday_is_the_Dutch_yesterday_even_just_after_midnight()
    {
        // 23:30 UTC on 19 November is already 20 November in Amsterdam.
        var fetched = new DateTimeOffset(2026, 11, 19, 23, 30, 0, TimeSpan.Zero);

        Assert.That(PostingDates.Parse("gisteren", fetched), Is.EqualTo(new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(1))));
    }

    [TestCase("2 dagen geleden")]
    [TestCase("yesterday")]
    public void A_relative_date_without_a_fetch_time_is_unknown(string text)
    {
        Assert.That(PostingDates.Parse(text, null), Is.Null);
    }

    [TestCase("31-02-2026")]
    [TestCase("24/7 bereikbaar")]
    [TestCase("€ 150 per uur")]
    [TestCase("13-13-2026")]
    public void Impossible_dates_and_other_numbers_are_no_dates(string text)
    {
        Assert.That(PostingDates.Parse(text, Fetched), Is.Null);
    }

    [TestCase("Beschikbaar tot 07/10/2026. Geplaatst: 12-05-2026 14:03", "2026-05-12T14:03:00+02:00")]
    [TestCase("Available until 04/12/2026; posted 3 days ago", "2026-11-17T00:00:00+01:00")]
    [TestCase("Vanaf 30-08-2026 in Utrecht", null)]
    public void In_running_text_only_a_date_after_a_posting_word_counts(string text, string? expected)
    {
        Assert.That(PostingDates.AfterCue(text, Fetched),
            Is.EqualTo(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
