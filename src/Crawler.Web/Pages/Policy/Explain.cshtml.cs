using System.Globalization;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Policy;

/// <summary>
/// What the gate would decide for a URL of a target now, with every rule it consulted: <c>crawler policy explain</c> in
/// the console, through the same <see cref="PolicyExplainer"/>. Nothing is fetched. The URL is posted, not put in the
/// address, so that it stays out of the browser's history.
/// </summary>
[RequirePermission(Permission.PolicyExplain)]
public sealed class ExplainModel(PolicyExplainer explainer, TargetService targets) : ConsolePageModel
{
    public IReadOnlyList<CrawlTarget> Targets { get; private set; } = [];

    [BindProperty]
    public long? Target { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Depth { get; set; } = "1";

    public Explanation? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Target is null)
        {
            Errors.Add(new FormError("explain-target", T["explain.target-missing"]));
        }

        Require(Address, "explain-url", "explain.url-missing");
        var depth = 1;
        if (!string.IsNullOrWhiteSpace(Depth) && (!int.TryParse(Depth.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out depth) || depth > 100))
        {
            Errors.Add(new FormError("explain-depth", T["explain.depth-invalid"]));
        }

        if (Errors.Count == 0)
        {
            try
            {
                Result = await explainer.ExplainAsync(Target!.Value, Address!.Trim(), depth, ct);
            }
            catch (InputException ex)
            {
                AddProblems(ex, f => f == "--target" ? "explain-target" : "explain-url");
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Targets = await targets.ListAsync(ct);
        ViewData["Title"] = T["explain.title"];
    }
}
