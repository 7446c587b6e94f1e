using Crawler.Core.Hits;
using Crawler.Core.Retention;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages.Hits;

/// <summary>
/// One hit, minimised as stored: provenance, the indicators with the text that fired each, contacts as the mandate kept
/// them (masked where pseudonymised), the kept text or snippets, and its reviews. Everything crawled is shown as encoded
/// text; the page's address is text too, never a link, so the reviewer's browser never asks the site for anything. The
/// page itself (the minimised text, or the raw snapshot for those who may export evidence) is shown only in a sandboxed,
/// cookieless frame of inert HTML (<see cref="CaptureFrame"/>, <see cref="CapturedDocument"/>).
/// Specialists record a verdict; officers may reveal a pseudonymised contact with a reason. Each of these is logged.
/// </summary>
[RequirePermission(Permission.HitsRead)]
public sealed class ShowModel(HitService hits, RetentionService retention, CaptureFrame frames) : ConsolePageModel
{
    public Hit Hit { get; private set; } = null!;

    public RetentionVerdict? Retention { get; private set; }

    /// <summary>Whether the frame shows the raw snapshot (kept, and the reader may export evidence) rather than the minimised text.</summary>
    public bool ShowsSnapshot => Hit.HasSnapshot && May(Permission.EvidenceExport);

    /// <summary>Where the sandboxed frame loads the captured page from (a ticket for this reader, see <see cref="CaptureFrame"/>).</summary>
    public string CaptureAddress => frames.AddressFor(User, Hit.Id, Text.Language);

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string? Note { get; private set; }

    public string? RevealReason { get; private set; }

    /// <summary>The value just revealed (shown once, in this response only) and which contact it belongs to.</summary>
    public (string Contact, string Value)? Revealed { get; private set; }

    public async Task OnGetAsync(long id, CancellationToken ct)
    {
        Done = Done == "reviewed" ? Done : null;
        await LoadAsync(id, ct);
    }

    [RequirePermission(Permission.HitsReview)]
    public async Task<IActionResult> OnPostReviewAsync(long id, string? verdict, string? note, CancellationToken ct)
    {
        Note = note;
        if (!HitService.Verdicts.Contains(verdict, StringComparer.Ordinal))
        {
            Errors.Add(new FormError("verdict-relevant", T["hit.review.verdict-missing"]));
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            Errors.Add(new FormError("review-note", T["hit.review.note-missing"]));
        }

        if (Errors.Count == 0)
        {
            try
            {
                await hits.ReviewAsync(id, verdict!, note!.Trim(), null, ct);
                return Redirect($"/hits/{id}?done=reviewed");
            }
            catch (InputException ex) when (!ex.Problems.Any(p => p.Field == "ID"))
            {
                AddProblems(ex, f => f == "--verdict" ? "verdict-relevant" : "review-note");
            }
        }

        await LoadAsync(id, ct);
        return Page();
    }

    [RequirePermission(Permission.HitsReveal)]
    public async Task<IActionResult> OnPostRevealAsync(long id, string? contact, string? reason, CancellationToken ct)
    {
        RevealReason = reason;
        if (string.IsNullOrWhiteSpace(contact))
        {
            Errors.Add(new FormError("reveal-contact", T["hit.reveal.contact-missing"]));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            Errors.Add(new FormError("reveal-reason", T["hit.reveal.reason-missing"]));
        }

        if (Errors.Count == 0)
        {
            try
            {
                // The reveal is logged with its reason before the value is returned; the value is shown once and never stored by the console.
                var value = await hits.RevealAsync(id, contact!, reason!.Trim(), null, ct);
                Revealed = (contact!, value);
                RevealReason = null;
            }
            catch (InputException ex) when (!ex.Problems.Any(p => p.Field == "ID"))
            {
                AddProblems(ex, f => f == "--reason" ? "reveal-reason" : "reveal-contact");
            }
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Hit = await hits.ShowAsync(id, null, ct);
        Retention = await retention.VerdictForAsync(Hit, ct);
        ViewData["Title"] = T.Format("hit.title", Hit.Id, Hit.Case);
    }

    /// <summary>Every contact of the hit as stored, with its kind; pseudonymised ones can be revealed by an officer.</summary>
    public IReadOnlyList<(string Kind, ContactValue Contact)> Contacts() =>
    [
        .. Hit.Phones.Select(c => ("phone", c)),
        .. Hit.Emails.Select(c => ("email", c)),
        .. (Hit.Description?.Handles ?? []).Select(c => ("handle", c)),
        .. (Hit.Description?.Name is { } n ? [("name", n)] : Array.Empty<(string, ContactValue)>()),
        .. (Hit.Description?.Locations ?? []).Select(c => ("location", c)),
    ];
}
