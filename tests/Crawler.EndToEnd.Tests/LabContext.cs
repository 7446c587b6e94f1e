using Crawler.Cli;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Service.Hosting;
using Crawler.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// A lab's services, composed as the CLI composes them, for tests that look into the data folder or call a service
/// directly; <see cref="Store"/> reads the ports one call, one answer.
/// </summary>
public sealed class LabContext : IDisposable
{
    private readonly CliSession _session;

    internal LabContext(Lab lab, Action<IServiceCollection>? configure)
    {
        _session = CliSession.Open(services =>
        {
            services.AddSingleton(lab.Time);
            services.AddCrawler(lab.Dir, lab.Policies, storage: lab.Storage);
            configure?.Invoke(services);
        });
        Store = new LabStore(_session);
    }

    public LabStore Store { get; }

    public PolicySet Policy => Get<PolicySet>();

    public DataFolder Folder => Get<DataFolder>();

    public TimeProvider Time => Get<TimeProvider>();

    public DateTimeOffset Now => Time.GetUtcNow();

    public T Get<T>() where T : notnull => _session.Get<T>();

    public void Dispose() => _session.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>The storage ports of a lab, read synchronously: their LiteDB implementation completes at once.</summary>
public sealed class LabStore(CliSession session)
{
    public IReadOnlyList<AuditEntry> Entries() => session.Get<IAuditLog>().EntriesAsync().ToBlockingEnumerable().ToList();

    public long Count() => session.Get<IAuditLog>().CountAsync().GetAwaiter().GetResult();

    public AuditAnchor? Anchor() => session.Get<IAuditLog>().AnchorAsync().GetAwaiter().GetResult();

    public IReadOnlyList<CrawlRun> Runs(long? targetId) => session.Get<ICrawlStateStore>().RunsAsync(targetId).GetAwaiter().GetResult();

    public IReadOnlyList<Hit> Hits(long? mandateId) => session.Get<IHitStore>().ListAsync(mandateId).GetAwaiter().GetResult();

    public Hit? FindHit(long id) => session.Get<IHitStore>().FindAsync(id).GetAwaiter().GetResult();

    /// <summary>Stores a hit (and its snapshot) whatever the caps say: for tests that need many hits quickly.</summary>
    public HitStoreResult TryAddHit(Hit hit, Snapshot? snapshot = null) =>
        session.Get<IHitStore>().TryAddAsync(hit, [], (_, _, _, _) => null, snapshot).GetAwaiter().GetResult();

    public void UpdateHit(Hit hit) => session.Get<IHitStore>().UpdateAsync(hit).GetAwaiter().GetResult();

    public IReadOnlyList<CrawlTarget> Targets() => session.Get<ITargetStore>().ListAsync().GetAwaiter().GetResult();

    public IReadOnlyList<Mandate> Mandates() => session.Get<IMandateStore>().ListAsync().GetAwaiter().GetResult();

    public Mandate? FindMandate(long id) => session.Get<IMandateStore>().FindAsync(id).GetAwaiter().GetResult();

    public Credential? FindCredential(string name) => session.Get<IUserStore>().FindCredentialAsync(name).GetAwaiter().GetResult();

    public RunLease? FindRunLease(long targetId) => session.Get<ICrawlStateStore>().FindLeaseAsync(targetId).GetAwaiter().GetResult();

    public RunLeaseAttempt TryTakeRunLease(RunLease lease, Func<RunLease, bool> isDead) =>
        session.Get<ICrawlStateStore>().TryTakeLeaseAsync(lease, isDead).GetAwaiter().GetResult();

    public void ReleaseRunLease(long targetId, string ownerId) => session.Get<ICrawlStateStore>().ReleaseLeaseAsync(targetId, ownerId).GetAwaiter().GetResult();
}
