using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The generic profile over the second blind corpus (Blind2, part C): 90 pages of 9 layouts described nowhere in issue
/// 22 and held out, so that it keeps measuring whether the mechanisms generalise. Nothing is designed against it: the
/// test prints the figures per layout and in total and holds a ceiling on third-party leaks and floors under the
/// measures, at what they are now (a ratchet: lowering the ceiling or raising a floor is welcome, the other way needs
/// a reason in the commit). Another corpus is measured the same way with <see cref="BlindCorpus.MeasureHeldOut"/>, which
/// reads any folder of layouts (NN-name.html beside NN-name.expected.json).
/// </summary>
public sealed class Blind2CorpusReportTests
{
    /// <summary>
    /// Third-party contacts reported as the advertiser's over the 90 pages: 19 when this test was written, 3 since cards of
    /// others that offer a contact, threads in a container called replies, numbers given for someone else, guestbook
    /// pages and the country by the places a page names were read (all three on pages that are no ad but read as one).
    /// </summary>
    private const int LeakCeiling = 3;

    [Test]
    public void Report_measures_and_leaks_stay_under_the_ceiling()
    {
        var (report, total) = BlindCorpus.MeasureHeldOut(BlindCorpus.Blind2, layouts: 9, pages: 90, LeakCeiling);

        // Floors at what is reached (a ratchet like the ceiling), far below the bars: this corpus measures.
        // Phones, e-mail, ages, cities, rates, indicators: precision then recall.
        BlindCorpus.HoldFloors(report, total, adOrNot: 0.78, 0.93, 0.68, 1.00, 0.80, 0.97, 0.60, 0.72, 0.46, 0.87, 0.70, 0.88, 0.53);
    }
}
