using System.Globalization;
using System.Text;
using System.Text.Json;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// Scores extraction over the blind corpus (tests/Crawler.Extraction.Tests/Blind): pages written by people who never
/// read the extractor. Only aggregate numbers come out of here, per layout and per feature: the corpus measures, it
/// does not design.
/// </summary>
internal static class BlindCorpus
{
    public const string Phones = "phones";
    public const string Emails = "emails";
    public const string Ages = "ages";
    public const string Cities = "cities";
    public const string Rates = "rates";
    public const string Indicators = "indicators";

    public static readonly string[] Features = [Phones, Emails, Ages, Cities, Rates, Indicators];

    /// <summary>The first blind corpus (parts A and B), which the report's floors hold.</summary>
    public const string Blind = "Blind";

    /// <summary>The second (part C), held out: measured, never designed against.</summary>
    public const string Blind2 = "Blind2";

    /// <summary>The third (part D), held out like the second.</summary>
    public const string Blind3 = "Blind3";

    /// <summary>The fourth (part E), held out: it measures whether what was learnt from the third generalises.</summary>
    public const string Blind4 = "Blind4";

    public static string Dir(string corpus) => Path.Combine(TestPolicy.RepositoryRoot, "tests", "Crawler.Extraction.Tests", corpus);

    /// <summary>The layouts of a corpus: its sub-folders, each one site's pages (any corpus folder of this shape is measured alike).</summary>
    public static IReadOnlyList<string> Layouts(string corpus = Blind)
    {
        var dir = Dir(corpus);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"no blind corpus '{corpus}' at {dir}: one folder per layout, each with NN-name.html beside NN-name.expected.json");
        }

        return Directory.GetDirectories(dir).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<BlindPage> Pages(string layout, string corpus = Blind) =>
        Directory.GetFiles(Path.Combine(Dir(corpus), layout), "*.html").Order(StringComparer.Ordinal)
            .Select(f => BlindPage.Load(layout, f)).ToList();

    /// <summary>
    /// A held-out corpus measured: its report printed, its size checked and its third-party leaks held under the ratchet's
    /// ceiling. Returns the report and total for floors a caller holds beside.
    /// </summary>
    public static (string Report, BlindTally Total) MeasureHeldOut(string corpus, int layouts, int pages, int leakCeiling)
    {
        var (report, _, total) = Measure(corpus);
        TestContext.Out.WriteLine(report);
        Assert.Multiple(() =>
        {
            Assert.That(Layouts(corpus), Has.Count.EqualTo(layouts), report);
            Assert.That(total.Pages, Is.EqualTo(pages), report);
            Assert.That(total.Leaks, Is.LessThanOrEqualTo(leakCeiling), "third-party leaks on the held-out corpus" + Environment.NewLine + report);
        });
        return (report, total);
    }

    /// <summary>
    /// Floors under a held-out corpus's measures (a ratchet like the leak ceiling): ad or not, then precision and recall
    /// of each of <see cref="Features"/> in their order.
    /// </summary>
    public static void HoldFloors(string report, BlindTally total, double adOrNot, params double[] precisionRecall)
    {
        Assert.That(precisionRecall, Has.Length.EqualTo(Features.Length * 2), "a precision and a recall floor per feature");
        Assert.Multiple(() =>
        {
            Assert.That(total.AdAccuracy, Is.GreaterThanOrEqualTo(adOrNot), $"ad or not: floor {adOrNot:F2}" + Environment.NewLine + report);
            for (var i = 0; i < Features.Length; i++)
            {
                var (precision, recall) = (precisionRecall[2 * i], precisionRecall[(2 * i) + 1]);
                Assert.That(total.Precision(Features[i]), Is.GreaterThanOrEqualTo(precision), $"{Features[i]} precision: floor {precision:F2}" + Environment.NewLine + report);
                Assert.That(total.Recall(Features[i]), Is.GreaterThanOrEqualTo(recall), $"{Features[i]} recall: floor {recall:F2}" + Environment.NewLine + report);
            }
        });
    }

    /// <summary>
    /// The generic profile over a corpus: per layout and in total. Template learning as a crawl that has seen the site
    /// before would have it: one pass over the host's pages learns, the second is measured. Only pages of the same host
    /// teach it, so no layout learns from another.
    /// </summary>
    public static (string Report, Dictionary<string, BlindTally> PerLayout, BlindTally Total) Measure(string corpus)
    {
        var extractor = TestPolicy.Extractor("generic");
        var indicators = TestPolicy.Policy.Indicators;
        var perLayout = new Dictionary<string, BlindTally>(StringComparer.Ordinal);
        var total = new BlindTally();
        var lines = new List<string> { BlindTally.Header };
        var templates = new Dictionary<string, SiteTemplate>(StringComparer.Ordinal);
        foreach (var layout in Layouts(corpus))
        {
            var pages = Pages(layout, corpus);
            foreach (var page in pages)
            {
                var template = templates.TryGetValue(page.Url.Host, out var t) ? t : templates[page.Url.Host] = new SiteTemplate(page.Url.Host);
                extractor.Extract(page.Html, page.Url, page.FetchedAt, template);
            }

            var tally = new BlindTally();
            foreach (var page in pages)
            {
                var extraction = extractor.Extract(page.Html, page.Url, page.FetchedAt, templates[page.Url.Host]);
                tally.Add(page, extraction.Ad, indicators, extraction.ProfileAdvised);
            }

            perLayout[layout] = tally;
            total.Add(tally);
            lines.Add(tally.Row(layout));
        }

        lines.Add(total.Row("TOTAL"));
        return (string.Join(Environment.NewLine, lines), perLayout, total);
    }

    /// <summary>Matched, missed and extra values of one feature, as (expected, found) sets.</summary>
    public static (int Tp, int Fn, int Fp) Compare(IReadOnlyCollection<string> expected, IReadOnlyCollection<string> found)
    {
        var want = expected.ToHashSet(StringComparer.Ordinal);
        var got = found.ToHashSet(StringComparer.Ordinal);
        return (want.Count(got.Contains), want.Count(w => !got.Contains(w)), got.Count(g => !want.Contains(g)));
    }

    /// <summary>What extraction found, as the expectation files write it.</summary>
    public static Dictionary<string, List<string>> Found(AdFeatures ad, Core.Policy.IndicatorPolicy indicators)
    {
        var fired = ad.IsAd ? IndicatorScorer.Score(ad, indicators).Fired.Select(f => f.Id).ToList() : [];
        return new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [Phones] = ad.Phones.Select(p => p.E164).ToList(),
            [Emails] = ad.Emails.Select(e => e.ToLowerInvariant()).ToList(),
            [Ages] = (ad.Ages ?? []).Select(a => a.ToString(CultureInfo.InvariantCulture)).ToList(),
            [Cities] = (ad.Locations ?? []).Select(l => l.Value).ToList(),
            [Rates] = (ad.Prices ?? []).Select(RateKey).ToList(),
            [Indicators] = fired.Where(id => id is not (IndicatorIds.SharedContact or IndicatorIds.TemplateText)).ToList(),
        };
    }

    /// <summary>Every value of any feature, for counting third-party leaks: a mustNotExtract value anywhere is a leak.</summary>
    public static HashSet<string> AllValues(AdFeatures ad)
    {
        var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var feature in ProfileTester.Features)
        {
            all.UnionWith(ProfileTester.Values(ad, feature));
        }

        all.UnionWith((ad.Messengers ?? []).Select(m => m.Handle));
        all.UnionWith(ad.Emails);
        return all;
    }

    /// <summary>Amount, currency and minutes ("-" when the ad gives no duration).</summary>
    public static string RateKey(StatedPrice p)
    {
        var minutes = p.Per switch
        {
            "unspecified" or "night" => (decimal?)null,
            _ when p.Per.EndsWith(" min", StringComparison.Ordinal) => decimal.Parse(p.Per[..^4], CultureInfo.InvariantCulture),
            _ when p.Per.EndsWith(" h", StringComparison.Ordinal) => decimal.Parse(p.Per[..^2], CultureInfo.InvariantCulture) * 60,
            _ => null,
        };
        return RateKey(p.Amount, p.Currency, minutes);
    }

    public static string RateKey(decimal amount, string currency, decimal? minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:0.##} {currency} {(minutes is { } m ? m.ToString("0.##", CultureInfo.InvariantCulture) : "-")}");
}

