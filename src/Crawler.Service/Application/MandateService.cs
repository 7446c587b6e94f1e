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
        context.Authorize(Permission.MandatesRequest, "mandate:(new)");
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

    /// <summary>The weighing a specialist or officer asks for before filing: files nothing.</summary>
    public (MandateSpec Spec, KoopsAssessment Assessment) AssessFile(string file, string text)
    {
        context.Authorize(Permission.MandatesAssess, "mandate:(assessment)");
        return Assess(file, text);
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

    /// <summary>
    /// Approves a request. A new version's approval supersedes exactly the version it was requested of, in
    /// the same transaction, and only while that version is still in force.
    /// </summary>
    public Mandate Approve(long id, string? actingAs, bool urgent = false)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.MandatesDecide, $"mandate:{id}");
        var current = Find(id);
        var previous = current.PreviousId is { } p ? context.Store.FindMandate(p) : null;
        var now = context.Now;
        var confirmWithin = urgent ? TimeSpan.FromDays(context.Policy.Mandates.UrgentConfirmDays) : (TimeSpan?)null;
        Mandate approved;
        Mandate? superseded;
        try
        {
            approved = MandateLifecycle.Approve(current, user, now, confirmWithin);
            superseded = MandateLifecycle.SupersededBy(previous, approved, now);
        }
        catch (RefusalException ex)
        {
            context.Audit(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule, id, current.Version, current.Spec.Case));
            throw;
        }

        IReadOnlyList<(Mandate, Mandate)> changes = superseded is null ? [(current, approved)] : [(current, approved), (previous!, superseded)];
        if (!context.Store.TryUpdateMandates(changes))
        {
            throw new RefusalException("mandate.concurrent-change", $"mandate {id} or the version it replaces changed while this action ran; try again");
        }

        var records = new List<AuditRecord>
        {
            new(user.Name, AuditOperation.Approve, $"mandate:{id}", "approved",
                urgent ? $"urgent oral approval; to be confirmed in writing by the approving officer within {context.Policy.Mandates.UrgentConfirmDays} days"
                    : $"approve by {user.Name}", "mandate.approve", id, approved.Version, approved.Spec.Case, ContentSha256: approved.Spec.ContentSha256()),
        };
        if (superseded is not null)
        {
            records.Add(new AuditRecord(user.Name, AuditOperation.Alter, $"mandate:{previous!.Id}", "superseded",
                $"replaced by mandate {approved.Id} (version {approved.Version})", "mandate.supersede", previous.Id, previous.Version, previous.Spec.Case));
        }

        context.Audit(records);
        return approved;
    }

    /// <summary>The written confirmation of an urgent oral approval, by the officer who gave it, naming the written order.</summary>
    public Mandate Confirm(long id, string? actingAs, string writtenOrder) =>
        Transition(id, actingAs, AuditOperation.Approve, (m, u, now) => MandateLifecycle.Confirm(m, u, now, writtenOrder),
            $"urgent approval confirmed in writing: {writtenOrder}");

    public Mandate Suspend(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Suspend, (m, u, now) => MandateLifecycle.Suspend(m, u, reason, now), reason);

    public Mandate Review(long id, string? actingAs, ReviewDecision decision, string note) =>
        Transition(id, actingAs, AuditOperation.Review, (m, u, now) => MandateLifecycle.Review(m, u, decision, note, now),
            $"necessity review: {decision.ToString().ToLowerInvariant()} — {note}");

    /// <summary>A renewal (new window) or amendment (changed content): a new version, weighed again, needing its own approval.</summary>
    public Mandate NewVersion(long id, string file, string text, string? actingAs, string kind)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.MandatesRequest, $"mandate:{id}");
        var previous = Find(id);
        var (spec, assessment) = Assess(file, text);
        ThrowIfRefused(file, text, assessment, user.Name, spec);

        Mandate next;
        long newId;
        try
        {
            next = MandateLifecycle.NewVersion(previous, spec, user, context.Now, kind) with { Assessment = assessment };

            // Checked again inside the store's transaction: two renewals filed at the same moment cannot both be pending.
            MandateLifecycle.RequireNoPendingVersion(previous, context.Store.Mandates());
            newId = context.Store.TryAddMandate(next, all => MandateLifecycle.PendingVersionOf(previous.Id, all) is null)
                ?? throw MandateLifecycle.PendingVersionRefusal(previous, MandateLifecycle.PendingVersionOf(previous.Id, context.Store.Mandates()));
        }
        catch (RefusalException ex)
        {
            context.Audit(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule, id, previous.Version, previous.Spec.Case));
            throw;
        }

        var stored = context.Store.FindMandate(newId)!;
        context.Audit(new AuditRecord(user.Name, AuditOperation.Request, $"mandate:{newId}", "requested",
            $"{kind} of mandate {id} as version {stored.Version}; weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor})",
            "mandate." + kind, newId, stored.Version, spec.Case, ContentSha256: spec.ContentSha256()));
        return stored;
    }

    /// <summary>Every version of a mandate's case, oldest first (a consultation, logged).</summary>
    public IReadOnlyList<Mandate> History(long id, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.MandatesRead, $"mandate:{id}");
        var m = Find(id);
        var versions = Versions(id);
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, $"mandate:{id}", "ok", $"read the history of {versions.Count} versions",
            "mandates.history", id, m.Version, m.Spec.Case));
        return versions;
    }

    /// <summary>Every version of the mandate's case (linked by PreviousId either way), oldest first.</summary>
    public IReadOnlyList<Mandate> Versions(long id)
    {
        Find(id);
        return MandateLifecycle.Lineage(id, context.Store.Mandates());
    }

    /// <summary>Mandates whose necessity review is due at <paramref name="now"/>.</summary>
    public IReadOnlyList<Mandate> DueReview(DateTimeOffset now, string? actingAs)
    {
        var all = List(actingAs);
        return all.Where(m => m.ReviewDueAt(context.Policy.Mandates.ReviewEveryDays) is { } due && due <= now).ToList();
    }

    public Mandate Reject(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Reject, (m, u, now) => MandateLifecycle.Reject(m, u, reason, now), reason);

    public Mandate Revoke(long id, string? actingAs, string reason) =>
        Transition(id, actingAs, AuditOperation.Revoke, (m, u, now) => MandateLifecycle.Revoke(m, u, reason, now), reason);

    /// <summary>Every mandate (a consultation, logged: mandates name cases and suspects).</summary>
    public IReadOnlyList<Mandate> List(string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.MandatesRead, "mandates");
        var all = context.Store.Mandates();
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, "mandates", "ok", $"listed {all.Count} mandates", "mandates.list"));
        return all;
    }

    /// <summary>One mandate with its order, weighing and history (a consultation, logged).</summary>
    public Mandate Show(long id, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.MandatesRead, $"mandate:{id}");
        var m = Find(id);
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, $"mandate:{id}", "ok", "read the mandate", "mandates.show",
            id, m.Version, m.Spec.Case));
        return m;
    }

    /// <summary>A mandate by id, for the services' own use (no consultation).</summary>
    public Mandate Find(long id) => context.Store.FindMandate(id)
        ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no mandate with id {id} (see 'crawler mandate list')"));

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

    /// <summary>The state as a person reads it, with the urgent approval's deadline while it awaits written confirmation.</summary>
    public static string Describe(Mandate m, DateTimeOffset now)
    {
        var state = m.StateAt(now);
        return state == MandateState.Active && m.Approval is { Urgent: true, ConfirmedAt: null, ConfirmBy: { } by }
            ? $"active (urgent, confirm by {by:yyyy-MM-dd HH:mm}Z)"
            : Describe(state);
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
        context.Authorize(Permission.MandatesDecide, $"mandate:{id}");
        var current = Find(id);
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
