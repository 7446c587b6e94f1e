using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The generic profile over the third blind corpus (Blind3, part D): 110 pages of 11 layouts of kinds not in parts A-C
/// (a creator fan page, a Telegram channel preview, an archived copy inside an archive's toolbar, an FKK club, a 2005
/// frameset site, a massage salon, a phpBB 2 forum, a browser's "save as" div soup, a mobile web app, a tabbed sedcard
/// directory, a punter review board), written from descriptions of real sites by someone who had not read the
/// extractor. Held out when it arrived (24 leaks), it has since been studied (round 4 of issue 22) for the general
/// mechanisms that failed on it; a fourth corpus, unseen, now measures whether they generalise. The test prints the
/// figures and holds a ceiling on third-party leaks and floors under the measures at what they reached (a ratchet).
/// </summary>
public sealed class Blind3CorpusReportTests
{
    /// <summary>
    /// Third-party contacts reported as the advertiser's over the 110 pages: 24 when the corpus arrived (2026-12-07), 7
    /// since a page's own class no longer reads as a review region, pages that cannot be sectioned keep only the first
    /// passage of contacts, referrals in the plural ("onze vriendin") and help, jobs and ranking pages are read.
    /// </summary>
    private const int LeakCeiling = 7;

    [Test]
    public void Report_measures_and_leaks_stay_under_the_ceiling()
    {
        var (report, total) = BlindCorpus.MeasureHeldOut(BlindCorpus.Blind3, layouts: 11, pages: 110, LeakCeiling);

        // Floors at what is reached, far below the bars. Phones, e-mail, ages, cities, rates, indicators: precision then recall.
        BlindCorpus.HoldFloors(report, total, adOrNot: 0.60, 0.85, 0.45, 0.75, 0.42, 0.92, 0.26, 0.59, 0.39, 0.81, 0.37, 0.80, 0.22);
    }
}
