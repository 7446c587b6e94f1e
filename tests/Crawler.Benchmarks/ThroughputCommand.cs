using System.Diagnostics;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Extraction;

namespace Crawler.Benchmarks;

/// <summary>
/// <c>throughput</c>: pages per second through extraction, scoring and minimisation on one thread, in rounds of
/// a fixed number of pages, with each stage timed on its own. On a shared 2-core machine single runs are noisy,
/// so it reports the best and the median round; BenchmarkDotNet gives the statistics, this gives the rate.
/// </summary>
internal static class ThroughputCommand
{
    private const int Rounds = 15;
    private const int PagesPerRound = 200;

    public static void Run()
    {
        foreach (var name in new[] { AdPage.Typical, AdPage.TextHeavy })
        {
            Run(AdPage.Load(name));
        }
    }

    private static void Run(AdPage page)
    {
        var extractor = new AdExtractor();
        Console.WriteLine($"{page.Name} page: {page.Bytes:N0} bytes; {Rounds} rounds of {PagesPerRound} pages on one thread");

        // Tiered compilation (with dynamic PGO, for AngleSharp's hundreds of methods, on a JIT thread that shares the
        // two cores) reaches its final code only after about eight seconds of calls here; before that the rounds are
        // up to twice as slow and measure the JIT. A crawler service runs far longer than that.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(12))
        {
            Pipeline.Run(extractor, page);
        }

        var whole = Measure(() => Pipeline.Run(extractor, page));
        var parse = Measure(() =>
        {
            using var d = AdExtractor.ParseDocument(page.Html);
        });
        var extraction = extractor.Extract(page.Html, page.Url, DateTimeOffset.UnixEpoch);
        var extract = Measure(() => extractor.Extract(page.Html, page.Url, DateTimeOffset.UnixEpoch));
        var score = IndicatorScorer.Score(extraction.Ad, page.Policy.Indicators);
        var scoring = Measure(() => IndicatorScorer.Score(extraction.Ad, page.Policy.Indicators));
        var minimising = Measure(() => Minimiser.Apply(extraction.Ad, score, page.Mandate, page.Key));

        Report("extract + score + minimise", whole);
        Report("  HTML parse alone", parse);
        Report("  extract (parse included)", extract);
        Report("  score", scoring);
        Report("  minimise", minimising);
        Console.WriteLine($"{page.Name}: {1000.0 / whole.BestMs:N0} pages per second on one core in the best round, {1000.0 / whole.MedianMs:N0} in the median round");
        Console.WriteLine();
    }

    private static Result Measure(Action action)
    {
        var times = new double[Rounds];
        long allocated = 0;
        for (var r = 0; r < Rounds; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < PagesPerRound; i++)
            {
                action();
            }

            times[r] = watch.Elapsed.TotalMilliseconds / PagesPerRound;
            allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / PagesPerRound;
        }

        Array.Sort(times);
        return new Result(times[0], times[Rounds / 2], allocated);
    }

    private static void Report(string stage, Result r) =>
        Console.WriteLine($"{stage,-30} best {r.BestMs * 1000,8:N0} µs   median {r.MedianMs * 1000,8:N0} µs   {r.AllocatedBytes / 1024.0,8:N1} KB allocated");

    private sealed record Result(double BestMs, double MedianMs, long AllocatedBytes);
}
