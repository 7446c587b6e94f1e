using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Targets;
using Crawler.Core.Users;

namespace Crawler.Core.Storage;

// Storage seen from the application: one port per aggregate, asynchronous, and the only way in. The LiteDB
// implementation serves one machine; a shared database for scale-out implements the same ports. Where a
// decision must be atomic with a write (a cap, the chain, a pending version), the caller passes the domain's
// decision in and the store applies it inside its transaction: the rule stays in Core, the atomicity in storage.

/// <summary>
/// When a write is acknowledged. <see cref="Committed"/>: once committed, so it survives a crash from then on.
/// <see cref="Applied"/>: once applied, ordered before and visible to every later call, and committed with a later
/// write; a crawl acknowledges a page's writes so and makes them durable together with the page's completion, so
/// that a crash loses the unfinished page whole (it is fetched again on resume) and never half of it.
/// </summary>
public enum Durability
{
    Committed,
    Applied,
}

/// <summary>The installation: whether it is a lab, fixed at its creation.</summary>
public interface IInstallationStore
{
    /// <summary>Records the kind once; returns the kind in force, which a later call cannot change.</summary>
    Task<bool> EnsureAsync(bool lab, DateTimeOffset at, CancellationToken ct = default);

    Task<bool> IsLabAsync(CancellationToken ct = default);
}

public interface IUserStore
{
    Task<User?> FindAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default);

    /// <summary>Adds a user with their credential; false when the name is taken.</summary>
    Task<bool> TryAddAsync(User user, Credential credential, CancellationToken ct = default);

    /// <summary>The user's credential; <see cref="Credential.None"/> for a user who has none yet, null for an unknown user.</summary>
    Task<Credential?> FindCredentialAsync(string name, CancellationToken ct = default);

    /// <summary>Replaces a credential only if it is still as the caller read it, so two sign-ins cannot both reset a failure count.</summary>
    Task<bool> TryUpdateCredentialAsync(string name, Credential expected, Credential updated, CancellationToken ct = default);

    Task AddTokenAsync(AccessToken token, CancellationToken ct = default);

    Task<AccessToken?> FindTokenAsync(string sha256, CancellationToken ct = default);

    /// <summary>Revokes the user's tokens in force (or only the one given); returns how many.</summary>
    Task<int> RevokeTokensAsync(string userName, DateTimeOffset at, string? onlySha256 = null, CancellationToken ct = default);
}

public interface ITargetStore
{
    Task<long> AddAsync(TargetSpec spec, string createdBy, DateTimeOffset at, CancellationToken ct = default);

    Task<CrawlTarget?> FindAsync(long id, CancellationToken ct = default);

    Task<CrawlTarget?> FindByNameAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<CrawlTarget>> ListAsync(CancellationToken ct = default);

    /// <summary>Replaces a stored target (its id and name stay: mandates name their targets); false when there is none with its id.</summary>
    Task<bool> UpdateAsync(CrawlTarget target, CancellationToken ct = default);
}

/// <summary>Mandates with a revision each (for optimistic concurrency) and what has been used of them.</summary>
public interface IMandateStore
{
    /// <summary>
    /// Changes whenever any mandate may have changed: written through this process, or the store opened anew after
    /// another process had it. A crawl compares it before trusting the mandate it holds in memory; it reads nothing.
    /// </summary>
    long ChangeStamp { get; }

    /// <summary>Adds a mandate if <paramref name="admissible"/> holds over the stored mandates at that moment (one transaction); its id, or null.</summary>
    Task<long?> TryAddAsync(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible, CancellationToken ct = default);

    Task<Mandate?> FindAsync(long id, CancellationToken ct = default);

    Task<IReadOnlyList<Mandate>> ListAsync(CancellationToken ct = default);

    /// <summary>
    /// Replaces several mandates at once, all or none, each only if its stored <see cref="Mandate.Revision"/> is
    /// still the one the caller read; every replaced mandate's revision goes up by one.
    /// </summary>
    Task<bool> TryUpdateAsync(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes, CancellationToken ct = default);

