using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using Crawler.Core.Urls;

namespace Crawler.Core.Policy;

/// <summary>
/// The request gate: an ordered chain of rules, each of which passes, accepts or rejects with a
/// stable id and a reason. The first rule that does not pass decides; a request is allowed when
/// every rule passed or one accepted it. Rules take the context by reference and return null to
/// pass, so an allowed decision allocates only the decision.
/// </summary>
public static class RequestPolicy
{
    /// <summary>A rule's answer; the default is Pass, so passing allocates nothing.</summary>
    private readonly record struct RuleVerdict(RuleOutcome Outcome, string? Reason, string? DecidingRule = null);

    private delegate RuleVerdict Check(in RequestContext c);

    /// <summary>Most rules can only object: the reason when they do, null when they pass.</summary>
    private delegate string? Objection(in RequestContext c);

    /// <summary>A rule and the purposes it applies to: every rule to pages; to robots.txt and images, those that say so.</summary>
    private sealed record RuleDef(string Id, Check Check, bool ForRobots, bool ForImages = true, bool ForPages = true)
    {
        public bool AppliesTo(RequestPurpose purpose) => purpose switch
        {
            RequestPurpose.Robots => ForRobots,
            RequestPurpose.Image => ForImages,
            _ => ForPages,
        };
    }

    private static Check Rejects(Objection objection) =>
        (in RequestContext c) => objection(in c) is { } reason ? new RuleVerdict(RuleOutcome.Reject, reason) : default;

    private static readonly RuleDef[] Chain =
    [
        new("mandate.present", Rejects(MandatePresent), true),
        new("mandate.approved", Rejects(MandateApproved), true),
        new("mandate.window", Rejects(MandateWindow), true),
        new("mandate.covers-target", Rejects(MandateCoversTarget), true),
        new("mandate.images", Rejects(MandateImages), false, ForImages: true, ForPages: false),
        new("mandate.page-cap", Rejects(MandatePageCap), false),
        new("mandate.hit-cap", Rejects(MandateHitCap), false, ForImages: false),
        new("url.scheme", Rejects(Scheme), true),
        new("url.credentials", Rejects(Credentials), true),
        new("scope.host", Rejects(Host), true),
        new("url.length", Rejects(Length), false),
        new("url.path-segments", Rejects(PathSegments), false),
        new("url.repeated-segment", Rejects(RepeatedSegment), false),
        new("url.query-parameters", Rejects(QueryParameters), false),
        new("url.file-type", Rejects(FileType), false, ForImages: false),
        new("scope.exclude", Rejects(Exclude), false),
        new("scope.include", Rejects(Include), false, ForImages: false),
        new("scope.depth", Rejects(Depth), false, ForImages: false),
        new("run.page-cap", Rejects(RunPageCap), false),
        new("robots", Robots, false),
    ];

    public const string AllowRule = "allow.all-rules-passed";
    public const string RobotsOverrideRule = "robots.override";

    private const string Passed = "passed";
    private const string AllowReason = "every rule passed";
    private const string AllowReasonLab = "every rule passed (lab installation: loopback allowed)";

    /// <summary>The stable ids of the chain, in order.</summary>
    public static IReadOnlyList<string> RuleIds { get; } = Chain.Select(r => r.Id).ToArray();

    public static PolicyDecision Decide(in RequestContext c)
    {
        for (var i = 0; i < Chain.Length; i++)
        {
            var rule = Chain[i];
            if (!rule.AppliesTo(c.Purpose))
            {
                continue;
            }

            var verdict = rule.Check(in c);
            switch (verdict.Outcome)
            {
                case RuleOutcome.Pass:
                    continue;
                case RuleOutcome.Accept:
                    return Decision(in c, Verdict.Allow, verdict.DecidingRule ?? rule.Id, verdict.Reason!, i);
                default:
                    return Decision(in c, Verdict.Refuse, rule.Id, verdict.Reason!, i);
            }
        }

        return Decision(in c, Verdict.Allow, AllowRule, c.Lab ? AllowReasonLab : AllowReason, Chain.Length);
    }


