using System.Globalization;
using System.Text;
using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Mandates;

/// <summary>The weighing as the draft page's script shows it: the outcome in words, what stops filing, and each factor's cells.</summary>
public sealed record WeighingView(string Summary, IReadOnlyList<string> Problems, IReadOnlyList<WeighingRow> Rows, string Caption, IReadOnlyList<string> Headers);

/// <summary>One factor of the weighing, its texts as the page prints them.</summary>
public sealed record WeighingRow(string Factor, string LevelName, string Level, string Value, string Reason, string Justification);

/// <summary>
/// A specialist drafts a mandate request as the mandate file the CLI accepts, and sees the Koops weighing
/// (<c>crawler mandate assess</c>) before filing it: on "weigh" without scripts, and as the file changes where scripts
/// run (the page's script posts the form to the weighing handler, debounced, and writes the result into a polite live
/// region). "Request" files it as <c>crawler mandate request</c> does, into the officers' inbox.
/// </summary>
[RequirePermission(Permission.MandatesAssess)]
public sealed class DraftModel(MandateService mandates, TargetService targets, TimeProvider time) : ConsolePageModel
{
    public const string FileName = "mandate.yaml";

    [BindProperty]
    public string? Draft { get; set; }

    public KoopsAssessment? Assessment { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Draft = await TemplateAsync(ct);
        ViewData["Title"] = T["draft.title"];
    }

    /// <summary>Without scripts: the weighing of the file as typed, shown on the page.</summary>
    public async Task<IActionResult> OnPostAssessAsync(CancellationToken ct)
    {
        ViewData["Title"] = T["draft.title"];
        if (await WeighAsync(ct) is { } assessment)
        {
            Assessment = assessment;
        }

        return Page();
    }

    /// <summary>For the page's script: the weighing of the file as typed, as JSON; parse errors as problems.</summary>
    public async Task<IActionResult> OnPostWeighingAsync(CancellationToken ct)
    {
        var assessment = await WeighAsync(ct);
        return new JsonResult(assessment is null
            ? new WeighingView(T["draft.not-weighed"], Errors.Select(e => e.Message).ToList(), [], Caption, Headers)
            : View(assessment));
    }

    [RequirePermission(Permission.MandatesRequest)]
    public async Task<IActionResult> OnPostRequestAsync(CancellationToken ct)
    {
        ViewData["Title"] = T["draft.title"];
        Require(Draft, "mandate-text", "draft.text-missing");
        if (Errors.Count == 0)
        {
            try
            {
                var mandate = await mandates.RequestAsync(FileName, Draft!, null, ct);
                return Redirect("/mandates/" + mandate.Id.ToString(CultureInfo.InvariantCulture) + "?done=requested");
            }
            catch (InputException ex)
            {
                Errors.AddRange(ex.Problems.Select(p => new FormError("mandate-text", p.ToString())));
            }
        }

        if (Errors.All(e => e.FieldId == "mandate-text") && !string.IsNullOrWhiteSpace(Draft))
        {
            // Show the weighing beside the problems: what to change is usually in it.
            try
            {
                Assessment = (await mandates.AssessFileAsync(FileName, Draft, ct)).Assessment;
            }
            catch (InputException)
            {
                // The problems are listed already.
            }
        }

        return Page();
    }

    private async Task<KoopsAssessment?> WeighAsync(CancellationToken ct)
    {
        Require(Draft, "mandate-text", "draft.text-missing");
        if (Errors.Count > 0)
        {
            return null;
        }

        try
        {
            return (await mandates.AssessFileAsync(FileName, Draft!, ct)).Assessment;
        }
        catch (InputException ex)
        {
            Errors.AddRange(ex.Problems.Select(p => new FormError("mandate-text", p.ToString())));
            return null;
        }
    }

    private WeighingView View(KoopsAssessment a) => new(
        T.Format("mandate.weighing.summary", MandateText.Level(T, a.Level), a.DecidingFactor),
        a.Problems.Select(p => $"{p.Field}: {p.Message}").ToList(),
        a.Factors.Select(f => new WeighingRow(T["factor." + f.Factor], KoopsWeighing.Name(f.Level), MandateText.Level(T, f.Level), f.Value, f.Reason,
            f.Justification ?? T["mandate.weighing.no-justification"])).ToList(), Caption, Headers);

    private string Caption => T["mandate.weighing.caption"];

    private string[] Headers =>
        [T["mandate.weighing.factor"], T["mandate.weighing.level"], T["mandate.weighing.value"], T["mandate.weighing.reason"], T["mandate.weighing.justification"]];

    /// <summary>A mandate file to start from: every field the weighing needs, the first target, thirty days from now.</summary>
    private async Task<string> TemplateAsync(CancellationToken ct)
    {
        var target = (await targets.ListAsync(ct)).FirstOrDefault(t => !t.IsDisabled)?.Name ?? "TARGET";
        var from = time.GetUtcNow().UtcDateTime.Date;
        static string At(DateTime d) => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new StringBuilder()
            .AppendLine("case: \"\"")
            .AppendLine("caseName: \"\"")
            .AppendLine("legalBasis: art126g-sv")
            .AppendLine("wpgPurpose: art9")
            .AppendLine("purpose: \"\"")
            .AppendLine("offence: \"Mensenhandel (art. 273f Sr)\"")
            .AppendLine("suspect: \"\"")
            .AppendLine("factsAndCircumstances: \"\"")
            .Append("targets: [").Append(target).AppendLine("]")
            .Append("validFrom: \"").Append(At(from)).AppendLine("\"")
            .Append("validUntil: \"").Append(At(from.AddDays(30))).AppendLine("\"")
            .AppendLine("limits:")
            .AppendLine("  maxPages: 500")
            .AppendLine("  maxHits: 100")
            .AppendLine("dataCategories:")
            .AppendLine("  phone: pseudonymise")
            .AppendLine("  email: pseudonymise")
            .AppendLine("  text: drop")
            .AppendLine("linking: false")
            .AppendLine("targetType: phenomenon")
            .AppendLine("justifications: {}")
            .ToString();
    }
}
