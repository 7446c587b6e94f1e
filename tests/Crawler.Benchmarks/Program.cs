using BenchmarkDotNet.Running;
using Crawler.Benchmarks;

if (args is ["throughput", .. var pages])
{
    ThroughputCommand.Run(pages);
    return 0;
}

if (args is ["crawl", ..])
{
    return await CrawlBenchCommand.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(DecideRequestBenchmark).Assembly).Run(args);
return 0;
