using Crawler.Core.Yaml;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Crawler.Web.Pages;

/// <summary>A problem with one field of a form: shown in the error summary (linking to the field) and beside the field.</summary>
public sealed record FormError(string FieldId, string Message);

/// <summary>A text field as the _Field partial renders it: a visible label, "required" in words, its error tied to it.</summary>
public sealed record FieldModel(string Id, string Name, string Label, bool Required = false, bool Multiline = false, string? Value = null,
    string? Error = null, string? Hint = null, string Type = "text", string? Autocomplete = null);

/// <summary>What every console page has: its texts, its form errors and the signed-in person.</summary>
public abstract class ConsolePageModel : PageModel
{
    private Text? _text;

    public Text T => _text ??= HttpContext.RequestServices.GetRequiredService<Text>();

    public List<FormError> Errors { get; } = [];

    public string? ErrorFor(string fieldId) => Errors.FirstOrDefault(e => e.FieldId == fieldId)?.Message;

    public bool May(Core.Users.Permission permission) => ConsoleUser.May(User, permission);

    /// <summary>The problems of a service's input error, each tied to the form field that caused it.</summary>
    protected void AddProblems(InputException ex, Func<string, string> fieldIdOf)
    {
        foreach (var p in ex.Problems)
        {
            Errors.Add(new FormError(fieldIdOf(p.Field), p.Message));
        }
    }

    /// <summary>A required field left empty: its error, in the summary and beside it.</summary>
    protected void Require(string? value, string fieldId, string messageKey)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Errors.Add(new FormError(fieldId, T[messageKey]));
        }
    }

    /// <summary>As the CLI: one message for a wrong name, password or code; a lockout and a lapsed enrolment are said.</summary>
    protected string SignInRefusal(Crawler.Core.Mandates.RefusalException ex, string failedKey) =>
        ex.Rule == "auth.locked" || ex.Message.Contains("locked until", StringComparison.Ordinal) ? T["signin.locked"]
        : ex.Rule == "auth.not-enrolled" ? T["signin.not-enrolled"] : T[failedKey];

    /// <summary>A field for the _Field partial, with its error if it has one.</summary>
    public FieldModel Field(string id, string name, string labelKey, bool required = false, bool multiline = false, string? value = null,
        string? hintKey = null, string type = "text", string? autocomplete = null) =>
        new(id, name, T[labelKey], required, multiline, value, ErrorFor(id), hintKey is null ? null : T[hintKey], type, autocomplete);
}