/// <summary>One page of the blind corpus with its expectation.</summary>
internal sealed record BlindPage(
    string Layout,
    string File,
    Uri Url,
    DateTimeOffset FetchedAt,
    bool IsAd,
    IReadOnlyDictionary<string, List<string>> Expected,
    IReadOnlyList<string> MustNotExtract)
{
    public string Name => Path.GetFileNameWithoutExtension(File);

    public string Html => System.IO.File.ReadAllText(File, Encoding.UTF8);

    public static BlindPage Load(string layout, string htmlFile)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(Path.ChangeExtension(htmlFile, ".expected.json")));
        var root = doc.RootElement;
        static List<string> Strings(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetRawText() : x.GetString() ?? "").ToList()
                : [];

        var rates = new List<string>();
        if (root.TryGetProperty("rates", out var r) && r.ValueKind == JsonValueKind.Array)
        {
            foreach (var rate in r.EnumerateArray())
            {
                var minutes = rate.TryGetProperty("minutes", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDecimal() : (decimal?)null;
                var currency = rate.TryGetProperty("currency", out var c) ? c.GetString() ?? "EUR" : "EUR";
                rates.Add(BlindCorpus.RateKey(rate.GetProperty("amount").GetDecimal(), currency, minutes));
            }
        }

        var expected = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [BlindCorpus.Phones] = Strings(root, "phones"),
            [BlindCorpus.Emails] = Strings(root, "emails").Select(e => e.ToLowerInvariant()).ToList(),
            [BlindCorpus.Ages] = Strings(root, "ages"),
            [BlindCorpus.Cities] = Strings(root, "locations"),
            [BlindCorpus.Rates] = rates,
            [BlindCorpus.Indicators] = Strings(root, "indicators"),
        };
        return new BlindPage(
            layout,
            htmlFile,
            new Uri(root.GetProperty("url").GetString()!),
            DateTimeOffset.Parse(root.GetProperty("fetchedAt").GetString()!, CultureInfo.InvariantCulture),
            root.GetProperty("isAd").GetBoolean(),
            expected,
            Strings(root, "mustNotExtract"));
    }
}

