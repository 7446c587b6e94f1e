using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The generic profile over the second blind corpus (Blind2, part C): 90 pages of 9 layouts described nowhere in issue
/// 22 and held out, so that it keeps measuring whether the mechanisms generalise. Nothing is designed against it: the
/// test prints the figures per layout and in total and holds only a ceiling on third-party leaks, at what they are now
/// (a ratchet: lowering it is welcome, raising it needs a reason in the commit).
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
        var (report, _, total) = BlindCorpus.Measure(BlindCorpus.Blind2);
        TestContext.Out.WriteLine(report);
        Assert.Multiple(() =>
        {
            Assert.That(BlindCorpus.Layouts(BlindCorpus.Blind2), Has.Count.EqualTo(9), report);
            Assert.That(total.Pages, Is.EqualTo(90), report);
            Assert.That(total.Leaks, Is.LessThanOrEqualTo(LeakCeiling), "third-party leaks on the held-out corpus" + Environment.NewLine + report);
        });
    }
}
