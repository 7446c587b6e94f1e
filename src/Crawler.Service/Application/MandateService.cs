using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

public sealed class MandateService(CrawlerContext context)
{
    public Mandate Request(string file, string text, string? actingAs)
    {
        var user = context.RequireUser(actingAs);
        var (spec, assessment) = Assess(file, text);
        if (!assessment.Acceptable)
        {
            throw new InputException(assessment.Problems
                .Select(p => new InputProblem(file, YamlReader.LineOf(text, p.Field), 0, p.Field, p.Message)).ToList());
        }

        Mandate draft;
        try
        {
            draft = MandateLifecycle.Request(spec, user, context.Now);
        }
        catch (RefusalException ex)
        {
            context.Audit(new AuditRecord(user.Name, AuditOperation.Refuse, "mandate:(new)", "refused", ex.Message, ex.Rule, Case: spec.Case));
            throw;
        }

        var id = context.Store.AddMandate(draft with { Assessment = assessment });
        var mandate = context.Store.FindMandate(id)!;
        context.Audit(new AuditRecord(user.Name, AuditOperation.Request, $"mandate:{id}", "requested",
            $"case {spec.Case}: {spec.Purpose}; weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor})",
            "mandate.request", id, mandate.Version, spec.Case,
            ContentSha256: spec.ContentSha256()));
        return mandate;
    }

    /// <summary>Parses a mandate file and weighs it against the Koops factors; files nothing.</summary>
    public (MandateSpec Spec, KoopsAssessment Assessment) Assess(string file, string text)
    {
        var spec = MandateFile.Parse(file, text, context.Policy);
        var targets = spec.Targets.Select(t => (Name: t, Target: context.Store.FindTargetByName(t))).ToList();
        var missing = targets.Where(t => t.Target is null).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(new InputProblem(file, YamlReader.LineOf(text, "targets"), 0, "targets",
                $"unknown target(s): {string.Join(", ", missing)} (add them with 'crawler target add' first)"));
        }

        var assessment = KoopsWeighing.Assess(spec, targets.Select(t => t.Target!.Spec).ToList(), context.Policy.Koops,
            context.Policy.Version, CrawlerVersion);
        return (spec, assessment);
    }

    public static string CrawlerVersion { get; } =
        typeof(MandateService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Mandate Approve(long id, string? actingAs) =>
        Transition(id, actingAs, AuditOperation.Approve, (m, u, now) => MandateLifecycle.Approve(m, u, now), null);

    public Mandate Reject(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Reject, (m, u, now) => MandateLifecycle.Reject(m, u, reason, now), reason);

    public Mandate Revoke(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Revoke, (m, u, now) => MandateLifecycle.Revoke(m, u, reason, now), reason);

    public IReadOnlyList<Mandate> List() => context.Store.Mandates();

    public Mandate Show(long id) => context.Store.FindMandate(id)
        ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no mandate with id {id}"));

    /// <summary>The active mandate that names <paramref name="target"/> at <paramref name="now"/>, if any.</summary>
    public Mandate? FindCovering(CrawlTarget target, DateTimeOffset now) =>
        context.Store.Mandates()
            .Where(m => m.Covers(target.Name) && m.StateAt(now) == MandateState.Active)
            .OrderByDescending(m => m.Approval!.At)
            .FirstOrDefault();

    /// <summary>Why no mandate covers the target now, mandate by mandate, for the refusal message.</summary>
    public string WhyNotCovered(CrawlTarget target, DateTimeOffset now)
    {
        var naming = context.Store.Mandates().Where(m => m.Covers(target.Name)).ToList();
        if (naming.Count == 0)
        {
            return $"no mandate names target '{target.Name}'";
        }

        return string.Join("; ", naming.Select(m => $"mandate {m.Id} is {Describe(m.StateAt(now))}"));
    }

    public static string Describe(MandateState state) => state switch
    {
        MandateState.AwaitingApproval => "awaiting approval",
        MandateState.ApprovalVoid => "changed after approval (approval void)",
        MandateState.NotYetValid => "not yet valid",
        _ => state.ToString().ToLowerInvariant(),
    };

    private Mandate Transition(long id, string? actingAs, string operation, Func<Mandate, User, DateTimeOffset, Mandate> change, string? reason)
    {
        var user = context.RequireUser(actingAs);
        var current = Show(id);
        Mandate updated;
        try
        {
            updated = change(current, user, context.Now);
        }
        catch (RefusalException ex)
        {
            context.Audit(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule,
                id, current.Version, current.Spec.Case));
            throw;
        }

        if (!context.Store.TryUpdateMandate(current, updated))
        {
            throw new RefusalException("mandate.concurrent-change", $"mandate {id} changed while this action ran; try again");
        }

        context.Audit(new AuditRecord(user.Name, operation, $"mandate:{id}", updated.Status.ToString().ToLowerInvariant(),
            reason ?? $"{operation} by {user.Name}", "mandate." + operation, id, updated.Version, updated.Spec.Case,
            ContentSha256: updated.Spec.ContentSha256()));
        return updated;
    }
}
