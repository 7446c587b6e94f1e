using BenchmarkDotNet.Attributes;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Extraction;

namespace Crawler.Benchmarks;

/// <summary>
/// Extraction, scoring and minimisation of a typical ad page of about 30 KB (issue 5: at least 1,000 pages per
/// second on one core), and the HTML parse alone, to show how much of it is AngleSharp's.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ExtractionBenchmark
{
    private readonly AdExtractor _extractor = new();
    private AdPage _page = null!;

    [Params(AdPage.Typical, AdPage.TextHeavy)]
    public string Page { get; set; } = AdPage.Typical;

    [GlobalSetup]
    public void Setup() => _page = AdPage.Load(Page);

    [Benchmark(Baseline = true)]
    public MinimisedContent ExtractScoreMinimise() => Pipeline.Run(_extractor, _page);

    [Benchmark]
    public int ParseOnly()
    {
        using var document = AdExtractor.ParseDocument(_page.Html);
        return document.All.Length;
    }
}

/// <summary>What the crawl does with a fetched page before storing it.</summary>
internal static class Pipeline
{
    public static MinimisedContent Run(AdExtractor extractor, AdPage page, string? html = null, SiteTemplate? template = null)
    {
        var extraction = extractor.Extract(html ?? page.Html, page.Url, DateTimeOffset.UnixEpoch, template);
        var score = IndicatorScorer.Score(extraction.Ad, page.Policy.Indicators);
        return Minimiser.Apply(extraction.Ad, score, page.Mandate, page.Key);
    }
}
