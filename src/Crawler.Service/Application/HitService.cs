using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Service.Access;
using Crawler.Service.Audit;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

/// <summary>Reading hits is consultation of police data and is logged as such (LED art. 25).</summary>
public sealed class HitService(IHitStore hitStore, IMandateStore mandates, AccessControl access, AuditTrail audit, Pseudonymiser pseudonymiser, TimeProvider time)
{
    public async Task<IReadOnlyList<Hit>> ListAsync(long? mandateId, string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.HitsRead, mandateId is null ? "hits:all" : $"hits:mandate:{mandateId}", ct);
        if (mandateId is { } m && await mandates.FindAsync(m, ct) is null)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {m} (see 'crawler mandate list')"));
        }

        // Restricted hits (Wpg art. 14) serve complaints and accountability only: not the review queue.
        var hits = (await hitStore.ListAsync(mandateId, ct)).Where(h => h.RestrictedAt is null).ToList();
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult,
            mandateId is null ? "hits:all" : $"hits:mandate:{mandateId}", "ok", $"listed {hits.Count} hits", "hits.list", mandateId), ct);
        return hits;
    }

    public async Task<Hit> ShowAsync(long id, string? actingAs, CancellationToken ct = default)
    {
        var (reader, hit) = await ReadableAsync(id, actingAs, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, $"hit:{id}", "ok", "showed hit", "hits.show",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256, DataSubject: DataSubject.Unknown), ct);
        return hit;
    }

    /// <summary>
    /// The stored capture of a hit, for display: its minimised text always, and the raw page of its snapshot only to
    /// those who may export it as evidence (the snapshot holds what minimisation removed). Logged as a consultation,
    /// naming which of the two was shown.
    /// </summary>
    public async Task<HitCapture> CaptureAsync(long id, string? actingAs, CancellationToken ct = default)
    {
        var (reader, hit) = await ReadableAsync(id, actingAs, ct);
        var who = await access.PrincipalAsync(ct);
        var snapshot = hit.HasSnapshot && who.May(Permission.EvidenceExport) ? await hitStore.FindSnapshotAsync(id, ct) : null;
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, $"hit:{id}", "ok",
            snapshot is null ? "showed the hit's minimised text" : "showed the hit's raw snapshot", "hits.capture",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256, DataSubject: DataSubject.Unknown), ct);
        return new HitCapture(hit, snapshot);
    }

    private async Task<(User Reader, Hit Hit)> ReadableAsync(long id, string? actingAs, CancellationToken ct)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.HitsRead, $"hit:{id}", ct);
        var hit = await hitStore.FindAsync(id, ct)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no hit with id {id} (see 'crawler hits list')"));
        if (hit.RestrictedAt is not null)
        {
            await access.AuthorizeAsync(Permission.HitsReadRestricted, $"hit:{id}", ct);
        }

        return (reader, hit);
    }

    /// <summary>
    /// Reveals one pseudonymised contact of a hit: an officer's action, with a reason, logged before the value
    /// is shown. <paramref name="which"/> is the pseudonym or the masked form as the hit shows it.
    /// </summary>
    public async Task<string> RevealAsync(long id, string which, string reason, string? actingAs, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.HitsReveal, $"hit:{id}", ct);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--reason", "a reveal needs its reason"));
        }

        var hit = await hitStore.FindAsync(id, ct)
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
        var value = contact.Sealed is { } s ? pseudonymiser.Open(kind, s) : null;
        if (value is null || pseudonymiser.Pseudonym(kind, value) != contact.Pseudonym)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--value",
                $"the value behind {contact.Display} cannot be revealed: it was not sealed, or the seal does not match its pseudonym"));
        }

        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Reveal, $"hit:{id}", "revealed", $"{kind} {contact.Display} revealed: {reason}", "hits.reveal",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256, DataSubject: DataSubject.Unknown), ct);
        return value;
    }

    public static readonly string[] Verdicts = ["relevant", "not-relevant", "needs-more"];

    /// <summary>A specialist's review of a hit: its verdict moves the hit's retention class, and is logged.</summary>
    public async Task<Hit> ReviewAsync(long id, string verdict, string note, string? actingAs, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.HitsReview, $"hit:{id}", ct);
        if (!Verdicts.Contains(verdict, StringComparer.Ordinal))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--verdict", $"expected {string.Join(", ", Verdicts)}, got '{verdict}'"));
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--note", "a review needs a note"));
        }

        var hit = await hitStore.FindAsync(id, ct)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no hit with id {id}"));
        var reviewed = hit with
        {
            ReviewStatus = verdict,
            Reviews = [.. hit.Reviews ?? [], new HitReview(user.Name, time.GetUtcNow(), verdict, note)],
        };
        await hitStore.UpdateAsync(reviewed, ct);
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Alter, $"hit:{id}", verdict, "review: " + note, "hits.review",
            hit.MandateId, hit.MandateVersion, hit.Case, ContentSha256: hit.ContentSha256), ct);
        return reviewed;
    }
}

/// <summary>What the console shows of a hit's page: the hit (its minimised text), and its raw snapshot when the reader may see it.</summary>
public sealed record HitCapture(Hit Hit, Snapshot? Snapshot);
