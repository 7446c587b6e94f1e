using System.Text;
using BenchmarkDotNet.Attributes;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Extraction;

namespace Crawler.Benchmarks;

/// <summary>Extraction, scoring and minimisation of a typical ad page of about 30 KB (issue 5: at least 1,000 pages per second on one core).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ExtractionBenchmark
{
    private readonly AdExtractor _extractor = new();
    private readonly Uri _url = new("https://ads.example.nl/ads/101.html");
    private readonly byte[] _key = new byte[32];
    private string _page = "";
    private PolicySet _policy = null!;
    private MandateSpec _mandate = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        var policies = Path.Combine(dir!.FullName, "policies");
        _policy = PolicySetLoader.Load(PolicyFiles.Read(policies));

        // A demo ad page grown to ~30 KB with more ad text, reviews and sidebar links, as real ad pages are.
        var baseline = DemoSite.DemoSite.ReadFile("ads/101.html")!;
        var filler = new StringBuilder();
        while (filler.Length < 26_000)
        {
            filler.Append("<p>Welkom in mijn discrete privéhuis. Ik ontvang je graag voor een ontspannen afspraak, hotelbezoek mogelijk. 24/7 bereikbaar via app.</p>")
                .Append("<div class=\"review\"><b>klant").Append(filler.Length).Append("</b> Fijne ervaring, bel ook 06-19876543 of mail klant@example.com</div>")
                .Append("<aside class=\"other-ads\"><a href=\"/ads/").Append(filler.Length).Append(".html\">Andere advertentie</a></aside>");
        }

        _page = baseline.Replace("</main>", filler + "</main>", StringComparison.Ordinal);
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        _mandate = new MandateSpec("C-1", "Bench", "art126g-sv", WpgPurpose.Art9, "p", "o", "s", "f", ["bench"], now, now.AddDays(10),
            new MandateLimits(1000, 100), new Dictionary<DataCategory, Treatment> { [DataCategory.Phone] = Treatment.Pseudonymise, [DataCategory.Email] = Treatment.Keep },
            false);
    }

    public int PageBytes => Encoding.UTF8.GetByteCount(_page);

    [Benchmark]
    public MinimisedContent ExtractScoreMinimise()
    {
        var page = _extractor.Extract(_page, _url);
        var score = IndicatorScorer.Score(page.Ad.Text, _policy.Indicators);
        return Minimiser.Apply(page.Ad, score, _mandate, _key);
    }
}
