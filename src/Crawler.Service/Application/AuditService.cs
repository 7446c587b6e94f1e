using System.Runtime.CompilerServices;
using System.Text.Json;
using Crawler.Core.Audit;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Service.Access;
using Crawler.Service.Audit;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

/// <summary>What an auditor asks for; every set criterion must match.</summary>
public sealed record AuditFilter(
    long? MandateId = null,
    string? Case = null,
    string? Actor = null,
    string? Operation = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null)
{
    public bool Matches(AuditEntry e) =>
        (MandateId is null || e.Record.MandateId == MandateId) &&
        (Case is null || string.Equals(e.Record.Case, Case, StringComparison.Ordinal)) &&
        (Actor is null || e.Record.Actor.Contains(Actor, StringComparison.OrdinalIgnoreCase)) &&
        (Operation is null || string.Equals(e.Record.Operation, Operation, StringComparison.Ordinal)) &&
        (Outcome is null || string.Equals(e.Record.Outcome, Outcome, StringComparison.Ordinal)) &&
        (From is null || e.Time >= From) &&
        (Until is null || e.Time < Until);

    /// <summary>The criteria in words, for the consultation's audit entry.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        MandateId is { } m ? $"mandate {m}" : null, Case is { } c ? $"case {c}" : null, Actor is { } a ? $"actor {a}" : null,
        Operation is { } o ? $"operation {o}" : null, Outcome is { } x ? $"outcome {x}" : null,
        From is { } f ? $"from {f:O}" : null, Until is { } u ? $"until {u:O}" : null,
    }.OfType<string>());
}

/// <summary>One page of the trail; <see cref="NextAfter"/> is the cursor of the next page, null on the last.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextAfter);

