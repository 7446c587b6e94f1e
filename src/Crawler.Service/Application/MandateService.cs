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
        ThrowIfRefused(file, text, assessment, user.Name, spec);

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

        var specs = targets.Select(t => t.Target!.Spec).ToList();
        var assessment = KoopsWeighing.Assess(spec, specs, context.Policy.Koops, context.Policy.Version, CrawlerVersion,
            Scheduling.CronSchedule.ShortestInterval(specs.Select(t => t.Schedule).OfType<string>(), context.Now));
        return (spec, assessment);
    }

    /// <summary>A weighing that stops the mandate becomes an input error naming each field, with its line in the file.</summary>
    private void ThrowIfRefused(string file, string text, KoopsAssessment assessment, string actor, MandateSpec spec)
    {
        if (!assessment.Acceptable)
        {
            // A mandate the weighing stops is a policy refusal, not just a typo: it goes to the trail (no mandate is stored).
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, "mandate:(new)", "refused",
                $"weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor}): " +
                string.Join("; ", assessment.Problems.Select(p => $"{p.Field}: {p.Message}")), "mandate.weighing", Case: spec.Case));
            throw new InputException(assessment.Problems
                .Select(p => new InputProblem(file, YamlReader.LineOf(text, p.Field), 0, p.Field, p.Message)).ToList());
        }
    }

    public static string CrawlerVersion { get; } =
        typeof(MandateService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Mandate Approve(long id, string? actingAs, bool urgent = false)
    {
        var confirmWithin = urgent ? TimeSpan.FromDays(context.Policy.Mandates.UrgentConfirmDays) : (TimeSpan?)null;
        var approved = Transition(id, actingAs, AuditOperation.Approve, (m, u, now) => MandateLifecycle.Approve(m, u, now, confirmWithin),
            urgent ? $"urgent oral approval; confirm in writing within {context.Policy.Mandates.UrgentConfirmDays} days" : null);

        // An approved new version replaces the one before it.
        if (approved.PreviousId is { } previousId && context.Store.FindMandate(previousId) is { Status: MandateStatus.Approved or MandateStatus.Suspended } previous)
        {
            var superseded = MandateLifecycle.Supersede(previous, approved, context.Now);
            if (context.Store.TryUpdateMandate(previous, superseded))
            {
                context.Audit(new AuditRecord(approved.Approval!.By, AuditOperation.Alter, $"mandate:{previousId}", "superseded",
                    $"replaced by mandate {approved.Id} (version {approved.Version})", "mandate.supersede", previousId, previous.Version, previous.Spec.Case));
            }
        }

        return approved;
    }

    public Mandate Confirm(long id, string? actingAs) =>
        Transition(id, actingAs, AuditOperation.Approve, (m, u, now) => MandateLifecycle.Confirm(m, u, now), "urgent approval confirmed in writing");

    public Mandate Suspend(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Suspend, (m, u, now) => MandateLifecycle.Suspend(m, u, reason, now), reason);

    public Mandate Review(long id, string? actingAs, ReviewDecision decision, string note) =>
        Transition(id, actingAs, AuditOperation.Review, (m, u, now) => MandateLifecycle.Review(m, u, decision, note, now),
            $"necessity review: {decision.ToString().ToLowerInvariant()} — {note}");

    /// <summary>A renewal (new window) or amendment (changed content): a new version, weighed again, needing its own approval.</summary>
    public Mandate NewVersion(long id, string file, string text, string? actingAs, string kind)
    {
        var user = context.RequireUser(actingAs);
        var previous = Show(id);
        var (spec, assessment) = Assess(file, text);
        ThrowIfRefused(file, text, assessment, user.Name, spec);

        Mandate next;
        try
        {
            next = MandateLifecycle.NewVersion(previous, spec, user, context.Now, kind);
        }
        catch (RefusalException ex)
        {
            context.Audit(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule, id, previous.Version, previous.Spec.Case));
            throw;
        }

        var newId = context.Store.AddMandate(next with { Assessment = assessment });
        var stored = context.Store.FindMandate(newId)!;
        context.Audit(new AuditRecord(user.Name, AuditOperation.Request, $"mandate:{newId}", "requested",
            $"{kind} of mandate {id} as version {stored.Version}; weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor})",
            "mandate." + kind, newId, stored.Version, spec.Case, ContentSha256: spec.ContentSha256()));
        return stored;
    }

    /// <summary>Every version of a mandate, oldest first: follows PreviousId back and later versions forward.</summary>
    public IReadOnlyList<Mandate> History(long id)
    {
        var all = context.Store.Mandates();
        var start = Show(id);
        while (start.PreviousId is { } p && all.FirstOrDefault(m => m.Id == p) is { } earlier)
        {
            start = earlier;
        }

        var chain = new List<Mandate> { start };
        while (all.FirstOrDefault(m => m.PreviousId == chain[^1].Id) is { } later)
        {
            chain.Add(later);
        }

        return chain;
    }

    /// <summary>Mandates whose necessity review is due at <paramref name="now"/>.</summary>
    public IReadOnlyList<Mandate> DueReview(DateTimeOffset now) =>
        context.Store.Mandates().Where(m => m.ReviewDueAt(context.Policy.Mandates.ReviewEveryDays) is { } due && due <= now).ToList();

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
        MandateState.UrgentUnconfirmed => "suspended: urgent approval not confirmed in writing",
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
