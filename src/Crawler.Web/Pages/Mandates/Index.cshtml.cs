using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;

namespace Crawler.Web.Pages.Mandates;

/// <summary>
/// The officer's inbox and the list of mandates: requests awaiting a decision (new versions of a mandate among them),
/// urgent approvals awaiting written confirmation, necessity reviews due, and every mandate. Listing is a logged consultation.
/// </summary>
[RequirePermission(Permission.MandatesRead)]
public sealed class IndexModel(MandateService mandates, PolicySet policy, TimeProvider time) : ConsolePageModel
{
    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<Mandate> All { get; private set; } = [];

    public IReadOnlyList<Mandate> AwaitingDecision { get; private set; } = [];

    public IReadOnlyList<Mandate> AwaitingConfirmation { get; private set; } = [];

    public IReadOnlyList<Mandate> ReviewDue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        All = (await mandates.ListAsync(null, ct)).OrderByDescending(m => m.Id).ToList();
        AwaitingDecision = All.Where(m => m.StateAt(Now) == MandateState.AwaitingApproval).ToList();
        AwaitingConfirmation = All.Where(m => m.StateAt(Now) == MandateState.Active && m.Approval is { Urgent: true, ConfirmedAt: null }).ToList();
        ReviewDue = All.Where(m => m.ReviewDueAt(policy.Mandates.ReviewEveryDays) is { } due && due <= Now).ToList();
    }
}
