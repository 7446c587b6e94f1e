using Crawler.Core.Mandates;
using Crawler.Core.Robots;
using Crawler.Core.Targets;

namespace Crawler.Core.Policy;

public enum RequestPurpose
{
    /// <summary>A page of the target: every rule applies.</summary>
    Page,

    /// <summary>A host's robots.txt: the mandate and network rules apply, path scope and caps do not.</summary>
    Robots,
}

public enum Verdict
{
    Allow,
    Refuse,
}

public enum RuleOutcome
{
    Pass,
    Reject,
}

/// <summary>One rule consulted for a decision, with its verdict; the full list is the decision's trace.</summary>
public sealed record RuleTrace(string Rule, RuleOutcome Outcome, string Reason);

/// <summary>What has been used of a mandate so far, counted across all its runs.</summary>
public sealed record MandateUsage(long PagesFetched, long HitsStored)
{
    public static readonly MandateUsage None = new(0, 0);
}

/// <summary>Everything a request decision depends on. No I/O: the caller gathers it.</summary>
public sealed record RequestContext(
    Uri Url,
    int Depth,
    RequestPurpose Purpose,
    DateTimeOffset Now,
    CrawlTarget Target,
    Mandate? Mandate,
    MandateUsage Usage,
    int RunPagesFetched,
    PolicySet Policy,
    bool Lab,
    RobotsTxt? Robots);

/// <summary>
/// A decision with the rule that decided it, the reason, the mandate and the policy version, and
/// the trace of every rule consulted. This is what goes to the audit trail.
/// </summary>
public sealed record PolicyDecision(
    Verdict Verdict,
    string Rule,
    string Reason,
    string Url,
    long? MandateId,
    int? MandateVersion,
    string? Case,
    string PolicyVersion,
    bool Lab,
    DateTimeOffset At,
    IReadOnlyList<RuleTrace> Trace)
{
    public bool Allowed => Verdict == Verdict.Allow;
}
