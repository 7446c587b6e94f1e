using System.Globalization;
using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Runs;

/// <summary>
/// Crawl runs per target, with their counters against the caps of the mandate they ran under, and for specialists
/// "run now": the crawl service of <c>crawler crawl run</c> started in the host, the browser sent to the run's page.
/// </summary>
[RequirePermission(Permission.MandatesRead)]
public sealed class IndexModel(RunService runs, TargetService targets, CrawlLauncher launcher, AccessControl access) : ConsolePageModel
{
    public IReadOnlyList<RunView> Shown { get; private set; } = [];

    public IReadOnlyList<CrawlTarget> Targets { get; private set; } = [];

    /// <summary>Runs of this target only (all when null).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Target { get; set; }

    /// <summary>The target to crawl now.</summary>
    [BindProperty]
    public long? RunTarget { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    [RequirePermission(Permission.CrawlRun)]
    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        if (RunTarget is not { } target)
        {
            Errors.Add(new FormError("run-target", T["runs.target-missing"]));
        }
        else
        {
            try
            {
                var run = await launcher.StartAsync(await access.PrincipalAsync(ct), target, ct);
                return Redirect("/runs/" + run.Id.ToString(CultureInfo.InvariantCulture));
            }
            catch (RefusalException ex)
            {
                Errors.Add(new FormError("run-target", Refusal(ex)));
            }
            catch (InputException ex)
            {
                AddProblems(ex, _ => "run-target");
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Why a crawl did not start, in the page's language where the rule is known, else the service's words.</summary>
    private string Refusal(RefusalException ex) => ex.Rule switch
    {
        "mandate.present" => T["runs.refused.no-mandate"],
        Crawler.Service.Crawling.CrawlService.AlreadyRunningRule => T["runs.refused.running"],
        Crawler.Service.Crawling.CrawlService.RecrawlIntervalRule => T["runs.refused.interval"],
        _ => T.Format("refusal.other", ex.Rule),
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Targets = await targets.ListAsync(ct);
        Target = Targets.Any(t => t.Id == Target) ? Target : null;
        Shown = await runs.ListAsync(Target, ct);
        ViewData["Title"] = T["runs.title"];
    }
}
