using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Mandates;

/// <summary>
/// One mandate: the full order, the Koops weighing factor by factor with each justification, what changed against the
/// version it would replace, its history, and for officers the decisions with their reasons. Reading it is a logged
/// consultation; every decision goes through <see cref="MandateService"/>, which enforces four eyes and logs it.
/// </summary>
[RequirePermission(Permission.MandatesRead)]
public sealed class ShowModel(MandateService mandates, Core.Policy.PolicySet policy, TimeProvider time) : ConsolePageModel
{
    public int UrgentConfirmDays => policy.Mandates.UrgentConfirmDays;

    /// <summary>The decisions a page may report as done (after the redirect that follows a successful decision).</summary>
    public static readonly string[] Decisions = ["approved", "rejected", "suspended", "revoked", "reviewed", "confirmed"];

    public Mandate Mandate { get; private set; } = null!;

    public Mandate? Previous { get; private set; }

    public IReadOnlyList<Mandate> Versions { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The form that was sent and failed, so its values stay and its section opens at the error.</summary>
    public string? FailedForm { get; private set; }

    public string? Reason { get; private set; }

    public async Task OnGetAsync(long id, CancellationToken ct)
    {
        Done = Decisions.Contains(Done, StringComparer.Ordinal) || Done == "requested" ? Done : null;
        await LoadAsync(id, ct);
    }

    [RequirePermission(Permission.MandatesDecide)]
    public Task<IActionResult> OnPostApproveAsync(long id, string? reason, bool urgent, CancellationToken ct) =>
        DecideAsync(id, "approve", "approve-reason", reason, "approved", () => mandates.ApproveAsync(id, null, urgent, reason!.Trim(), ct), ct);

    [RequirePermission(Permission.MandatesDecide)]
    public Task<IActionResult> OnPostRejectAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(id, "reject", "reject-reason", reason, "rejected", () => mandates.RejectAsync(id, null, reason!.Trim(), ct), ct);

    [RequirePermission(Permission.MandatesDecide)]
    public Task<IActionResult> OnPostSuspendAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(id, "suspend", "suspend-reason", reason, "suspended", () => mandates.SuspendAsync(id, null, reason!.Trim(), ct), ct);

    [RequirePermission(Permission.MandatesDecide)]
    public Task<IActionResult> OnPostRevokeAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(id, "revoke", "revoke-reason", reason, "revoked", () => mandates.RevokeAsync(id, null, reason!.Trim(), ct), ct);

    [RequirePermission(Permission.MandatesDecide)]
    public Task<IActionResult> OnPostConfirmAsync(long id, string? reason, CancellationToken ct) =>
        DecideAsync(id, "confirm", "confirm-order", reason, "confirmed", () => mandates.ConfirmAsync(id, null, reason!.Trim(), ct), ct);

    [RequirePermission(Permission.MandatesDecide)]
    public async Task<IActionResult> OnPostReviewAsync(long id, string? decision, string? reason, CancellationToken ct)
    {
        if (!Enum.TryParse<ReviewDecision>(decision, ignoreCase: true, out var d) || !Enum.IsDefined(d))
        {
            Errors.Add(new FormError("review-decision-continue", T["mandate.review.decision-missing"]));
        }

        return await DecideAsync(id, "review", "review-note", reason, "reviewed", () => mandates.ReviewAsync(id, null, d, reason!.Trim(), ct), ct);
    }

    /// <summary>
    /// A decision: its reason is required (said in text beside the field); the service decides and logs, and its refusal
    /// (four eyes, a state that does not allow it, a second factor not enrolled) is shown at the top, tied to the reason field.
    /// </summary>
    private async Task<IActionResult> DecideAsync(long id, string form, string fieldId, string? reason, string done, Func<Task<Mandate>> decide,
        CancellationToken ct)
    {
        FailedForm = form;
        Reason = reason;
        if (string.IsNullOrWhiteSpace(reason))
        {
            Errors.Insert(0, new FormError(fieldId, T[form == "confirm" ? "mandate.order-missing" : "mandate.reason-missing"]));
        }

        if (Errors.Count == 0)
        {
            try
            {
                await decide();
                return Redirect($"/mandates/{id}?done={done}");
            }
            catch (RefusalException ex)
            {
                Errors.Add(new FormError(fieldId, Refusal(ex)));
            }
            catch (InputException ex) when (!ex.Problems.Any(p => p.Field == "ID"))
            {
                AddProblems(ex, _ => fieldId);
            }
        }

        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>A refusal in the page's language where the rule is known, else the service's words.</summary>
    private string Refusal(RefusalException ex) => ex.Rule switch
    {
        "mandate.four-eyes" => T["refusal.four-eyes"],
        "mandate.transition" => T["refusal.transition"],
        "mandate.concurrent-change" => T["refusal.concurrent"],
        "mandate.approve.expired" => T["refusal.expired"],
        "mandate.predecessor-ended" => T["refusal.predecessor-ended"],
        "mandate.confirm.other-officer" => T["refusal.confirm-other"],
        "mandate.confirm.lapsed" => T["refusal.confirm-lapsed"],
        "access.mandates-decide" => T["refusal.decide"],
        _ => T.Format("refusal.other", ex.Rule),
    };

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Mandate = await mandates.ShowAsync(id, null, ct);
        Versions = await mandates.HistoryAsync(id, null, ct);
        Previous = Mandate.PreviousId is { } p ? Versions.FirstOrDefault(v => v.Id == p) : null;
        ViewData["Title"] = T.Format("mandate.title", Mandate.Id, Mandate.Version, Mandate.Spec.Case);
    }

    /// <summary>Which decisions the mandate's state allows now (the service checks again).</summary>
    public IReadOnlyList<string> PossibleDecisions()
    {
        if (!May(Permission.MandatesDecide))
        {
            return [];
        }

        return Mandate.StateAt(Now) switch
        {
            MandateState.AwaitingApproval => ["approve", "reject"],
            MandateState.Active when Mandate.Approval is { Urgent: true, ConfirmedAt: null } => ["confirm", "review", "suspend", "revoke"],
            MandateState.Active or MandateState.NotYetValid => ["review", "suspend", "revoke"],
            MandateState.Suspended or MandateState.UrgentUnconfirmed => ["revoke"],
            _ => [],
        };
    }
}
