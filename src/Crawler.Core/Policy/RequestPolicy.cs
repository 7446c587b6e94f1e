using System.Text.RegularExpressions;
using Crawler.Core.Mandates;
using Crawler.Core.Urls;

namespace Crawler.Core.Policy;

/// <summary>
/// The request gate: an ordered chain of rules, each of which passes or rejects with a stable id
/// and a reason. The first rejection decides; a request is allowed only when every rule passed.
/// </summary>
public static class RequestPolicy
{
    private delegate string? Rule(RequestContext c);

    private static readonly (string Id, Rule Check, bool ForRobots)[] Chain =
    [
        ("mandate.present", MandatePresent, true),
        ("mandate.approved", MandateApproved, true),
        ("mandate.window", MandateWindow, true),
        ("mandate.covers-target", MandateCoversTarget, true),
        ("mandate.page-cap", MandatePageCap, false),
        ("mandate.hit-cap", MandateHitCap, false),
        ("url.scheme", Scheme, true),
        ("url.credentials", Credentials, true),
        ("scope.host", Host, true),
        ("scope.exclude", Exclude, false),
        ("scope.include", Include, false),
        ("scope.depth", Depth, false),
        ("run.page-cap", RunPageCap, false),
        ("robots", Robots, false),
    ];

    public const string AllowRule = "allow.all-rules-passed";

    public static PolicyDecision Decide(RequestContext c)
    {
        var trace = new List<RuleTrace>(Chain.Length);
        foreach (var (id, check, forRobots) in Chain)
        {
            if (c.Purpose == RequestPurpose.Robots && !forRobots)
            {
                continue;
            }

            var rejection = check(c);
            if (rejection is not null)
            {
                trace.Add(new RuleTrace(id, RuleOutcome.Reject, rejection));
                return Decision(c, Verdict.Refuse, id, rejection, trace);
            }

            trace.Add(new RuleTrace(id, RuleOutcome.Pass, "passed"));
        }

        var reason = c.Lab ? "every rule passed (lab installation: loopback allowed)" : "every rule passed";
        return Decision(c, Verdict.Allow, AllowRule, reason, trace);
    }

    private static PolicyDecision Decision(RequestContext c, Verdict verdict, string rule, string reason, List<RuleTrace> trace) =>
        new(verdict, rule, reason, c.Url.ToString(), c.Mandate?.Id, c.Mandate?.Version, c.Mandate?.Spec.Case,
            c.Policy.Version, c.Lab, c.Now, trace);

    private static string? MandatePresent(RequestContext c) =>
        c.Mandate is null ? $"no mandate covers target '{c.Target.Name}'" : null;

    private static string? MandateApproved(RequestContext c) => c.Mandate!.StateAt(c.Now) switch
    {
        MandateState.AwaitingApproval => $"mandate {c.Mandate.Id} is awaiting approval",
        MandateState.Rejected => $"mandate {c.Mandate.Id} was rejected",
        MandateState.Revoked => $"mandate {c.Mandate.Id} was revoked",
        MandateState.ApprovalVoid => $"mandate {c.Mandate.Id} changed after approval; the approval is void",
        _ => null,
    };

    private static string? MandateWindow(RequestContext c) => c.Mandate!.StateAt(c.Now) switch
    {
        MandateState.NotYetValid => $"mandate {c.Mandate.Id} is valid from {c.Mandate.Spec.ValidFrom:O}",
        MandateState.Expired => $"mandate {c.Mandate.Id} expired at {c.Mandate.Spec.ValidUntil:O}",
        _ => null,
    };

    private static string? MandateCoversTarget(RequestContext c) =>
        c.Mandate!.Covers(c.Target.Name) ? null : $"mandate {c.Mandate.Id} does not name target '{c.Target.Name}'";

    private static string? MandatePageCap(RequestContext c) =>
        c.Usage.PagesFetched >= c.Mandate!.Spec.Limits.MaxPages
            ? $"mandate {c.Mandate.Id} has used its {c.Mandate.Spec.Limits.MaxPages} pages"
            : null;

    private static string? MandateHitCap(RequestContext c) =>
        c.Usage.HitsStored >= c.Mandate!.Spec.Limits.MaxHits
            ? $"mandate {c.Mandate.Id} has stored its {c.Mandate.Spec.Limits.MaxHits} hits"
            : null;

    private static string? Scheme(RequestContext c) =>
        c.Url.Scheme is "http" or "https" ? null : $"scheme '{c.Url.Scheme}' is not http or https";

    private static string? Credentials(RequestContext c) =>
        c.Url.UserInfo.Length == 0 ? null : "URLs with credentials are never fetched";

    private static string? Host(RequestContext c) =>
        c.Target.Spec.Scope.Hosts.Any(h => HostPattern.Matches(h, c.Url.Host))
            ? null
            : $"host '{c.Url.Host}' is not in the target's scope ({string.Join(", ", c.Target.Spec.Scope.Hosts)})";

    private static string? Exclude(RequestContext c)
    {
        var pq = c.Url.PathAndQuery;
        foreach (var p in c.Target.Spec.Scope.Exclude)
        {
            switch (SafeMatch(p, pq))
            {
                case true:
                    return $"path matches exclude pattern '{p}'";
                case null:
                    return $"exclude pattern '{p}' timed out on this path; refused to be safe";
            }
        }

        return null;
    }

    private static string? Include(RequestContext c)
    {
        var include = c.Target.Spec.Scope.Include;
        if (include.Count == 0 || c.Depth == 0)
        {
            return null;
        }

        var pq = c.Url.PathAndQuery;
        return include.Any(p => SafeMatch(p, pq) == true) ? null : "path matches none of the include patterns";
    }

    private static string? Depth(RequestContext c) =>
        c.Depth > c.Target.Spec.Scope.MaxDepth ? $"depth {c.Depth} exceeds maxDepth {c.Target.Spec.Scope.MaxDepth}" : null;

    private static string? RunPageCap(RequestContext c) =>
        c.RunPagesFetched >= c.Target.Spec.Scope.MaxPagesPerRun
            ? $"this run has fetched its {c.Target.Spec.Scope.MaxPagesPerRun} pages (maxPagesPerRun)"
            : null;

    private static string? Robots(RequestContext c)
    {
        if (c.Robots is null)
        {
            return "robots.txt for this host has not been read";
        }

        var verdict = c.Robots.Evaluate(c.Policy.ProductToken, c.Url.PathAndQuery);
        return verdict.Allowed ? null : "robots.txt disallows it: " + verdict.Rule;
    }

    /// <summary>Null when the pattern timed out: both callers then refuse.</summary>
    private static bool? SafeMatch(string pattern, string input)
    {
        try
        {
            return Regex.IsMatch(input, pattern, RegexOptions.None, ScopePatterns.MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