/// <summary>Counts per layout (or in total): per feature true/false positives and negatives, ad-or-not, leaks.</summary>
internal sealed class BlindTally
{
    public Dictionary<string, (int Tp, int Fn, int Fp)> Features { get; } = BlindCorpus.Features.ToDictionary(f => f, _ => (0, 0, 0));

    public int Pages { get; private set; }

    public int AdRight { get; private set; }

    public int Leaks { get; private set; }

    public int Advised { get; private set; }

    public void Add(BlindPage page, AdFeatures ad, Core.Policy.IndicatorPolicy indicators, bool advised = false)
    {
        Pages++;
        AdRight += page.IsAd == ad.IsAd ? 1 : 0;
        Advised += advised ? 1 : 0;
        var found = BlindCorpus.Found(ad, indicators);
        foreach (var f in BlindCorpus.Features)
        {
            var (tp, fn, fp) = BlindCorpus.Compare(page.Expected[f], found[f]);
            var (a, b, c) = Features[f];
            Features[f] = (a + tp, b + fn, c + fp);
        }

        var all = BlindCorpus.AllValues(ad);
        Leaks += page.MustNotExtract.Count(all.Contains);
    }

    public void Add(BlindTally other)
    {
        Pages += other.Pages;
        AdRight += other.AdRight;
        Leaks += other.Leaks;
        Advised += other.Advised;
        foreach (var f in BlindCorpus.Features)
        {
            var (a, b, c) = Features[f];
            var (x, y, z) = other.Features[f];
            Features[f] = (a + x, b + y, c + z);
        }
    }

    public double Precision(string feature) => Ratio(Features[feature].Tp, Features[feature].Fp);

    public double Recall(string feature) => Ratio(Features[feature].Tp, Features[feature].Fn);

    public double AdAccuracy => Pages == 0 ? 1 : (double)AdRight / Pages;

    public static string Header =>
        $"{"layout",-24} {"pages",5} {"ad acc",6} {"leaks",5} " + string.Join(" ", BlindCorpus.Features.Select(f => $"{f + " P/R",-13}"));

    public string Row(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-24} {Pages,5} {AdAccuracy,6:0.000} {Leaks,5} ") +
        string.Join(" ", BlindCorpus.Features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{Precision(f):0.00}/{Recall(f):0.00}").PadRight(13)));

    private static double Ratio(int a, int b) => a + b == 0 ? 1 : (double)a / (a + b);
}