    /// <summary>What has been used of the mandate over all its runs.</summary>
    Task<MandateUsage> UsageAsync(long mandateId, CancellationToken ct = default);

    /// <summary>Counts a page fetched under the mandate, before any later decision reads the usage.</summary>
    Task CountPageAsync(long mandateId, Durability durability = Durability.Committed, CancellationToken ct = default);
}

public interface IHitStore
{
    /// <summary>
    /// Stores <paramref name="hit"/> if <paramref name="admit"/>, asked inside the store's transaction with the mandate,
    /// its usage and its distinct contacts as they stand, lets it: a revocation or a cap reached while the page was in
    /// flight cannot be overtaken. <paramref name="contactKeys"/> are the hit's keys for the contact cap. Also counts
    /// the hit in the mandate's usage. <paramref name="pageItem"/>, the frontier item of the page the hit comes from, is
    /// marked done in the same transaction: a crash can then never leave a stored hit whose page is fetched again.
    /// <paramref name="stored"/>, the trail's entry for the hit, is appended in that transaction too, naming the hit's
    /// id: a hit is never kept without the entry that says it was stored, nor the entry without the hit.
    /// </summary>
    Task<HitStoreResult> TryAddAsync(Hit hit, IReadOnlyCollection<string> contactKeys, HitAdmission admit, Snapshot? snapshot = null,
        Durability durability = Durability.Committed, long? pageItem = null, HitStoredEntry? stored = null, CancellationToken ct = default);

    Task<Hit?> FindAsync(long id, CancellationToken ct = default);

    Task UpdateAsync(Hit hit, CancellationToken ct = default);

    /// <summary>The earliest hit of any of these mandates (the versions of one case) for this URL with exactly this content.</summary>
    Task<long?> FindSameAsync(IReadOnlyCollection<long> mandateIds, string url, string contentSha256, CancellationToken ct = default);

    /// <summary>The hits of a mandate, or all, oldest first.</summary>
    Task<IReadOnlyList<Hit>> ListAsync(long? mandateId, CancellationToken ct = default);

    /// <summary>The latest linking of a mandate's hits, replacing the one before.</summary>
    Task SaveLinksAsync(long mandateId, Linking.LinkResult result, CancellationToken ct = default);

    Task<Linking.LinkResult?> FindLinksAsync(long mandateId, CancellationToken ct = default);

    Task<Snapshot?> FindSnapshotAsync(long hitId, CancellationToken ct = default);
}

/// <summary>
/// The domain's decision on a hit about to be stored, given the mandate, its usage and how many distinct contacts it
/// holds and would newly hold. Null admits.
/// </summary>
public delegate HitStoreResult? HitAdmission(Mandate? mandate, MandateUsage usage, int knownContacts, int newContacts);

/// <summary>The stored hit's id, or the rule that refused it.</summary>
public sealed record HitStoreResult(long? Id, string? RefusedRule, string? Reason)
{
    public static HitStoreResult Stored(long id) => new(id, null, null);

    public static HitStoreResult Refused(string rule, string reason) => new(null, rule, reason);
}

/// <summary>
/// The trail's entry for a hit about to be stored, ready to be linked in the hit's own transaction: its record (URLs
/// already sealed, its subject given the hit's id once known), the time it is linked at, the URLs its references stand
/// for, and the signer that links it.
/// </summary>
public sealed record HitStoredEntry(AuditRecord Record, DateTimeOffset Time, IReadOnlyList<UrlMention> Urls, AuditSigner Signer)
{
    /// <summary>The record naming the stored hit.</summary>
    public AuditRecord For(long hitId) => Record with { Subject = $"hit:{hitId}" };
}

