using System.Text.Json;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The extractor against the written fixtures (four site layouts, Dutch and English, every hiding
/// family, third-party regions and non-ad pages): a per-page check, and a report of precision and
/// recall per feature that fails below the bar the issue sets.
/// </summary>
public sealed class FixtureReportTests
{
    private sealed record Expected(bool IsAd, string[] Phones, string[] Emails, string[] MustNotExtract, string[]? Families);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string FixturesDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures");

    public static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.html", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "Fixtures"), p))
            .Order(StringComparer.Ordinal);

    private static (Expected Expected, Core.Hits.AdFeatures Ad) Run(string page)
    {
        var path = Path.Combine(FixturesDir, page);
        var expected = JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.ChangeExtension(path, ".expected.json")), Json)!;
        var ad = new AdExtractor().Extract(File.ReadAllText(path), new Uri("https://site.example.nl/" + page.Replace('\\', '/'))).Ad;
        return (expected, ad);
    }

    [TestCaseSource(nameof(Pages))]
    public void Each_fixture_page_yields_its_expected_values(string page)
    {
        var (expected, ad) = Run(page);

        Assert.Multiple(() =>
        {
            Assert.That(ad.IsAd, Is.EqualTo(expected.IsAd), ad.NotAdReason);
            Assert.That(ad.Phones.Select(p => p.E164), Is.EquivalentTo(expected.Phones), "phones");
            Assert.That(ad.Emails, Is.EquivalentTo(expected.Emails.Select(e => e.ToLowerInvariant())), "emails");
            Assert.That(ad.Phones.Select(p => p.E164).Concat(ad.Emails), Has.None.AnyOf(expected.MustNotExtract.Select(m => m.ToLowerInvariant()).Concat(expected.MustNotExtract).ToArray()),
                "third-party leak");
        });
    }

    [Test]
    public void Precision_and_recall_per_feature_meet_the_bar()
    {
        int phoneTp = 0, phoneFp = 0, phoneFn = 0, mailTp = 0, mailFp = 0, mailFn = 0, leaks = 0, nonAds = 0, nonAdsRight = 0, pages = 0;
        foreach (var page in Pages())
        {
            var (expected, ad) = Run(page);
            pages++;
            var phones = ad.Phones.Select(p => p.E164).ToHashSet();
            var mails = ad.Emails.ToHashSet();
            var wantPhones = expected.Phones.ToHashSet();
            var wantMails = expected.Emails.Select(e => e.ToLowerInvariant()).ToHashSet();
            phoneTp += phones.Count(wantPhones.Contains);
            phoneFp += phones.Count(p => !wantPhones.Contains(p));
            phoneFn += wantPhones.Count(p => !phones.Contains(p));
            mailTp += mails.Count(wantMails.Contains);
            mailFp += mails.Count(m => !wantMails.Contains(m));
            mailFn += wantMails.Count(m => !mails.Contains(m));
            var forbidden = expected.MustNotExtract.Select(m => m.ToLowerInvariant()).ToHashSet();
            leaks += phones.Count(forbidden.Contains) + mails.Count(forbidden.Contains);
            if (!expected.IsAd)
            {
                nonAds++;
                nonAdsRight += ad.IsAd ? 0 : 1;
            }
        }

        static double Ratio(int a, int b) => a + b == 0 ? 1 : (double)a / (a + b);
        var report = new[]
        {
            $"pages {pages}",
            $"phones   precision {Ratio(phoneTp, phoneFp):0.000} recall {Ratio(phoneTp, phoneFn):0.000} (tp {phoneTp}, fp {phoneFp}, fn {phoneFn})",
            $"e-mails  precision {Ratio(mailTp, mailFp):0.000} recall {Ratio(mailTp, mailFn):0.000} (tp {mailTp}, fp {mailFp}, fn {mailFn})",
            $"third-party leaks {leaks}",
            $"non-ad accuracy {Ratio(nonAdsRight, nonAds - nonAdsRight):0.000} ({nonAdsRight} of {nonAds})",
        };
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, report));

        Assert.Multiple(() =>
        {
            Assert.That(pages, Is.GreaterThanOrEqualTo(60));
            Assert.That(Ratio(phoneTp, phoneFp), Is.GreaterThanOrEqualTo(0.98), report[1]);
            Assert.That(Ratio(phoneTp, phoneFn), Is.GreaterThanOrEqualTo(0.95), report[1]);
            Assert.That(Ratio(mailTp, mailFp), Is.GreaterThanOrEqualTo(0.95), report[2]);
            Assert.That(Ratio(mailTp, mailFn), Is.GreaterThanOrEqualTo(0.95), report[2]);
            Assert.That(leaks, Is.Zero, report[3]);
            Assert.That(Ratio(nonAdsRight, nonAds - nonAdsRight), Is.GreaterThanOrEqualTo(0.95), report[4]);
        });
    }
}
