using BenchmarkDotNet.Attributes;
using Crawler.Core.Audit;
using Crawler.Storage;
using Crawler.Storage.Lite;

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
    private LiteDatabaseContext _db = null!;
    private LiteAuditLog _store = null!;
    private AuditSigner _signer = null!;
    private AuditEntry[] _chain = [];
    private AuditRecord[] _batch = [];
    private string _filledDir = "";
    private DataFolder _filledFolder = null!;
    private LiteDatabaseContext _filledDb = null!;
    private LiteAuditLog _filled = null!;
    private AuditSigner _filledSigner = null!;

    public const int Filled = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "crawler-bench-" + Guid.NewGuid().ToString("N"));
        _folder = DataFolder.Create(_dir);
        _db = new LiteDatabaseContext(_folder);
        _store = new LiteAuditLog(_db);
        _signer = new AuditSigner(_folder.AuditKey);
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
        _filledDb = new LiteDatabaseContext(_filledFolder);
        _filled = new LiteAuditLog(_filledDb);
        _filledSigner = new AuditSigner(_filledFolder.AuditKey);
        var thousand = Enumerable.Range(0, 1000).Select(_ => Record).ToArray();
        for (var i = 0; i < Filled / 1000; i++)
        {
            _filled.AppendAsync(thousand, T0, [], _filledSigner).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        _filledDb.Dispose();
        foreach (var d in new[] { _dir, _dir + ".keys", _filledDir, _filledDir + ".keys" })
        {
            Directory.Delete(d, recursive: true);
        }
    }

    /// <summary>One append: read the head, link, insert, commit.</summary>
    [Benchmark]
    public AuditEntry Append() => _store.AppendAsync([Record], T0, [], _signer).GetAwaiter().GetResult()[0];

    /// <summary>One page's worth of decisions and more: 100 entries appended in one transaction (per entry).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public IReadOnlyList<AuditEntry> AppendBatchOf100() => _store.AppendAsync(_batch, T0, [], _signer).GetAwaiter().GetResult();

    /// <summary>Reading 100,000 entries back from the encrypted file and verifying them (per entry).</summary>
    [Benchmark(OperationsPerInvoke = Filled)]
    public bool VerifyFromFile() => _filledSigner.Verify(_filled.EntriesAsync().ToBlockingEnumerable(), null, null).Ok;

    /// <summary>Verifying 100,000 entries in memory: the HMAC chain alone, without reading the file.</summary>
    [Benchmark]
    public bool Verify100k() => AuditChain.Verify(_folder.AuditKey, _chain).Ok;
}
