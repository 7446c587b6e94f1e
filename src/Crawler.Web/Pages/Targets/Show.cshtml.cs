using System.Globalization;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Documents;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Targets;

/// <summary>
/// One target: its file as stored and whether it is disabled; for specialists the file to edit (checked as an upload is,
/// each problem as the CLI prints it, linked to the field) and "disable" with its reason. Both are audited by the service.
/// </summary>
[RequirePermission(Permission.TargetsRead)]
public sealed class ShowModel(TargetService targets) : ConsolePageModel
{
    public CrawlTarget Target { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The target file as typed in the edit form (the stored one when the page opens).</summary>
    [BindProperty]
    public string? TargetText { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct);

    [RequirePermission(Permission.TargetsWrite)]
    public async Task<IActionResult> OnPostEditAsync(long id, CancellationToken ct)
    {
        Require(TargetText, "target-file-text", "target.file-missing");
        return await ActAsync(id, "edited", () => targets.EditAsync(id, "target.yaml", TargetText!, ct),
            ex => Errors.AddRange(ex.Problems.Select(p => new FormError("target-file-text", p.ToString()))), ct);
    }

    [RequirePermission(Permission.TargetsWrite)]
    public async Task<IActionResult> OnPostDisableAsync(long id, CancellationToken ct)
    {
        Require(Reason, "disable-reason", "target.reason-missing");
        return await ActAsync(id, "disabled", () => targets.DisableAsync(id, Reason!, ct),
            ex => AddProblems(ex, _ => "disable-reason"), ct);
    }

    /// <summary>Runs the change unless a field is missing; on success back to the page with a notice, else the page with the errors.</summary>
    private async Task<IActionResult> ActAsync(long id, string done, Func<Task<CrawlTarget>> change, Action<InputException> problems, CancellationToken ct)
    {
        if (Errors.Count == 0)
        {
            try
            {
                await change();
                return Redirect($"/targets/{id.ToString(CultureInfo.InvariantCulture)}?done={done}");
            }
            catch (InputException ex) when (!ex.Problems.Any(p => p.Field == "ID"))
            {
                problems(ex);
            }
        }

        await LoadAsync(id, ct, keepTyped: true);
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct, bool keepTyped = false)
    {
        Target = await targets.ShowAsync(id, ct);
        if (!keepTyped)
        {
            TargetText = TargetFile.Write(Target.Spec);
        }

        Done = Done is "edited" or "disabled" ? Done : null;
        ViewData["Title"] = T.Format("target.title", Target.Id, Target.Name);
    }
}
