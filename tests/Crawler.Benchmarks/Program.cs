using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Crawler.Benchmarks.DecideRequestBenchmark).Assembly).Run(args);
