using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Audit;

/// <summary>
/// The auditor's trail: filters (mandate, case, actor, operation, outcome, time), pages by sequence cursor (a page stays
/// the same while the trail grows), "verify now" and verification against an uploaded checkpoint, and a CSV download of
/// the filtered trail. Every reading, verification and download is a logged consultation through <see cref="AuditService"/>.
/// </summary>
[RequirePermission(Permission.AuditRead)]
public sealed class IndexModel(AuditService audit) : ConsolePageModel
{
    public const int PageSize = 50;
    public const long MaxCheckpointBytes = 64 * 1024;

    [BindProperty(SupportsGet = true)]
    public long? Mandate { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Case { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Operation { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Until { get; set; }

    [BindProperty(SupportsGet = true)]
    public long After { get; set; }

    public AuditPage? Trail { get; private set; }

    public AuditVerification? Verification { get; private set; }

    public bool VerifiedAgainstCheckpoint { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (FilterOrErrors() is { } filter)
        {
            await ReadAsync(filter, ct);
        }
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (FilterOrErrors() is not { } filter)
        {
            return Page();
        }

        var entries = await audit.ConsultAsync(filter, null, ct);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"audit-trail.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(false));
        await AuditCsv.WriteAsync(writer, entries, ct);
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostVerifyAsync(IFormFile? checkpoint, CancellationToken ct)
    {
        AuditCheckpoint? cp = null;
        if (checkpoint is { Length: > 0 })
        {
            if (checkpoint.Length > MaxCheckpointBytes)
            {
                Errors.Add(new FormError("checkpoint", T["audit.checkpoint.too-large"]));
            }
            else
            {
                using var reader = new StreamReader(checkpoint.OpenReadStream(), Encoding.UTF8);
                try
                {
                    cp = AuditService.ParseCheckpoint(Path.GetFileName(checkpoint.FileName), await reader.ReadToEndAsync(ct));
                }
                catch (InputException ex)
                {
                    Errors.Add(new FormError("checkpoint", T.Format("audit.checkpoint.unreadable", string.Join("; ", ex.Problems.Select(p => p.Field + ": " + p.Message)))));
                }
            }
        }

        if (Errors.Count == 0)
        {
            Verification = await audit.VerifyAsync(cp, null, ct);
            VerifiedAgainstCheckpoint = cp is not null;
        }

        if (FilterOrErrors() is { } filter)
        {
            await ReadAsync(filter, ct);
        }

        return Page();
    }

    private async Task ReadAsync(AuditFilter filter, CancellationToken ct)
    {
        try
        {
            Trail = await audit.ConsultPageAsync(filter, Math.Max(0, After), PageSize, null, ct);
        }
        catch (InputException ex)
        {
            AddProblems(ex, f => f.TrimStart('-') switch
            {
                "mandate" => "filter-mandate",
                "case" => "filter-case",
                "operation" => "filter-operation",
                "until" => "filter-until",
                _ => "filter-actor",
            });
        }
    }

    /// <summary>The filter as typed; times are read as Amsterdam time. Null (with the errors) when a field cannot be read.</summary>
    private AuditFilter? FilterOrErrors()
    {
        var from = Display.FromLocalInput(From);
        var until = Display.FromLocalInput(Until);
        if (!string.IsNullOrWhiteSpace(From) && from is null)
        {
            Errors.Add(new FormError("filter-from", T["audit.filter.bad-time"]));
        }

        if (!string.IsNullOrWhiteSpace(Until) && until is null)
        {
            Errors.Add(new FormError("filter-until", T["audit.filter.bad-time"]));
        }

        return Errors.Count > 0 ? null : new AuditFilter(Mandate, Blank(Case), Blank(Actor), Blank(Operation), Blank(Outcome), from, until);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The query string of the current filter, with another cursor or handler.</summary>
    public string Query(long? after = null, string? handler = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("mandate", Mandate?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("case", Case);
        Add("actor", Actor);
        Add("operation", Operation);
        Add("outcome", Outcome);
        Add("from", From);
        Add("until", Until);
        Add("after", after is > 0 ? after.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        Add("handler", handler);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public static IReadOnlyList<string> Operations => AuditOperation.All;
}
