using Crawler.Core.Audit;
using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;

namespace Crawler.Web.Pages;

/// <summary>
/// Retention status for auditors: per mandate the hits and snapshots held, how many a retention run would deal with
/// now and when the next falls due; when audit entries fall due; and (for readers of the trail) what was erased, each
/// erase entry linked in the trail.
/// </summary>
[RequirePermission(Permission.RetentionPreview)]
public sealed class RetentionModel(RetentionService retention, AuditService audit) : ConsolePageModel
{
    public const int ErasedShown = 50;

    public RetentionStatus Status { get; private set; } = null!;

    /// <summary>The erase entries of the trail, oldest first (null when the reader may not read the trail).</summary>
    public IReadOnlyList<AuditEntry>? Erased { get; private set; }

    public bool MoreErased { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Status = await retention.StatusAsync(ct);
        if (May(Permission.AuditRead))
        {
            var page = await audit.ConsultPageAsync(new AuditFilter(Operation: AuditOperation.Erase), 0, ErasedShown, null, ct);
            Erased = page.Entries;
            MoreErased = page.NextAfter is not null;
        }

        ViewData["Title"] = T["retention.title"];
    }
}
