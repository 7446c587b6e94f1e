using System.Runtime.CompilerServices;
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

    /// <summary>
    /// An image of a stored ad, fetched only to compute its digest: only when the mandate keeps images, and under
    /// every rule but the file-type, include, depth and hit-cap rules, which are about pages.
    /// </summary>
    Image,
}

public enum Verdict
{
    Allow,
    Refuse,
}

public enum RuleOutcome
{
    /// <summary>The rule has no objection; the next rule decides.</summary>
    Pass,

    /// <summary>The rule allows the request outright (e.g. a justified robots override); later rules are not consulted.</summary>
    Accept,

    /// <summary>The rule refuses the request.</summary>
    Reject,
}

/// <summary>One rule consulted for a decision, with its verdict; the full list is the decision's trace.</summary>
public sealed record RuleTrace(string Rule, RuleOutcome Outcome, string Reason);

/// <summary>What has been used of a mandate so far, counted across all its runs.</summary>
public sealed record MandateUsage(long PagesFetched, long HitsStored)
{
    public static readonly MandateUsage None = new(0, 0);
}

/// <summary>
/// Everything a request decision depends on. No I/O: the caller gathers it. A struct, so that
/// asking for a decision allocates nothing beyond the decision itself.
/// </summary>
public readonly record struct RequestContext(
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
    RobotsTxt? Robots)
{
    private static readonly ConditionalWeakTable<Mandate, StrongBox<bool>> ApprovalCache = [];

    /// <summary>
    /// The mandate's state at <see cref="Now"/>. Whether the approval still matches the content is
    /// computed once per mandate value (mandates are immutable; a change is a new value).
    /// </summary>
    public MandateState MandateState
    {
        get
        {
            var m = Mandate!;
            var intact = ApprovalCache.GetValue(m, x => new StrongBox<bool>(x.ApprovalIntact()));
            return m.StateAt(Now, intact.Value);
        }
    }
}

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
    DateTimeOffset At)
{
    internal int DecidingIndex { get; init; } = -1;

    internal RequestPurpose Purpose { get; init; }

    public bool Allowed => Verdict == Verdict.Allow;

    /// <summary>Every rule consulted, in order, and its outcome; built on demand from the deciding rule.</summary>
    public IReadOnlyList<RuleTrace> Trace => RequestPolicy.TraceOf(this);
}