public interface IAuditLog
{
    /// <summary>
    /// Appends entries in one transaction, linked by <paramref name="signer"/> after the head as it stands in that
    /// transaction, with the URLs their references stand for: all or none.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls,
        AuditSigner signer, Durability durability = Durability.Committed, CancellationToken ct = default);

    /// <summary>The URL a reference in the trail stands for, or null once it was erased.</summary>
    Task<string?> FindUrlAsync(string reference, CancellationToken ct = default);

    /// <summary>The trail in order, read in pages so that nothing is held while the caller works through it.</summary>
    IAsyncEnumerable<AuditEntry> EntriesAsync(long after = 0, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);

    /// <summary>Where the trail starts when its oldest entries were erased; null while it starts at entry 1.</summary>
    Task<AuditAnchor?> AnchorAsync(CancellationToken ct = default);
}

/// <summary>Runs, their frontiers and their leases.</summary>
public interface ICrawlStateStore
{
    Task<CrawlRun> StartRunAsync(long targetId, long mandateId, string startedBy, DateTimeOffset at, CancellationToken ct = default);

    Task<CrawlRun?> UnfinishedRunAsync(long targetId, CancellationToken ct = default);

    Task SaveRunAsync(CrawlRun run, CancellationToken ct = default);

    Task<IReadOnlyList<CrawlRun>> RunsAsync(long? targetId, CancellationToken ct = default);

    /// <summary>One run by its id (the console polls it while it runs), or null.</summary>
    Task<CrawlRun?> FindRunAsync(long runId, CancellationToken ct = default);

