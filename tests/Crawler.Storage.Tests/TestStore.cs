using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Storage.Lite;
using Crawler.Storage.Postgres;

namespace Crawler.Storage.Tests;

/// <summary>
/// The stores of one database (a LiteDB data folder, or a PostgreSQL database), driven the way the tests read best:
/// one call, one answer. Caps are decided here as the crawl decides them, so the tests need no mandate on file.
/// </summary>
internal sealed class TestStore : IDisposable
{
    private readonly IDisposable _db;
    private readonly AuditSigner _signer;

    public TestStore(DataFolder folder)
    {
        var db = new LiteDatabaseContext(folder);
        _db = db;
        _signer = new AuditSigner(folder.AuditKey);
        Installation = new LiteInstallationStore(db);
        Users = new LiteUserStore(db);
        Targets = new LiteTargetStore(db);
        State = new LiteCrawlStateStore(db);
        Hits = new LiteHitStore(db);
        Mandates = new LiteMandateStore(db);
        Audit = new LiteAuditLog(db);
        Robots = new LiteRobotsCache(db);
        HostSlots = new LiteHostSlots();
        Retention = new LiteRetentionStore(db);
    }

    public TestStore(PostgresDatabase db, byte[] auditKey)
    {
        _db = db;
        _signer = new AuditSigner(auditKey);
        Installation = new PostgresInstallationStore(db);
        Users = new PostgresUserStore(db);
        Targets = new PostgresTargetStore(db);
        State = new PostgresCrawlStateStore(db);
        Hits = new PostgresHitStore(db);
        Mandates = new PostgresMandateStore(db);
        Audit = new PostgresAuditLog(db);
        Robots = new PostgresRobotsCache(db);
        HostSlots = new PostgresHostSlots(db);
        Retention = new PostgresRetentionStore(db);
    }

    public AuditSigner Signer => _signer;

    public IInstallationStore Installation { get; }

    public IUserStore Users { get; }

    public ITargetStore Targets { get; }

    public IRobotsCache Robots { get; }

    public IHostSlots HostSlots { get; }

    public ICrawlStateStore State { get; }

    public IHitStore Hits { get; }

    public IMandateStore Mandates { get; }

    public IAuditLog Audit { get; }

    public IRetentionStore Retention { get; }

    public CrawlRun StartRun(long targetId, long mandateId, string by, DateTimeOffset at) => State.StartRunAsync(targetId, mandateId, by, at).Result;

    public bool Enqueue(long runId, string url, int depth) => State.EnqueueAsync(runId, [(url, depth)]).Result.Count == 1;

    public IReadOnlyList<FrontierItem> PendingBatch(long runId, int limit) => State.PendingAsync(runId, limit).Result;

    public void MarkDone(long itemId) => State.CompleteAsync(new FrontierCompletion(itemId, false, null)).Wait();

    public void SaveRun(CrawlRun run) => State.SaveRunAsync(run).Wait();

    public CrawlRun? UnfinishedRun(long targetId) => State.UnfinishedRunAsync(targetId).Result;

    public IReadOnlyList<CrawlRun> Runs(long targetId) => State.RunsAsync(targetId).Result;

    public int PurgeFinishedFrontiers() => Retention.PurgeFinishedFrontiersAsync().Result;

    public RunLeaseAttempt TryTakeRunLease(RunLease lease, Func<RunLease, bool> isDead) => State.TryTakeLeaseAsync(lease, isDead).Result;

    public bool RenewRunLease(long targetId, string owner, DateTimeOffset at) => State.RenewLeaseAsync(targetId, owner, at).Result;

    public void ReleaseRunLease(long targetId, string owner) => State.ReleaseLeaseAsync(targetId, owner).Wait();

    public RunLease? FindRunLease(long targetId) => State.FindLeaseAsync(targetId).Result;

    public HitStoreResult TryAddHit(Hit hit, int maxHits, int? maxContacts = null) =>
        Hits.TryAddAsync(hit, hit.Phones.Concat(hit.Emails).Select(c => hit.MandateId + ":" + (c.Pseudonym ?? c.Value)).Distinct().ToList(),
            (_, usage, known, fresh) =>
                usage.HitsStored >= maxHits ? HitStoreResult.Refused("mandate.hit-cap", "cap")
                : maxContacts is { } cap && known + fresh > cap ? HitStoreResult.Refused("mandate.contact-cap", "contacts")
                : null).Result;

    public IReadOnlyList<Hit> ListHits(long mandateId) => Hits.ListAsync(mandateId).Result;

    public MandateUsage Usage(long mandateId) => Mandates.UsageAsync(mandateId).Result;

    public long? FindSameHit(IReadOnlyCollection<long> mandateIds, string url, string hash) => Hits.FindSameAsync(mandateIds, url, hash).Result;

    public AuditEntry Append(AuditRecord record, DateTimeOffset at) => Audit.AppendAsync([record], at, [], _signer).Result[0];

    public IReadOnlyList<AuditEntry> Entries() => Audit.EntriesAsync().ToBlockingEnumerable().ToList();

    public AuditAnchor? Anchor() => Audit.AnchorAsync().Result;

    public AuditAnchor? EraseAuditBefore(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now) =>
        Retention.EraseAuditBeforeAsync(cutoff, erasure, now, _signer).Result;

    public void Dispose() => _db.Dispose();
}
