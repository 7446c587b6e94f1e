using BenchmarkDotNet.Attributes;
using Crawler.Core.Audit;
using Crawler.Storage;

namespace Crawler.Benchmarks;

/// <summary>Appending to and verifying the audit chain in a real, encrypted LiteDB file, as the CLI and service use it.</summary>
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
    private AuditRecord[] _batch = [];
    private string _filledDir = "";
    private DataFolder _filledFolder = null!;
    private LiteCrawlerStore _filled = null!;

    public const int Filled = 100_000;

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

        _batch = Enumerable.Range(0, 100).Select(i => Record with { Reason = "HTTP 200, entry " + i }).ToArray();
        _filledDir = Path.Combine(Path.GetTempPath(), "crawler-bench-" + Guid.NewGuid().ToString("N"));
        _filledFolder = DataFolder.Create(_filledDir);
        _filled = new LiteCrawlerStore(_filledFolder);
        var thousand = Enumerable.Range(0, 1000).Select(_ => Record).ToArray();
        for (var i = 0; i < Filled / 1000; i++)
        {
            _filled.Append(thousand, T0, []);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _filled.Dispose();
        foreach (var d in new[] { _dir, _dir + ".keys", _filledDir, _filledDir + ".keys" })
        {
            Directory.Delete(d, recursive: true);
        }
    }

    /// <summary>One append: read the head, link, insert, commit.</summary>
    [Benchmark]
    public AuditEntry Append() => _store.Append(Record, T0);

    /// <summary>One page's worth of decisions and more: 100 entries appended in one transaction (per entry).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public IReadOnlyList<AuditEntry> AppendBatchOf100() => _store.Append(_batch, T0, []);

    /// <summary>Reading 100,000 entries back from the encrypted file and verifying them (per entry).</summary>
    [Benchmark(OperationsPerInvoke = Filled)]
    public bool VerifyFromFile() => AuditChain.Verify(_filledFolder.AuditKey, _filled.Entries()).Ok;

    /// <summary>Verifying 100,000 entries in memory: the HMAC chain alone, without reading the file.</summary>
    [Benchmark]
    public bool Verify100k() => AuditChain.Verify(_folder.AuditKey, _chain).Ok;
}