    /// <summary>
    /// Adds URLs to the run's frontier, each unless its canonical form is already there (a pending one found again on a
    /// shorter path takes the shorter depth); returns the items added. Reads the run's frontier: a caller that holds it
    /// in memory uses <see cref="AddNewAsync"/> and <see cref="DeepenAsync"/>.
    /// </summary>
    Task<IReadOnlyList<FrontierItem>> EnqueueAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default);

    /// <summary>
    /// Adds URLs the run has not seen before, without looking for them first: for the holder of the run's lease, which
    /// knows the run's whole frontier. Returns the items added.
    /// </summary>
    Task<IReadOnlyList<FrontierItem>> AddNewAsync(long runId, IReadOnlyList<(string CanonicalUrl, int Depth)> urls, Durability durability = Durability.Committed,
        CancellationToken ct = default);

    /// <summary>Moves pending items to a shorter depth (a URL found again on a shorter path); done items and deeper ones stay.</summary>
    Task DeepenAsync(IReadOnlyList<(long ItemId, int Depth)> items, Durability durability = Durability.Committed, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> pending items of the run, oldest first.</summary>
    Task<IReadOnlyList<FrontierItem>> PendingAsync(long runId, int limit, CancellationToken ct = default);

    /// <summary>The run's whole frontier, done or not, oldest first: what a run resumes from.</summary>
    Task<IReadOnlyList<(FrontierItem Item, bool Done)>> FrontierAsync(long runId, CancellationToken ct = default);

    /// <summary>One page's end in one transaction: the item done (or put back with one more attempt) and the run's counters saved.</summary>
    Task CompleteAsync(FrontierCompletion completion, CancellationToken ct = default);

    /// <summary>
    /// Marks that the item's handling has begun, durably: an item still marked when a run resumes was in flight when
    /// its process died. Its completion (done, put back or abandoned) ends the mark.
    /// </summary>
    Task MarkStartedAsync(long itemId, CancellationToken ct = default);

    /// <summary>
    /// Records, durably, how many page requests the run may have sent: a request is sent only within this number, so
    /// after a crash the run and the mandate are charged for every page that may have gone out unrecorded.
    /// </summary>
    Task ReservePagesAsync(long runId, int pages, CancellationToken ct = default);

    /// <summary>The page requests the run had reserved (0 for a run that never reserved).</summary>
    Task<int> ReservedPagesAsync(long runId, CancellationToken ct = default);

    /// <summary>Takes the target's run lease for <paramref name="candidate"/>'s owner, when none is held or the holder <paramref name="isDead"/>.</summary>
    Task<RunLeaseAttempt> TryTakeLeaseAsync(RunLease candidate, Func<RunLease, bool> isDead, CancellationToken ct = default);

    /// <summary>Moves the heartbeat of the owner's lease; false when the lease is no longer the owner's.</summary>
    Task<bool> RenewLeaseAsync(long targetId, string ownerId, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Gives the lease up if the owner still holds it.</summary>
    Task ReleaseLeaseAsync(long targetId, string ownerId, CancellationToken ct = default);

    Task<RunLease?> FindLeaseAsync(long targetId, CancellationToken ct = default);

    /// <summary>Keeps a host's learned site template (hashes and counts, no text), replacing the one before.</summary>
    Task SaveTemplateAsync(HostTemplate hostTemplate, CancellationToken ct = default);

    /// <summary>The host's learned site template, or null when no crawl has learned one.</summary>
    Task<HostTemplate?> FindTemplateAsync(string host, CancellationToken ct = default);
}

/// <summary>
/// What one frontier item's processing changed: <see cref="Requeue"/> keeps it pending with one more attempt instead of
/// marking it done; <see cref="Run"/> is the run's counters now;
/// </summary>
/// <see cref="Abandon"/> leaves it pending as it was (the run stopped before its answer came).
public sealed record FrontierCompletion(long ItemId, bool Requeue, CrawlRun? Run, bool Abandon = false);

public interface IRobotsCache
{
    Task<CachedRobots?> FindAsync(string host, CancellationToken ct = default);

    Task SaveAsync(CachedRobots robots, CancellationToken ct = default);
}

/// <summary>
/// When each host may next be asked, shared by every run that reaches the same store: two runs (or two instances on
/// one PostgreSQL database) crawling one host never go faster than its delay together. Keyed by scheme and authority.
/// </summary>
public interface IHostSlots
{
    /// <summary>
    /// Books the host's next request slot, atomically across the store's users: it starts at <paramref name="earliest"/>
    /// or at the host's next free moment, whichever is later, and the host's next free moment becomes its start plus
    /// <paramref name="delay"/>. Returns the slot's start.
    /// </summary>
    Task<DateTimeOffset> BookAsync(string host, DateTimeOffset earliest, TimeSpan delay, CancellationToken ct = default);
}

/// <summary>What retention needs of storage: raw snapshots, erasure, and compaction so that erased data does not linger.</summary>
public interface IRetentionStore
{
    Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(CancellationToken ct = default);

    /// <summary>Erases a snapshot; false when there was none.</summary>
    Task<bool> EraseSnapshotAsync(long hitId, CancellationToken ct = default);

    /// <summary>Moves a hit to the restricted store: marked restricted, its snapshot gone.</summary>
    Task RestrictHitAsync(long hitId, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Erases a hit and its snapshot, and the URL beside the audit trail (its reference by <paramref name="urlReference"/>)
    /// unless another hit of its mandate has the same URL; all in one transaction.
    /// </summary>
    Task<bool> EraseHitAsync(long id, Func<Hit, string> urlReference, CancellationToken ct = default);

    /// <summary>Deletes the frontier of runs that are over: it holds URLs that nothing needs any more.</summary>
    Task<int> PurgeFinishedFrontiersAsync(CancellationToken ct = default);

    /// <summary>
    /// Erases the trail's entries written before <paramref name="cutoff"/> and URLs last named before it, records the
    /// erasure as a chained entry (linked by <paramref name="signer"/>), and moves the trail's anchor. Null when nothing was due.
    /// </summary>
    Task<AuditAnchor?> EraseAuditBeforeAsync(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now, AuditSigner signer, CancellationToken ct = default);

    /// <summary>Rewrites the database so that erased data does not linger in free pages.</summary>
    Task CompactAsync(CancellationToken ct = default);
}
