namespace Crawler.Core.Storage;

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

/// <summary>
/// A URL of a run's frontier. <see cref="Attempts"/> counts the times the host pushed back on it (429/503);
/// <see cref="Starts"/> the times its handling began and never ended: the process died while it was in flight.
/// </summary>
public sealed record FrontierItem(long Id, long RunId, string Url, int Depth, int Attempts = 0, int Starts = 0);

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

/// <summary>
/// A host's learned site template as the crawl state keeps it: <see cref="State"/> is the template's export (keyed
/// hashes of blocks and contact values with the number of pages each was seen on, never text), beside what the
/// specialist is shown: pages it has seen, hashes it holds that are template now, and what it has dropped from pages.
/// </summary>
public sealed record HostTemplate(
    string Host,
    string State,
    int PagesSeen,
    int BlocksLearned,
    int ContactsLearned,
    long BlocksDropped,
    long ContactsDropped,
    DateTimeOffset UpdatedAt);
