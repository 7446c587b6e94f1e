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

    /// <param name="pages">The pages to measure (typical, text-heavy); both when none is named.</param>
    public static void Run(IReadOnlyList<string> pages)
    {
        foreach (var name in pages.Count > 0 ? pages : [AdPage.Typical, AdPage.TextHeavy])
        {
            Run(AdPage.Load(name));
        }
    }

    private static void Run(AdPage page)
    {
        var extractor = new AdExtractor();
        Console.WriteLine($"{page.Name} page: {page.Bytes:N0} bytes; {Rounds} rounds of {PagesPerRound} pages on one thread");

        // A crawl extracts with the host's template, learned over the site's pages: the same layout with other ads in it.
        var template = new SiteTemplate(page.Url.Host);
        var variants = page.Variants(20);
        foreach (var v in variants)
        {
            extractor.Extract(v, page.Url, DateTimeOffset.UnixEpoch, template);
        }

        var next = 0;
        string Variant() => variants[next++ % variants.Count];

        // Tiered compilation (with dynamic PGO, for AngleSharp's hundreds of methods, on a JIT thread that shares the
        // two cores) reaches its final code only after about eight seconds of calls here; before that the rounds are
        // up to twice as slow and measure the JIT. A crawler service runs far longer than that.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(12))
        {
            Pipeline.Run(extractor, page, Variant(), template);
        }

        var whole = Measure(() => Pipeline.Run(extractor, page, Variant(), template));
        var parse = Measure(() =>
        {
            using var d = AdExtractor.ParseDocument(page.Html);
        });
        var extraction = extractor.Extract(page.Html, page.Url, DateTimeOffset.UnixEpoch);
        var extract = Measure(() => extractor.Extract(page.Html, page.Url, DateTimeOffset.UnixEpoch));
        var variantsAlone = Measure(() => extractor.Extract(Variant(), page.Url, DateTimeOffset.UnixEpoch));
        var withTemplate = Measure(() => extractor.Extract(Variant(), page.Url, DateTimeOffset.UnixEpoch, template));
        var score = IndicatorScorer.Score(extraction.Ad, page.Policy.Indicators);
        var scoring = Measure(() => IndicatorScorer.Score(extraction.Ad, page.Policy.Indicators));
        var minimising = Measure(() => Minimiser.Apply(extraction.Ad, score, page.Mandate, page.Key));

        Report("extract + score + minimise", whole);
        Report("  HTML parse alone", parse);
        Report("  extract (parse included)", extract);
        Report("  the site's ads, no template", variantsAlone);
        Report("  the site's ads with template", withTemplate);
        Report("  score", scoring);
        Report("  minimise", minimising);
        Console.WriteLine($"{page.Name}: {1000.0 / whole.BestMs:N0} pages per second on one core in the best round, {1000.0 / whole.MedianMs:N0} in the median round " +
                          $"(rounds from {whole.BestMs * 1000:N0} to {whole.WorstMs * 1000:N0} µs a page)");
        Console.WriteLine($"{page.Name}: the page is {(extraction.Ad.IsAd ? "an ad" : "no ad: " + extraction.Ad.NotAdReason)}; the host's template holds " +
                          $"{template.BlockCount:N0} block and {template.ContactCount:N0} contact hashes after {template.PagesSeen:N0} pages " +
                          $"({template.Export().Length * 3 / 4 / 1024.0:N1} KB exported)");
        TemplateBound(extractor, page);
        Console.WriteLine();
    }

    /// <summary>A host's template at its bound: 400 different ads of the site observed, then its size in memory and exported.</summary>
    private static void TemplateBound(AdExtractor extractor, AdPage page)
    {
        var template = new SiteTemplate(page.Url.Host);
        foreach (var v in page.Variants(400))
        {
            extractor.Extract(v, page.Url, DateTimeOffset.UnixEpoch, template);
        }

        Console.WriteLine($"{page.Name}: after {template.PagesSeen} different ads the host's template holds {template.BlockCount:N0} of at most " +
                          $"{SiteTemplate.MaxBlocks:N0} block and {template.ContactCount:N0} of at most {SiteTemplate.MaxContacts:N0} contact hashes: " +
                          $"{template.MemoryBytes / 1024.0:N0} KB in memory (at most {SiteTemplate.MaxMemoryBytes / 1024.0:N0} KB), {template.Export().Length * 3 / 4 / 1024.0:N0} KB exported");
    }

    private static Result Measure(Action action)
    {
        var times = new double[Rounds];
        var cpu = new double[Rounds];
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < Rounds; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < PagesPerRound; i++)
            {
                action();
            }

            times[r] = watch.Elapsed.TotalMilliseconds / PagesPerRound;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / PagesPerRound;
            allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / PagesPerRound;
        }

        Array.Sort(times);
        Array.Sort(cpu);
        return new Result(times[0], times[Rounds / 2], times[^1], cpu[Rounds / 2], allocated);
    }

    private static void Report(string stage, Result r) =>
        Console.WriteLine($"{stage,-30} best {r.BestMs * 1000,8:N0} µs   median {r.MedianMs * 1000,8:N0} µs   processor {r.CpuMs * 1000,8:N0} µs   " +
                          $"{r.AllocatedBytes / 1024.0,8:N1} KB allocated");

    /// <param name="BestMs">Wall-clock time per page in the least disturbed round.</param>
    /// <param name="MedianMs">In the median round.</param>
    /// <param name="WorstMs">In the most disturbed round.</param>
    /// <param name="CpuMs">The process's processor time per page in the median round (the GC's and JIT's threads included):
    /// what the work costs, less disturbed than the wall clock by other processes on a shared machine.</param>
    /// <param name="AllocatedBytes">Allocated per page on the measuring thread.</param>
    private sealed record Result(double BestMs, double MedianMs, double WorstMs, double CpuMs, long AllocatedBytes);
}
