using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The generic profile over the fourth blind corpus (Blind4, part E): 110 pages of 11 layouts of kinds not in parts A-D
/// (a tour agenda, a German classifieds market with a Q&amp;A, a cam room with a tip menu, an expat WordPress blog, a
/// Usenet archive, a magazine converted from PDF, a sugar-dating profile, HTML newsletters, WhatsApp landing pages, an
/// aggregator of scraped ads, a Flemish marketplace with bids), written from descriptions of real sites by someone who
/// had not read the extractor. Held out: it is measured, never designed against, so that it tells whether the mechanisms
/// fixed on the third corpus generalise. The ceiling and floors are what it measured when it arrived (a ratchet).
/// </summary>
public sealed class Blind4CorpusReportTests
{
    /// <summary>
    /// Third-party contacts reported as the advertiser's over the 110 pages when the corpus arrived (2026-12-08): 19
    /// (newsletters listing several women 5, cam rooms' chat 6). The third corpus had 24 on arrival.
    /// </summary>
    private const int LeakCeiling = 19;

    [Test]
    public void Report_measures_and_leaks_stay_under_the_ceiling()
    {
        var (report, total) = BlindCorpus.MeasureHeldOut(BlindCorpus.Blind4, layouts: 11, pages: 110, LeakCeiling);

        // Floors at what was measured on arrival. Phones, e-mail, ages, cities, rates, indicators: precision then recall.
        BlindCorpus.HoldFloors(report, total, adOrNot: 0.59, 0.71, 0.52, 0.49, 0.24, 0.97, 0.38, 0.55, 0.46, 0.72, 0.39, 0.90, 0.36);
    }
}
