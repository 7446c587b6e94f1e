using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Targets;
using Crawler.Core.Users;

namespace Crawler.Core.Storage;

/// <summary>
/// Storage seen from the application. The LiteDB implementation serves one machine; a shared
/// database for scale-out implements the same interfaces.
/// </summary>
public interface IUserStore
{
    User? FindUser(string name);

    IReadOnlyList<User> Users();

    /// <summary>Adds a user with their credential; false when the name is taken.</summary>
    bool TryAddUser(User user, Credential credential);

    /// <summary>The user's credential; <see cref="Credential.None"/> for a user who has none yet, null for an unknown user.</summary>
    Credential? FindCredential(string name);

    /// <summary>Replaces a credential only if it is still as the caller read it, so two sign-ins cannot both reset a failure count.</summary>
    bool TryUpdateCredential(string name, Credential expected, Credential updated);

    void AddToken(AccessToken token);

    AccessToken? FindToken(string sha256);

    /// <summary>Revokes the user's tokens in force (or only the one given); returns how many.</summary>
    int RevokeTokens(string userName, DateTimeOffset at, string? onlySha256 = null);
}

public interface ITargetStore
{
    long AddTarget(TargetSpec spec, string createdBy, DateTimeOffset at);

    CrawlTarget? FindTarget(long id);

    CrawlTarget? FindTargetByName(string name);

    IReadOnlyList<CrawlTarget> Targets();
}

public interface IMandateStore
{
    long AddMandate(Mandate mandate);

    Mandate? FindMandate(long id);

    IReadOnlyList<Mandate> Mandates();

    /// <summary>Replaces a mandate only if it is still as the caller read it (optimistic concurrency).</summary>
    bool TryUpdateMandate(Mandate expected, Mandate updated);

    /// <summary>Replaces several mandates at once, all or none, each only if still as the caller read it.</summary>
    bool TryUpdateMandates(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes);

    /// <summary>Adds a mandate if <paramref name="admissible"/> holds over the stored mandates at that moment (one transaction).</summary>
    long? TryAddMandate(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible);

    MandateUsage Usage(long mandateId);

    void CountPage(long mandateId);
}

public interface IHitStore
{
    /// <summary>
    /// Stores a hit if the mandate's caps allow it: hits, and distinct contact identifiers (when
    /// <paramref name="maxContacts"/> is set). With <paramref name="activeAt"/>, also only if the hit's mandate
    /// is still active at that instant, read in the same transaction, so that a revocation committed while
    /// the page was in flight cannot be overtaken (rule <c>mandate.ended-in-flight</c>). Returns its id, or the
    /// rule that refused it.
    /// </summary>
    HitStoreResult TryAddHit(Hit hit, int maxHits, int? maxContacts = null, DateTimeOffset? activeAt = null);

    Hit? FindHit(long id);

    void UpdateHit(Hit hit);

    /// <summary>The hit of this mandate for this URL with exactly this content, if one is stored.</summary>
    long? FindSameHit(long mandateId, string url, string contentSha256);

    /// <summary>
    /// The earliest hit of any of these mandates (the versions of one mandate) for this URL with exactly this
    /// content: a renewal does not make an unchanged page new.
    /// </summary>
    long? FindSameHit(IReadOnlyCollection<long> mandateIds, string url, string contentSha256);

    IReadOnlyList<Hit> Hits(long? mandateId);

    /// <summary>The latest linking of a mandate's hits, replacing the one before.</summary>
    void SaveLinks(long mandateId, Linking.LinkResult result);

    Linking.LinkResult? FindLinks(long mandateId);
}

/// <summary>The stored hit's id, or the rule of the cap that refused it.</summary>
public sealed record HitStoreResult(long? Id, string? RefusedRule, string? Reason)
{
    public static HitStoreResult Stored(long id) => new(id, null, null);
}

public interface IAuditLog
{
    /// <summary>Appends one entry at the head of the chain, atomically with respect to other writers.</summary>
    AuditEntry Append(AuditRecord record, DateTimeOffset time);

    /// <summary>
    /// Appends entries in one transaction, with the URLs their references stand for: all or none.
    /// One page's decisions go in together, which is also what makes appending fast.
    /// </summary>
    IReadOnlyList<AuditEntry> Append(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls);

    /// <summary>The URL a reference in the trail stands for, or null once it was erased.</summary>
    string? FindUrl(string reference);

    IEnumerable<AuditEntry> Entries();

    long Count();

    /// <summary>Where the trail starts when its oldest entries were erased; null while it starts at entry 1.</summary>
    AuditAnchor? Anchor();
}

/// <summary>What retention needs of storage: raw snapshots, erasure, and compaction so that erased data does not linger.</summary>
public interface IRetentionStore
{
    void SaveSnapshot(Snapshot snapshot);

    Snapshot? FindSnapshot(long hitId);

    IReadOnlyList<SnapshotInfo> Snapshots();

    /// <summary>Erases a snapshot; false when there was none.</summary>
    bool EraseSnapshot(long hitId);

    /// <summary>Erases a hit, its snapshot, and its URL from beside the audit trail unless another hit of its mandate has the same URL.</summary>
    bool EraseHit(long id);

