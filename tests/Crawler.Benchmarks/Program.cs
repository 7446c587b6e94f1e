using BenchmarkDotNet.Running;
using Crawler.Benchmarks;

if (args is ["throughput"])
{
    ThroughputCommand.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(DecideRequestBenchmark).Assembly).Run(args);
