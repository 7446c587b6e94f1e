using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Runs;

/// <summary>What a live run's region shows, for the page's script: every value as the page prints it.</summary>
public sealed record RunProgress(string State, int Fetched, int Refused, int Hits, bool Over);

/// <summary>
/// One crawl run: its state and counters against the mandate's caps, and its failures by rule. The page shows the run
/// as it was when loaded (with a link to load it again); where scripts run, a small bundled script asks the progress
/// handler for the counters every second and writes them into a polite live region, never moving focus.
/// </summary>
[RequirePermission(Permission.MandatesRead)]
public sealed class ShowModel(RunService runs) : ConsolePageModel
{
    public RunView View { get; private set; } = null!;

    public async Task OnGetAsync(long id, CancellationToken ct)
    {
        View = await runs.ShowAsync(id, ct);
        ViewData["Title"] = T.Format("runs.run-title", id, View.TargetName);
    }

    /// <summary>The counters now, as JSON for the page's script.</summary>
    public async Task<IActionResult> OnGetProgressAsync(long id, CancellationToken ct)
    {
        var run = (await runs.ShowAsync(id, ct)).Run;
        return new JsonResult(new RunProgress(StateText(run.State), run.Fetched, run.Refused, run.Hits, run.IsOver));
    }

    public string StateText(Crawler.Core.Storage.RunState state) => T["run." + AccessPolicy.Kebab(state.ToString())];
}
