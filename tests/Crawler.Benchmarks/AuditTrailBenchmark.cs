using BenchmarkDotNet.Attributes;
using Crawler.Core.Audit;
using Crawler.Storage;

namespace Crawler.Benchmarks;

/// <summary>Appending to and verifying the audit chain in a real LiteDB file (shared mode, as the CLI and service use it).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuditTrailBenchmark
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AuditRecord Record = new("crawler-service for sanne", AuditOperation.Collect, "https://ads.example.nl/ads/1.html",
        "fetched", "HTTP 200, text/html, 23000 bytes", "allow.all-rules-passed", 1, 1, "C-1", new string('a', 64), new string('b', 64), 200, false);

    private string _dir = "";
    private DataFolder _folder = null!;
    private LiteCrawlerStore _store = null!;
    private AuditEntry[] _chain = [];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "crawler-bench-" + Guid.NewGuid().ToString("N"));
        _folder = DataFolder.Create(_dir);
        _store = new LiteCrawlerStore(_folder);
        var previous = AuditChain.GenesisHash;
        _chain = new AuditEntry[100_000];
        for (var i = 0; i < _chain.Length; i++)
        {
            _chain[i] = AuditChain.Link(_folder.AuditKey, i + 1, T0.AddMilliseconds(i), Record, previous);
            previous = _chain[i].Hash;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_dir + ".keys", recursive: true);
    }

    /// <summary>One append: read the head, link, insert, commit.</summary>
    [Benchmark]
    public AuditEntry Append() => _store.Append(Record, T0);

    /// <summary>Verifying 100,000 entries in memory: the HMAC chain alone, without reading the file.</summary>
    [Benchmark]
    public bool Verify100k() => AuditChain.Verify(_folder.AuditKey, _chain).Ok;
}