    /// <summary>Deletes the frontier of runs that are over: it holds URLs that nothing needs any more.</summary>
    int PurgeFinishedFrontiers();

    /// <summary>
    /// Erases the trail's entries written before <paramref name="cutoff"/> and URLs last named before it,
    /// records the erasure as a chained entry, and moves the trail's anchor. Null when nothing was due.
    /// </summary>
    AuditAnchor? EraseAuditBefore(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now);

    /// <summary>Rewrites the database file so that erased data does not linger in free pages.</summary>
    void Compact();
}

/// <summary>
/// How a run stands. A run that ended says truthfully how: <see cref="Completed"/> only when every URL it
/// tried was answered; <see cref="Partial"/> when some failed in transport or on a fetch guard;
/// <see cref="Failed"/> when nothing could be fetched at all.
/// </summary>
public enum RunState
{
    Running,
    Interrupted,
    Completed,
    Stopped,
    Partial,
    Failed,
}

/// <summary>
/// A crawl run's persistent state, so that an interrupted run resumes where it was. <see cref="Failures"/>
/// counts URLs (pages, robots.txt, images) that failed in transport or on a fetch guard, by rule; null
/// for runs stored before it existed.
/// </summary>
public sealed record CrawlRun(
    long Id,
    long TargetId,
    long MandateId,
    string StartedBy,
    DateTimeOffset StartedAt,
    RunState State,
    int Fetched,
    int Refused,
    int Hits,
    string? EndReason,
    IReadOnlyDictionary<string, int>? Failures = null)
{
    public bool IsOver => State is RunState.Completed or RunState.Stopped or RunState.Partial or RunState.Failed;

    public int FailureCount => Failures?.Values.Sum() ?? 0;
}

/// <summary>
/// Who is crawling a target now. One run per target at a time, across processes: the lease is taken in
/// one transaction and renewed by a heartbeat; a lease whose heartbeat is older than the lease period
/// belongs to an owner that died and may be taken over. <see cref="OwnerId"/> is unique per process and run.
/// </summary>
public sealed record RunLease(
    long TargetId,
    string OwnerId,
    string HostName,
    int ProcessId,
    DateTimeOffset AcquiredAt,
    DateTimeOffset HeartbeatAt)
{
    public DateTimeOffset ExpiresAt(TimeSpan period) => HeartbeatAt + period;
}

/// <summary>
/// The answer to taking a lease: <see cref="Taken"/> when it is ours; otherwise <see cref="Holder"/>, the live
/// lease of another owner. <see cref="Replaced"/> is a dead owner's lease that was taken over.
/// </summary>
public sealed record RunLeaseAttempt(RunLease? Taken, RunLease? Holder, RunLease? Replaced);

public sealed record FrontierItem(long Id, long RunId, string Url, int Depth, int Attempts = 0);

public interface ICrawlStateStore
{
    CrawlRun StartRun(long targetId, long mandateId, string startedBy, DateTimeOffset at);

    CrawlRun? UnfinishedRun(long targetId);

    void SaveRun(CrawlRun run);

    IReadOnlyList<CrawlRun> Runs(long? targetId);

    /// <summary>Adds a URL to the run's frontier unless its canonical form is already there.</summary>
    bool Enqueue(long runId, string canonicalUrl, int depth);

    /// <summary>Up to <paramref name="limit"/> pending items of the run, oldest first.</summary>
    IReadOnlyList<FrontierItem> PendingBatch(long runId, int limit);

    void MarkDone(long itemId);

    /// <summary>Puts an item back at the end of its run's frontier with one more attempt counted; returns the attempts.</summary>
    int Requeue(long itemId);

    /// <summary>
    /// Takes the target's run lease for <paramref name="candidate"/>'s owner, in one transaction: when no lease
    /// is held, or the one held belongs to an owner <paramref name="isDead"/> says is gone.
    /// </summary>
    RunLeaseAttempt TryTakeRunLease(RunLease candidate, Func<RunLease, bool> isDead);

    /// <summary>Moves the heartbeat of the owner's lease; false when the lease is no longer the owner's.</summary>
    bool RenewRunLease(long targetId, string ownerId, DateTimeOffset at);

    /// <summary>Gives the lease up if the owner still holds it.</summary>
    void ReleaseRunLease(long targetId, string ownerId);

    RunLease? FindRunLease(long targetId);
}

/// <summary>A robots.txt as fetched, kept so that a restart does not fetch it again within the cache period.</summary>
public sealed record CachedRobots(string Host, string? Content, string Source, bool DisallowAll, DateTimeOffset FetchedAt)
{
    /// <summary>The rules this cached copy stands for, saying where they came from.</summary>
    public Robots.RobotsTxt ToRules()
    {
        var source = $"{Source} (cached {FetchedAt:O})";
        return DisallowAll ? Robots.RobotsTxt.DisallowAll(source)
            : Content is null ? Robots.RobotsTxt.AllowAll(source)
            : Robots.RobotsTxt.Parse(Content, source);
    }
}

public interface IRobotsCache
{
    CachedRobots? FindRobots(string host);

    void SaveRobots(CachedRobots robots);
}

public interface IInstallationStore
{
    bool IsLab { get; }
}