    private static PolicyDecision Decision(in RequestContext c, Verdict verdict, string rule, string reason, int index) =>
        new(verdict, rule, reason, c.Url.OriginalString, c.Mandate?.Id, c.Mandate?.Version, c.Mandate?.Spec.Case,
            c.Policy.Version, c.Lab, c.Now)
        {
            DecidingIndex = index,
            Purpose = c.Purpose,
        };

    internal static IReadOnlyList<RuleTrace> TraceOf(PolicyDecision d)
    {
        var trace = new List<RuleTrace>(Chain.Length);
        var end = Math.Min(d.DecidingIndex, Chain.Length);
        for (var i = 0; i < end; i++)
        {
            if (!Chain[i].AppliesTo(d.Purpose))
            {
                continue;
            }

            trace.Add(new RuleTrace(Chain[i].Id, RuleOutcome.Pass, Passed));
        }

        if (d.DecidingIndex < Chain.Length && d.DecidingIndex >= 0)
        {
            var outcome = d.Allowed ? RuleOutcome.Accept : RuleOutcome.Reject;
            trace.Add(new RuleTrace(d.Allowed ? d.Rule : Chain[d.DecidingIndex].Id, outcome, d.Reason));
        }

        return trace;
    }

    private static string? MandatePresent(in RequestContext c) =>
        c.Mandate is null ? $"no mandate covers target '{c.Target.Name}'" : null;

    private static string? MandateApproved(in RequestContext c) => c.MandateState switch
    {
        MandateState.AwaitingApproval => $"mandate {c.Mandate!.Id} is awaiting approval",
        MandateState.Rejected => $"mandate {c.Mandate!.Id} was rejected",
        MandateState.Revoked => $"mandate {c.Mandate!.Id} was revoked",
        MandateState.ApprovalVoid => $"mandate {c.Mandate!.Id} changed after approval; the approval is void",
        MandateState.Suspended => $"mandate {c.Mandate!.Id} is suspended",
        MandateState.Superseded => $"mandate {c.Mandate!.Id} was replaced by a later approved version",
        MandateState.UrgentUnconfirmed => $"mandate {c.Mandate!.Id} was approved urgently and not confirmed in writing by {c.Mandate.Approval!.ConfirmBy:O}; it has suspended itself",
        _ => null,
    };

    private static string? MandateWindow(in RequestContext c) => c.MandateState switch
    {
        MandateState.NotYetValid => $"mandate {c.Mandate!.Id} is valid from {c.Mandate.Spec.ValidFrom:O}",
        MandateState.Expired => $"mandate {c.Mandate!.Id} expired at {c.Mandate.Spec.ValidUntil:O}",
        _ => null,
    };

    private static string? MandateCoversTarget(in RequestContext c) =>
        c.Mandate!.Covers(c.Target.Name) ? null : $"mandate {c.Mandate.Id} does not name target '{c.Target.Name}'";

    private static string? MandateImages(in RequestContext c) =>
        c.Mandate!.Spec.TreatmentOf(Mandates.DataCategory.Images) == Mandates.Treatment.Drop
            ? $"mandate {c.Mandate.Id} does not keep images (dataCategories.images is drop); an image may not even be fetched for its digest"
            : null;

    private static string? MandatePageCap(in RequestContext c) =>
        c.Usage.PagesFetched >= c.Mandate!.Spec.Limits.MaxPages
            ? $"mandate {c.Mandate.Id} has used its {c.Mandate.Spec.Limits.MaxPages} pages"
            : null;

    private static string? MandateHitCap(in RequestContext c) =>
        c.Usage.HitsStored >= c.Mandate!.Spec.Limits.MaxHits
            ? $"mandate {c.Mandate.Id} has stored its {c.Mandate.Spec.Limits.MaxHits} hits"
            : null;

    private static string? Scheme(in RequestContext c) =>
        c.Url.Scheme is "http" or "https" ? null : $"scheme '{c.Url.Scheme}' is not http or https";

