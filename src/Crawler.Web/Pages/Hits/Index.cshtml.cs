using Crawler.Core.Hits;
using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Hits;

/// <summary>The review queue: hits ordered by score (which ranks, never decides), filtered by mandate and review state, in pages. Listing is logged.</summary>
[RequirePermission(Permission.HitsRead)]
public sealed class IndexModel(HitService hits) : ConsolePageModel
{
    public const int PageSize = 25;

    public static readonly string[] States = ["unreviewed", "relevant", "not-relevant", "needs-more"];

    [BindProperty(SupportsGet = true)]
    public long? Mandate { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Hit> Shown { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        State = States.Contains(State, StringComparer.Ordinal) ? State : null;
        var all = (await hits.ListAsync(Mandate, null, ct))
            .Where(h => State is null || string.Equals(h.ReviewStatus, State, StringComparison.Ordinal))
            .OrderByDescending(h => h.Escalated).ThenByDescending(h => h.Score).ThenBy(h => h.Id).ToList();
        Total = all.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Shown = all.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        ViewData["Title"] = Mandate is { } m ? T.Format("hits.title-mandate", m) : T["hits.title"];
    }

    /// <summary>The address of another page of the same filtered queue.</summary>
    public string PageLink(int page) =>
        "/hits?" + string.Join('&', new[] { Mandate is { } m ? $"mandate={m}" : null, State is { } s ? $"state={s}" : null, $"page={page}" }.OfType<string>());
}
