using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Documents;
using Crawler.Service.Access;
using Crawler.Service.Audit;

namespace Crawler.Service.Application;

/// <summary>The four-eyes lifecycle of mandates: requested by a specialist, decided by an officer, every step logged.</summary>
public sealed class MandateService(IMandateStore mandates, ITargetStore targets, AccessControl access, AuditTrail audit, PolicySet policy, TimeProvider time)
{
    public async Task<Mandate> RequestAsync(string file, string text, string? actingAs, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesRequest, "mandate:(new)", ct);
        var (spec, assessment) = await AssessAsync(file, text, ct);
        await ThrowIfRefusedAsync(file, text, assessment, user.Name, spec, ct);

        Mandate draft;
        try
        {
            draft = MandateLifecycle.Request(spec, user, time.GetUtcNow());
        }
        catch (RefusalException ex)
        {
            await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Refuse, "mandate:(new)", "refused", ex.Message, ex.Rule, Case: spec.Case), ct);
            throw;
        }

        var id = (await mandates.TryAddAsync(draft with { Assessment = assessment }, _ => true, ct))!.Value;
        var mandate = (await mandates.FindAsync(id, ct))!;
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Request, $"mandate:{id}", "requested",
            $"case {spec.Case}: {spec.Purpose}; weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor})",
            "mandate.request", id, mandate.Version, spec.Case, ContentSha256: spec.ContentSha256()), ct);
        return mandate;
    }

    /// <summary>The weighing a specialist or officer asks for before filing: files nothing.</summary>
    public async Task<(MandateSpec Spec, KoopsAssessment Assessment)> AssessFileAsync(string file, string text, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.MandatesAssess, "mandate:(assessment)", ct);
        return await AssessAsync(file, text, ct);
    }

    /// <summary>Parses a mandate file and weighs it against the Koops factors; files nothing.</summary>
    private async Task<(MandateSpec Spec, KoopsAssessment Assessment)> AssessAsync(string file, string text, CancellationToken ct)
    {
        var spec = MandateFile.Parse(file, text, policy);
        var named = new List<(string Name, CrawlTarget? Target)>();
        foreach (var t in spec.Targets)
        {
            named.Add((t, await targets.FindByNameAsync(t, ct)));
        }

        var missing = named.Where(t => t.Target is null).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(new InputProblem(file, YamlReader.LineOf(text, "targets"), 0, "targets",
                $"unknown target(s): {string.Join(", ", missing)} (add them with 'crawler target add' first)"));
        }

        var specs = named.Select(t => t.Target!.Spec).ToList();
        var assessment = KoopsWeighing.Assess(spec, specs, policy.Koops, policy.Version, CrawlerVersion,
            Scheduling.CronSchedule.ShortestInterval(specs.Select(t => t.Schedule).OfType<string>(), time.GetUtcNow()));
        return (spec, assessment);
    }

    /// <summary>A weighing that stops the mandate becomes an input error naming each field, with its line in the file.</summary>
    private async Task ThrowIfRefusedAsync(string file, string text, KoopsAssessment assessment, string actor, MandateSpec spec, CancellationToken ct)
    {
        if (!assessment.Acceptable)
        {
            // A mandate the weighing stops is a policy refusal, not just a typo: it goes to the trail (no mandate is stored).
            await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, "mandate:(new)", "refused",
                $"weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor}): " +
                string.Join("; ", assessment.Problems.Select(p => $"{p.Field}: {p.Message}")), "mandate.weighing", Case: spec.Case), ct);
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
    public Task<Mandate> ApproveAsync(long id, string? actingAs, bool urgent = false, CancellationToken ct = default) =>
        ApproveAsync(id, actingAs, urgent, null, ct);

    /// <summary>As above, with the officer's reason for approving, recorded in the approval's audit entry (the console asks for one).</summary>
    public async Task<Mandate> ApproveAsync(long id, string? actingAs, bool urgent, string? reason, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesDecide, $"mandate:{id}", ct);
        var current = await FindAsync(id, ct);
        var previous = current.PreviousId is { } p ? await mandates.FindAsync(p, ct) : null;
        var now = time.GetUtcNow();
        var confirmWithin = urgent ? TimeSpan.FromDays(policy.Mandates.UrgentConfirmDays) : (TimeSpan?)null;
        Mandate approved;
        Mandate? superseded;
        try
        {
            approved = MandateLifecycle.Approve(current, user, now, confirmWithin);
            superseded = MandateLifecycle.SupersededBy(previous, approved, now);
        }
        catch (RefusalException ex)
        {
            await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule, id, current.Version,
                current.Spec.Case), ct);
            throw;
        }

        IReadOnlyList<(Mandate, Mandate)> changes = superseded is null ? [(current, approved)] : [(current, approved), (previous!, superseded)];
        if (!await mandates.TryUpdateAsync(changes, ct))
        {
            throw new RefusalException("mandate.concurrent-change", $"mandate {id} or the version it replaces changed while this action ran; try again");
        }

        var records = new List<AuditRecord>
        {
            new(user.Name, AuditOperation.Approve, $"mandate:{id}", "approved",
                (urgent ? $"urgent oral approval; to be confirmed in writing by the approving officer within {policy.Mandates.UrgentConfirmDays} days"
                    : $"approve by {user.Name}") + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason.Trim()), "mandate.approve", id, approved.Version, approved.Spec.Case, ContentSha256: approved.Spec.ContentSha256()),
        };
        if (superseded is not null)
        {
            records.Add(new AuditRecord(user.Name, AuditOperation.Alter, $"mandate:{previous!.Id}", "superseded",
                $"replaced by mandate {approved.Id} (version {approved.Version})", "mandate.supersede", previous.Id, previous.Version, previous.Spec.Case));
        }

        await audit.AppendAsync(records, ct);
        return (await mandates.FindAsync(id, ct))!;
    }

    /// <summary>The written confirmation of an urgent oral approval, by the officer who gave it, naming the written order.</summary>
    public Task<Mandate> ConfirmAsync(long id, string? actingAs, string writtenOrder, CancellationToken ct = default) =>
        TransitionAsync(id, actingAs, AuditOperation.Approve, (m, u, now) => MandateLifecycle.Confirm(m, u, now, writtenOrder),
            $"urgent approval confirmed in writing: {writtenOrder}", ct);

    public Task<Mandate> SuspendAsync(long id, string? actingAs, string reason, CancellationToken ct = default) =>
        TransitionAsync(id, actingAs, AuditOperation.Suspend, (m, u, now) => MandateLifecycle.Suspend(m, u, reason, now), reason, ct);

    public Task<Mandate> ReviewAsync(long id, string? actingAs, ReviewDecision decision, string note, CancellationToken ct = default) =>
        TransitionAsync(id, actingAs, AuditOperation.Review, (m, u, now) => MandateLifecycle.Review(m, u, decision, note, now),
            $"necessity review: {decision.ToString().ToLowerInvariant()} — {note}", ct);

    public Task<Mandate> RejectAsync(long id, string? actingAs, string reason, CancellationToken ct = default) =>
        TransitionAsync(id, actingAs, AuditOperation.Reject, (m, u, now) => MandateLifecycle.Reject(m, u, reason, now), reason, ct);

    public Task<Mandate> RevokeAsync(long id, string? actingAs, string reason, CancellationToken ct = default) =>
        TransitionAsync(id, actingAs, AuditOperation.Revoke, (m, u, now) => MandateLifecycle.Revoke(m, u, reason, now), reason, ct);

    /// <summary>A renewal (new window) or amendment (changed content): a new version, weighed again, needing its own approval.</summary>
    public async Task<Mandate> NewVersionAsync(long id, string file, string text, string? actingAs, string kind, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesRequest, $"mandate:{id}", ct);
        var previous = await FindAsync(id, ct);
        var (spec, assessment) = await AssessAsync(file, text, ct);
        await ThrowIfRefusedAsync(file, text, assessment, user.Name, spec, ct);

        long newId;
        try
        {
            var next = MandateLifecycle.NewVersion(previous, spec, user, time.GetUtcNow(), kind) with { Assessment = assessment };

            // Checked inside the store's transaction: two renewals filed at the same moment cannot both be pending.
            newId = await mandates.TryAddAsync(next, all => MandateLifecycle.PendingVersionOf(previous.Id, all) is null, ct)
                    ?? throw MandateLifecycle.PendingVersionRefusal(previous, MandateLifecycle.PendingVersionOf(previous.Id, await mandates.ListAsync(ct)));
        }
        catch (RefusalException ex)
        {
            await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule, id, previous.Version,
                previous.Spec.Case), ct);
            throw;
        }

        var stored = (await mandates.FindAsync(newId, ct))!;
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Request, $"mandate:{newId}", "requested",
            $"{kind} of mandate {id} as version {stored.Version}; weighed {KoopsWeighing.Name(assessment.Level)} (decided by {assessment.DecidingFactor})",
            "mandate." + kind, newId, stored.Version, spec.Case, ContentSha256: spec.ContentSha256()), ct);
        return stored;
    }

    /// <summary>Every version of a mandate's case, oldest first (a consultation, logged).</summary>
    public async Task<IReadOnlyList<Mandate>> HistoryAsync(long id, string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesRead, $"mandate:{id}", ct);
        var m = await FindAsync(id, ct);
        var versions = await VersionsAsync(id, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, $"mandate:{id}", "ok", $"read the history of {versions.Count} versions",
            "mandates.history", id, m.Version, m.Spec.Case), ct);
        return versions;
    }

    /// <summary>Every version of the mandate's case (linked by PreviousId either way), oldest first.</summary>
    public async Task<IReadOnlyList<Mandate>> VersionsAsync(long id, CancellationToken ct = default)
    {
        await FindAsync(id, ct);
        return MandateLifecycle.Lineage(id, await mandates.ListAsync(ct));
    }

    /// <summary>Mandates whose necessity review is due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<Mandate>> DueReviewAsync(DateTimeOffset now, string? actingAs, CancellationToken ct = default)
    {
        var all = await ListAsync(actingAs, ct);
        return all.Where(m => m.ReviewDueAt(policy.Mandates.ReviewEveryDays) is { } due && due <= now).ToList();
    }

    /// <summary>Every mandate (a consultation, logged: mandates name cases and suspects).</summary>
    public async Task<IReadOnlyList<Mandate>> ListAsync(string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesRead, "mandates", ct);
        var all = await mandates.ListAsync(ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, "mandates", "ok", $"listed {all.Count} mandates", "mandates.list"), ct);
        return all;
    }

    /// <summary>One mandate with its order, weighing and history (a consultation, logged).</summary>
    public async Task<Mandate> ShowAsync(long id, string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesRead, $"mandate:{id}", ct);
        var m = await FindAsync(id, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, $"mandate:{id}", "ok", "read the mandate", "mandates.show",
            id, m.Version, m.Spec.Case), ct);
        return m;
    }

    /// <summary>A mandate by id, for the services' own use (no consultation).</summary>
    public async Task<Mandate> FindAsync(long id, CancellationToken ct = default) => await mandates.FindAsync(id, ct)
        ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no mandate with id {id} (see 'crawler mandate list')"));

    /// <summary>The active mandate that names <paramref name="target"/> at <paramref name="now"/>, if any.</summary>
    public async Task<Mandate?> FindCoveringAsync(CrawlTarget target, DateTimeOffset now, CancellationToken ct = default) =>
        (await mandates.ListAsync(ct))
            .Where(m => m.Covers(target.Name) && m.StateAt(now) == MandateState.Active)
            .OrderByDescending(m => m.Approval!.At)
            .FirstOrDefault();

    /// <summary>Why no mandate covers the target now, mandate by mandate, for the refusal message.</summary>
    public async Task<string> WhyNotCoveredAsync(CrawlTarget target, DateTimeOffset now, CancellationToken ct = default)
    {
        var naming = (await mandates.ListAsync(ct)).Where(m => m.Covers(target.Name)).ToList();
        return naming.Count == 0
            ? $"no mandate names target '{target.Name}'"
            : string.Join("; ", naming.Select(m => $"mandate {m.Id} is {Describe(m.StateAt(now))}"));
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

    private async Task<Mandate> TransitionAsync(long id, string? actingAs, string operation, Func<Mandate, User, DateTimeOffset, Mandate> change, string? reason,
        CancellationToken ct)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.MandatesDecide, $"mandate:{id}", ct);
        var current = await FindAsync(id, ct);
        Mandate updated;
        try
        {
            updated = change(current, user, time.GetUtcNow());
        }
        catch (RefusalException ex)
        {
            await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Refuse, $"mandate:{id}", "refused", ex.Message, ex.Rule,
                id, current.Version, current.Spec.Case), ct);
            throw;
        }

        if (!await mandates.TryUpdateAsync([(current, updated)], ct))
        {
            throw new RefusalException("mandate.concurrent-change", $"mandate {id} changed while this action ran; try again");
        }

        await audit.AppendAsync(new AuditRecord(user.Name, operation, $"mandate:{id}", updated.Status.ToString().ToLowerInvariant(),
            reason ?? $"{operation} by {user.Name}", "mandate." + operation, id, updated.Version, updated.Spec.Case,
            ContentSha256: updated.Spec.ContentSha256()), ct);
        return (await mandates.FindAsync(id, ct))!;
    }
}