    private static string? Credentials(in RequestContext c) =>
        c.Url.UserInfo.Length == 0 ? null : "URLs with credentials are never fetched";

    private static string? Host(in RequestContext c) =>
        CompiledScope.Of(c.Target).HostAllowed(c.Url.IdnHost)
            ? null
            : $"host '{c.Url.Host}' is not in the target's scope ({string.Join(", ", c.Target.Spec.Scope.Hosts)})";

    private static string? Length(in RequestContext c) =>
        c.Url.OriginalString.Length > c.Policy.Urls.MaxLength
            ? $"the URL is {c.Url.OriginalString.Length} characters; the policy allows {c.Policy.Urls.MaxLength}"
            : null;

    private static string? PathSegments(in RequestContext c)
    {
        var n = UrlRules.CountSegments(c.Url.AbsolutePath);
        return n > c.Policy.Urls.MaxPathSegments ? $"the path has {n} segments; the policy allows {c.Policy.Urls.MaxPathSegments}" : null;
    }

    private static string? RepeatedSegment(in RequestContext c)
    {
        var n = UrlRules.MaxRepeats(c.Url.AbsolutePath);
        return n > c.Policy.Urls.MaxSegmentRepeats ? $"a path segment repeats {n} times (a crawler trap); the policy allows {c.Policy.Urls.MaxSegmentRepeats}" : null;
    }

    private static string? QueryParameters(in RequestContext c)
    {
        var n = UrlRules.CountQueryParameters(c.Url.Query);
        return n > c.Policy.Urls.MaxQueryParameters ? $"the query has {n} parameters; the policy allows {c.Policy.Urls.MaxQueryParameters}" : null;
    }

    private static string? FileType(in RequestContext c)
    {
        var ext = UrlRules.Extension(c.Url.AbsolutePath);
        return ext.Length > 0 && c.Policy.Urls.IsDenied(ext) ? $"file type '.{ext}' is not fetched (policy urls.deniedExtensions)" : null;
    }

    private static string? Exclude(in RequestContext c)
    {
        var i = CompiledScope.Of(c.Target).ExcludedBy(c.Url.PathAndQuery);
        return i < 0 ? null : $"path matches exclude pattern '{c.Target.Spec.Scope.Exclude[i]}'";
    }

    private static string? Include(in RequestContext c)
    {
        var scope = CompiledScope.Of(c.Target);
        if (!scope.HasIncludes || c.Depth == 0)
        {
            return null;
        }

        return scope.Included(c.Url.PathAndQuery) ? null : "path matches none of the include patterns";
    }

    private static string? Depth(in RequestContext c) =>
        c.Depth > c.Target.Spec.Scope.MaxDepth ? $"depth {c.Depth} exceeds maxDepth {c.Target.Spec.Scope.MaxDepth}" : null;

    private static string? RunPageCap(in RequestContext c) =>
        c.RunPagesFetched >= c.Target.Spec.Scope.MaxPagesPerRun
            ? $"this run has fetched its {c.Target.Spec.Scope.MaxPagesPerRun} pages (maxPagesPerRun)"
            : null;

    /// <summary>The one rule that can accept: a justified robots override in the mandate.</summary>
    private static RuleVerdict Robots(in RequestContext c)
    {
        if (c.Robots is null)
        {
            return new(RuleOutcome.Reject, "robots.txt for this host has not been read");
        }

        var rules = c.Robots.For(c.Policy.ProductToken);
        var match = rules.Match(c.Url.PathAndQuery);
        if (match.Allowed)
        {
            return default;
        }

        if (c.Mandate?.Spec.RobotsOverride is { Length: > 0 } justification)
        {
            return new(RuleOutcome.Accept,
                $"robots.txt disallows it ({rules.Describe(match)}), fetched under the mandate's robots override: {justification}", RobotsOverrideRule);
        }

        return new(RuleOutcome.Reject, "robots.txt disallows it: " + rules.Describe(match));
    }
}
