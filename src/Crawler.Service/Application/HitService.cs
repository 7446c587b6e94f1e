using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Users;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

/// <summary>Reading hits is consultation of police data and is logged as such (LED art. 25).</summary>
public sealed class HitService(CrawlerContext context)
{
    public IReadOnlyList<Hit> List(long? mandateId, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.HitsRead, mandateId is null ? "hits:all" : $"hits:mandate:{mandateId}");
        if (mandateId is { } m && context.Store.FindMandate(m) is null)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {m} (see 'crawler mandate list')"));
        }

        // Restricted hits (Wpg art. 14) serve complaints and accountability only: not the review queue.
        var hits = context.Store.Hits(mandateId).Where(h => h.RestrictedAt is null).ToList();
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult,
            mandateId is null ? "hits:all" : $"hits:mandate:{mandateId}", "ok", $"listed {hits.Count} hits", "hits.list", mandateId));
        return hits;
    }

    public Hit Show(long id, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.HitsRead, $"hit:{id}");
        var hit = context.Store.FindHit(id)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no hit with id {id} (see 'crawler hits list')"));
        if (hit.RestrictedAt is not null)
        {
            context.Authorize(Permission.HitsReadRestricted, $"hit:{id}");
        }

        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, $"hit:{id}", "ok", "showed hit", "hits.show",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256, DataSubject: DataSubject.Unknown));
        return hit;
    }

    /// <summary>
    /// Reveals one pseudonymised contact of a hit: an officer's action, with a reason, logged before the value
    /// is shown. <paramref name="which"/> is the pseudonym or the masked form as the hit shows it.
    /// </summary>
    public string Reveal(long id, string which, string reason, string? actingAs)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.HitsReveal, $"hit:{id}");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--reason", "a reveal needs its reason"));
        }

        var hit = context.Store.FindHit(id)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no hit with id {id}"));
        var found = hit.Phones.Select(c => (Kind: "phone", Contact: c)).Concat(hit.Emails.Select(c => (Kind: "email", Contact: c)))
            .Concat((hit.Description?.Handles ?? []).Select(c => (Kind: "handle", Contact: c)))
            .Concat(hit.Description?.Name is { } n ? [(Kind: "name", Contact: n)] : [])
            .Concat((hit.Description?.Locations ?? []).Select(c => (Kind: "location", Contact: c)))
            .Where(c => c.Contact.Pseudonym is not null && (c.Contact.Pseudonym == which || c.Contact.Display == which))
            .ToList();
        if (found.Count != 1)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--value", found.Count == 0
                ? $"hit {id} has no pseudonymised contact '{which}' (give the pseudonym or the masked form it shows)"
                : $"'{which}' matches {found.Count} contacts of hit {id}; give the pseudonym"));
        }

        var (kind, contact) = found[0];
        var value = contact.Sealed is { } s ? ContactSeal.Open(context.Folder.PseudonymKey, kind, s) : null;
        if (value is null || Minimiser.Pseudonym(context.Folder.PseudonymKey, kind, value) != contact.Pseudonym)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--value",
                $"the value behind {contact.Display} cannot be revealed: it was not sealed, or the seal does not match its pseudonym"));
        }

        context.Audit(new AuditRecord(user.Name, AuditOperation.Reveal, $"hit:{id}", "revealed", $"{kind} {contact.Display} revealed: {reason}", "hits.reveal",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256, DataSubject: DataSubject.Unknown));
        return value;
    }

    public static readonly string[] Verdicts = ["relevant", "not-relevant", "needs-more"];

    /// <summary>A specialist's review of a hit: its verdict moves the hit's retention class, and is logged.</summary>
    public Hit Review(long id, string verdict, string note, string? actingAs)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.HitsReview, $"hit:{id}");
        if (!Verdicts.Contains(verdict, StringComparer.Ordinal))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--verdict", $"expected {string.Join(", ", Verdicts)}, got '{verdict}'"));
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--note", "a review needs a note"));
        }

        var hit = context.Store.FindHit(id)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no hit with id {id}"));
        var reviewed = hit with
        {
            ReviewStatus = verdict,
            Reviews = [.. hit.Reviews ?? [], new HitReview(user.Name, context.Now, verdict, note)],
        };
        context.Store.UpdateHit(reviewed);
        context.Audit(new AuditRecord(user.Name, AuditOperation.Alter, $"hit:{id}", verdict, "review: " + note, "hits.review",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256));
        return reviewed;
    }
}
