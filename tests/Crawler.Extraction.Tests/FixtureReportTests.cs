using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The extractor against the written fixtures (four site layouts, Dutch and English, every hiding
/// family, third-party regions and non-ad pages), each layout with its own profile from
/// policies/profiles/: a per-page check, and a report of precision and recall per feature that fails
/// below the bar the issue sets.
/// </summary>
public sealed class FixtureReportTests
{
    /// <summary>Fetch time for pages whose expectation gives none: fixed, so relative dates are stable.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1));

    private static readonly string[] NewFeatures =
    [
        ProfileTester.Locations, ProfileTester.Messengers, ProfileTester.Name, ProfileTester.Nationalities, ProfileTester.Languages,
        ProfileTester.Venues, ProfileTester.Services, ProfileTester.PostedAt, ProfileTester.AdId, ProfileTester.Images,
    ];

    private static readonly Lazy<Dictionary<string, ProfileTestReport>> Reports = new(() =>
        Layouts().ToDictionary(l => l, l => ProfileTester.Run(TestPolicy.Extractor(l), Path.Combine(FixturesDir, l), Now)));

    private static string FixturesDir => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static IEnumerable<string> Layouts() =>
        Directory.GetDirectories(FixturesDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> Pages() =>
        Directory.GetFiles(FixturesDir, "*.html", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(FixturesDir, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static PageResult Result(string page)
    {
        var layout = page.Split('/')[0];
        return Reports.Value[layout].Pages.Single(p => p.Page == Path.GetFileName(page));
    }

    [TestCaseSource(nameof(Pages))]
    public void Each_fixture_page_yields_its_expected_contacts_and_nothing_of_others(string page)
    {
        var result = Result(page);

        Assert.Multiple(() =>
        {
            Assert.That(result.Problem, Is.Null);
            Assert.That(result.FoundAd, Is.EqualTo(result.ExpectedAd), "isAd");
            foreach (var f in result.Features.Where(f => f.Feature is ProfileTester.Phones or ProfileTester.Emails))
            {
                Assert.That(f.Missed.Concat(f.Extra), Is.Empty, $"{f.Feature}: missed {string.Join(", ", f.Missed)}; extra {string.Join(", ", f.Extra)}");
            }

            Assert.That(result.Leaks, Is.Empty, "third-party leak");
        });
    }

    [Test]
    public void There_are_enough_pages_over_enough_layouts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Pages().Count(), Is.GreaterThanOrEqualTo(60));
            Assert.That(Layouts().Count(), Is.GreaterThanOrEqualTo(4));
        });
    }

    [Test]
    public void Precision_and_recall_per_feature_meet_the_bar()
    {
        var reports = Reports.Value.Values.ToList();
        var pages = reports.SelectMany(r => r.Pages).ToList();
        var lines = new List<string> { $"pages {pages.Count} over {reports.Count} layouts, each with its own profile" };
        var scores = new Dictionary<string, (double Precision, double Recall)>();
        foreach (var feature in ProfileTester.Features)
        {
            int tp = 0, fn = 0, fp = 0;
            foreach (var r in reports)
            {
                var (m, missed, extra) = r.Totals(feature);
                tp += m;
                fn += missed;
                fp += extra;
            }

            scores[feature] = (Ratio(tp, fp), Ratio(tp, fn));
            lines.Add($"{feature,-14} precision {Ratio(tp, fp):0.000} recall {Ratio(tp, fn):0.000} (tp {tp}, fp {fp}, fn {fn})");
        }

        var leaks = pages.Sum(p => p.Leaks.Count);
        var nonAds = pages.Where(p => !p.ExpectedAd).ToList();
        var nonAdsRight = nonAds.Count(p => !p.FoundAd);
        lines.Add($"third-party leaks over all features {leaks}" + (leaks == 0 ? "" : ": " + string.Join("; ", pages.Where(p => p.Leaks.Count > 0).Select(p => p.Page + " " + string.Join(", ", p.Leaks)))));
        lines.Add($"non-ad accuracy {Ratio(nonAdsRight, nonAds.Count - nonAdsRight):0.000} ({nonAdsRight} of {nonAds.Count})");
        var report = string.Join(Environment.NewLine, lines);
        TestContext.Out.WriteLine(report);

        Assert.Multiple(() =>
        {
            Assert.That(pages, Has.Count.GreaterThanOrEqualTo(60));
            Assert.That(scores[ProfileTester.Phones].Precision, Is.GreaterThanOrEqualTo(0.98), report);
            Assert.That(scores[ProfileTester.Phones].Recall, Is.GreaterThanOrEqualTo(0.95), report);
            Assert.That(scores[ProfileTester.Emails].Precision, Is.GreaterThanOrEqualTo(0.95), report);
            Assert.That(scores[ProfileTester.Emails].Recall, Is.GreaterThanOrEqualTo(0.95), report);
            foreach (var feature in NewFeatures)
            {
                Assert.That(scores[feature].Precision, Is.GreaterThanOrEqualTo(0.9), $"{feature} precision{Environment.NewLine}{report}");
                Assert.That(scores[feature].Recall, Is.GreaterThanOrEqualTo(0.85), $"{feature} recall{Environment.NewLine}{report}");
            }

            Assert.That(leaks, Is.Zero, report);
            Assert.That(Ratio(nonAdsRight, nonAds.Count - nonAdsRight), Is.GreaterThanOrEqualTo(0.95), report);
        });
    }

    [Test]
    public void Every_new_feature_is_exercised_in_three_pages_of_two_layouts_in_Dutch_and_English()
    {
        var pages = Reports.Value.SelectMany(r => r.Value.Pages.Select(p => (Layout: r.Key, Page: p))).ToList();
        Assert.Multiple(() =>
        {
            foreach (var feature in NewFeatures)
            {
                var with = pages.Where(p => p.Page.Features.Any(f => f.Feature == feature && f.Matched.Count + f.Missed.Count > 0)).ToList();
                var languages = with.Select(p => TestPolicy.LanguageOf(Path.Combine(FixturesDir, p.Layout, p.Page.Page))).Distinct().ToList();
                Assert.That(with, Has.Count.GreaterThanOrEqualTo(3), feature);
                Assert.That(with.Select(p => p.Layout).Distinct().Count(), Is.GreaterThanOrEqualTo(2), feature);
                Assert.That(languages, Is.SupersetOf(new[] { "nl", "en" }), feature);
            }
        });
    }

    private static double Ratio(int a, int b) => a + b == 0 ? 1 : (double)a / (a + b);
}
