using System.Globalization;
using System.Text;
using System.Text.Json;
using Crawler.Documents;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Targets;

/// <summary>
/// Crawl targets: the list (what could be crawled; only a mandate says it may be) and, for specialists, a form that adds
/// one. The form is turned into the same YAML as a target file and validated by <see cref="TargetService"/>, so its
/// errors are the CLI's, each tied to the field it is about. A target file may be uploaded instead, checked the same
/// way; its problems are listed as the CLI prints them (file, line, column, field), each linked to the file field.
/// </summary>
[RequirePermission(Permission.TargetsRead)]
public sealed class IndexModel(TargetService targets) : ConsolePageModel
{
    /// <summary>The form's fields by the target file's field names the validation reports.</summary>
    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["name"] = "target-name",
        ["seeds"] = "target-seeds",
        ["scope.hosts"] = "target-hosts",
        ["scope.maxDepth"] = "target-max-depth",
        ["scope.maxPagesPerRun"] = "target-max-pages",
        ["schedule"] = "target-schedule",
    };

    /// <summary>A target file is a few lines; anything much larger is not one.</summary>
    public const int MaxUploadBytes = 256 * 1024;

    public IReadOnlyList<CrawlTarget> All { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public long? Added { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Seeds { get; set; }

    [BindProperty]
    public string? Hosts { get; set; }

    [BindProperty]
    public string? MaxDepth { get; set; }

    [BindProperty]
    public string? MaxPages { get; set; }

    [BindProperty]
    public string? Schedule { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    [RequirePermission(Permission.TargetsWrite)]
    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        Require(Name, "target-name", "targets.name-missing");
        Require(Seeds, "target-seeds", "targets.seeds-missing");
        if (Errors.Count == 0)
        {
            try
            {
                var target = await targets.AddAsync("(form)", Yaml(), null, ct);
                return Redirect("/targets?added=" + target.Id.ToString(CultureInfo.InvariantCulture));
            }
            catch (InputException ex)
            {
                AddProblems(ex, field => FieldIds.GetValueOrDefault(field, "target-name"));
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    [RequirePermission(Permission.TargetsWrite)]
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Errors.Add(new FormError("target-file", T["targets.file-missing"]));
        }
        else if (file.Length > MaxUploadBytes)
        {
            Errors.Add(new FormError("target-file", T.Format("targets.file-too-large", MaxUploadBytes / 1024)));
        }
        else
        {
            try
            {
                var name = Path.GetFileName(file.FileName);
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                var target = await targets.AddAsync(name, InputText.Decode(buffer.ToArray(), name), null, ct);
                return Redirect("/targets?added=" + target.Id.ToString(CultureInfo.InvariantCulture));
            }
            catch (InputException ex)
            {
                Errors.AddRange(ex.Problems.Select(p => new FormError("target-file", p.ToString())));
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await targets.ListAsync(ct);
        Added = All.Any(t => t.Id == Added) ? Added : null;
        ViewData["Title"] = T["targets.title"];
    }

    /// <summary>The form as a target file: every value a quoted string (numbers bare when they are numbers), so nothing typed can change the file's structure.</summary>
    private string Yaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("name: ").AppendLine(Quoted(Name!.Trim()));
        yaml.Append("seeds: [").AppendJoin(", ", Lines(Seeds).Select(Quoted)).AppendLine("]");
        var hosts = Lines(Hosts).ToList();
        var scope = new List<string>();
        if (hosts.Count > 0)
        {
            scope.Add("  hosts: [" + string.Join(", ", hosts.Select(Quoted)) + "]");
        }

        if (!string.IsNullOrWhiteSpace(MaxDepth))
        {
            scope.Add("  maxDepth: " + Scalar(MaxDepth));
        }

        if (!string.IsNullOrWhiteSpace(MaxPages))
        {
            scope.Add("  maxPagesPerRun: " + Scalar(MaxPages));
        }

        if (scope.Count > 0)
        {
            yaml.AppendLine("scope:").AppendJoin('\n', scope).AppendLine();
        }

        if (!string.IsNullOrWhiteSpace(Schedule))
        {
            yaml.Append("schedule: ").AppendLine(Quoted(Schedule.Trim()));
        }

        return yaml.ToString();
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Quoted(string value) => JsonSerializer.Serialize(value);

    private static string Scalar(string value) => value.Trim().All(char.IsAsciiDigit) ? value.Trim() : Quoted(value.Trim());
}