/// <summary>Reading and proving the audit trail: what auditors do.</summary>
public sealed class AuditService(IAuditLog log, IMandateStore mandates, AccessControl access, AuditTrail audit, AuditSigner signer)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>An auditor's or officer's reading of the trail: checked against the access matrix and logged.</summary>
    public async Task<IAsyncEnumerable<AuditEntry>> ConsultAsync(AuditFilter? filter, string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.AuditRead, "audit", ct);
        await ValidateAsync(filter, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, "audit", "ok",
            "read the audit trail" + (filter is null ? "" : " (" + filter.Describe() + ")"), "audit.list"), ct);
        return ListAsync(filter, ct);
    }

    /// <summary>
    /// One page of the trail for a reader who pages through it (the console): the entries that match
    /// <paramref name="filter"/> after sequence <paramref name="after"/> (a cursor, not an offset, so a page stays
    /// the same while the trail grows), at most <paramref name="take"/>. Checked and logged as <see cref="ConsultAsync"/>.
    /// </summary>
    public async Task<AuditPage> ConsultPageAsync(AuditFilter? filter, long after, int take, string? actingAs, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.AuditRead, "audit", ct);
        await ValidateAsync(filter, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, "audit", "ok",
            $"read a page of the audit trail after entry {after}" + (filter is null ? "" : " (" + filter.Describe() + ")"), "audit.list"), ct);
        var entries = new List<AuditEntry>(take);
        long? next = null;
        await foreach (var e in ListAsync(filter, after, ct))
        {
            if (entries.Count == take)
            {
                next = entries[^1].Sequence;
                break;
            }

            entries.Add(e);
        }

        return new AuditPage(entries, next);
    }

    /// <summary>
    /// A filter that names a mandate, case or operation that does not exist is an error, not an empty answer:
    /// an auditor must be able to tell "nothing happened" from "I asked for the wrong thing".
    /// </summary>
    private async Task ValidateAsync(AuditFilter? filter, CancellationToken ct)
    {
        if (filter is null)
        {
            return;
        }

        if (filter.MandateId is { } m && await mandates.FindAsync(m, ct) is null)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {m} (see 'crawler mandate list')"));
        }

        if (filter.Case is { } c && !(await mandates.ListAsync(ct)).Any(x => string.Equals(x.Spec.Case, c, StringComparison.Ordinal)))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--case", $"no mandate has case '{c}'"));
        }

        if (filter.Operation is { } op && !AuditOperation.All.Contains(op, StringComparer.Ordinal))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--operation",
                $"unknown operation '{op}' (known: {string.Join(", ", AuditOperation.All)})"));
        }

        if (filter.From is { } from && filter.Until is { } until && until <= from)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--until", "must be later than --from"));
        }
    }

    /// <summary>The entries for reading: URL references resolved to the URLs they stand for, or marked erased.</summary>
    public IAsyncEnumerable<AuditEntry> ListAsync(AuditFilter? filter = null, CancellationToken ct = default) => ListAsync(filter, 0, ct);

    /// <summary>The entries after sequence <paramref name="after"/>, for reading, as above.</summary>
    public async IAsyncEnumerable<AuditEntry> ListAsync(AuditFilter? filter, long after, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var urls = new Dictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var e in log.EntriesAsync(after, ct))
        {
            if (filter is not null && !filter.Matches(e))
            {
                continue;
            }

            foreach (var reference in UrlReference.ReferencesIn(e.Record))
            {
                if (!urls.ContainsKey(reference))
                {
                    urls[reference] = await log.FindUrlAsync(reference, ct);
                }
            }

            yield return e with { Record = UrlReference.Resolve(e.Record, r => urls.GetValueOrDefault(r)) };
        }
    }

    /// <summary>Verifies the chain (and the checkpoint, if given); the verification is itself logged with its result.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditCheckpoint? checkpoint, string? actingAs, CancellationToken ct = default)
    {
        var reader = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.AuditRead, "audit", ct);
        var result = await VerifyChainAsync(checkpoint, ct);
        await audit.AppendAsync(new AuditRecord(reader.Name, AuditOperation.Consult, "audit", result.Ok ? "verified" : "failed",
            result.Ok ? $"verified {result.Entries} entries" + (checkpoint is null ? "" : $" against the checkpoint at entry {checkpoint.Sequence}")
                : $"verification failed at entry {result.FirstBadSequence}", "audit.verify"), ct);
        return result;
    }

    /// <summary>The chain's verification itself, for services that report it (no consultation of its own).</summary>
    public async Task<AuditVerification> VerifyChainAsync(AuditCheckpoint? checkpoint = null, CancellationToken ct = default)
    {
        var anchor = await log.AnchorAsync(ct);

        // The chain is checked in one pass as the pages stream in; the store reads synchronously underneath.
        return signer.Verify(log.EntriesAsync(0, ct).ToBlockingEnumerable(ct), checkpoint, anchor);
    }

    /// <summary>Writes the head of the trail (after recording the checkpoint itself) to a file the auditor keeps elsewhere.</summary>
    public async Task<AuditCheckpoint> CheckpointAsync(string file, string? actingAs, CancellationToken ct = default)
    {
        var actor = (await access.RequireUserAsync(actingAs, ct)).Name;
        await access.AuthorizeAsync(Permission.AuditRead, "audit", ct);
        var head = await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Checkpoint, "audit", "ok",
            $"checkpoint written to {Path.GetFileName(file)}", "audit.checkpoint"), ct);
        var checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, head.Time);
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(checkpoint, Json), ct);
        return checkpoint;
    }

    /// <summary>
    /// Reads a checkpoint. One that does not parse, or lacks a field, is bad input (exit 2), never reported as
    /// tampering: only a well-formed checkpoint that the trail contradicts is evidence of that.
    /// </summary>
    public static AuditCheckpoint ReadCheckpoint(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "--checkpoint", "not a readable checkpoint file: " + ex.Message));
        }

        return ParseCheckpoint(file, text);
    }

    /// <summary>A checkpoint from its text (an uploaded file); <paramref name="name"/> names it in problems. Malformed is bad input, as above.</summary>
    public static AuditCheckpoint ParseCheckpoint(string name, string text)
    {
        AuditCheckpoint? cp;
        try
        {
            cp = JsonSerializer.Deserialize<AuditCheckpoint>(text, Json);
        }
        catch (JsonException je)
        {
            var why = $"not JSON ({(je.LineNumber is { } l ? $"line {l + 1}: " : "")}{je.Message.Split('.')[0]})";
            throw new InputException(new InputProblem(name, 0, 0, "--checkpoint", "not a readable checkpoint file: " + why));
        }

        var problems = new List<InputProblem>();
        if (cp is null)
        {
            problems.Add(new InputProblem(name, 0, 0, "--checkpoint", "the file is empty (null)"));
        }
        else
        {
            if (cp.Sequence < 1)
            {
                problems.Add(new InputProblem(name, 0, 0, "sequence", "missing or not a positive entry number"));
            }

            if (cp.Hash is null || cp.Hash.Length != 64 || !cp.Hash.All(char.IsAsciiHexDigitLower))
            {
                problems.Add(new InputProblem(name, 0, 0, "hash", "missing or not 64 lower-case hex digits"));
            }

            if (cp.Time == default)
            {
                problems.Add(new InputProblem(name, 0, 0, "time", "missing"));
            }
        }

        return problems.Count == 0 ? cp! : throw new InputException(problems);
    }
}
