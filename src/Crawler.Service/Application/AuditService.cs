using System.Text.Json;
using Crawler.Core.Audit;
using Crawler.Core.Users;
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

/// <summary>Reading and proving the audit trail: what auditors do.</summary>
public sealed class AuditService(CrawlerContext context)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>An auditor's or officer's reading of the trail: checked against the access matrix and logged.</summary>
    public IEnumerable<AuditEntry> Consult(AuditFilter? filter, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.AuditRead, "audit");
        Validate(filter);
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, "audit", "ok",
            "read the audit trail" + (filter is null ? "" : " (" + filter.Describe() + ")"), "audit.list"));
        return List(filter);
    }

    /// <summary>
    /// A filter that names a mandate, case or operation that does not exist is an error, not an empty answer:
    /// an auditor must be able to tell "nothing happened" from "I asked for the wrong thing".
    /// </summary>
    private void Validate(AuditFilter? filter)
    {
        if (filter is null)
        {
            return;
        }

        if (filter.MandateId is { } m && context.Store.FindMandate(m) is null)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {m} (see 'crawler mandate list')"));
        }

        if (filter.Case is { } c && !context.Store.Mandates().Any(x => string.Equals(x.Spec.Case, c, StringComparison.Ordinal)))
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
    public IEnumerable<AuditEntry> List(AuditFilter? filter = null)
    {
        var urls = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Lookup(string reference)
        {
            if (!urls.TryGetValue(reference, out var url))
            {
                urls[reference] = url = context.Store.FindUrl(reference);
            }

            return url;
        }

        var entries = filter is null ? context.Store.Entries() : context.Store.Entries().Where(filter.Matches);
        return entries.Select(e => e with { Record = UrlReference.Resolve(e.Record, Lookup) });
    }

    /// <summary>Verifies the chain (and the checkpoint, if given); the verification is itself logged with its result.</summary>
    public AuditVerification Verify(AuditCheckpoint? checkpoint, string? actingAs)
    {
        var reader = context.RequireUser(actingAs);
        context.Authorize(Permission.AuditRead, "audit");
        var result = VerifyChain(checkpoint);
        context.Audit(new AuditRecord(reader.Name, AuditOperation.Consult, "audit", result.Ok ? "verified" : "failed",
            result.Ok ? $"verified {result.Entries} entries" + (checkpoint is null ? "" : $" against the checkpoint at entry {checkpoint.Sequence}")
                : $"verification failed at entry {result.FirstBadSequence}", "audit.verify"));
        return result;
    }

    /// <summary>The chain's verification itself, for services that report it (no consultation of its own).</summary>
    public AuditVerification VerifyChain(AuditCheckpoint? checkpoint = null) =>
        AuditChain.Verify(context.Folder.AuditKey, context.Store.Entries(), checkpoint, context.Store.Anchor());

    /// <summary>Writes the head of the trail (after recording the checkpoint itself) to a file the auditor keeps elsewhere.</summary>
    public AuditCheckpoint Checkpoint(string file, string? actingAs)
    {
        var actor = context.RequireUser(actingAs).Name;
        context.Authorize(Permission.AuditRead, "audit");
        var head = context.Audit(new AuditRecord(actor, AuditOperation.Checkpoint, "audit", "ok",
            $"checkpoint written to {Path.GetFileName(file)}", "audit.checkpoint"));
        var checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, head.Time);
        File.WriteAllText(file, JsonSerializer.Serialize(checkpoint, Json));
        return checkpoint;
    }

    /// <summary>
    /// Reads a checkpoint. One that does not parse, or lacks a field, is bad input (exit 2), never reported as
    /// tampering: only a well-formed checkpoint that the trail contradicts is evidence of that.
    /// </summary>
    public static AuditCheckpoint ReadCheckpoint(string file)
    {
        AuditCheckpoint? cp;
        try
        {
            cp = JsonSerializer.Deserialize<AuditCheckpoint>(File.ReadAllText(file), Json);
        }
        catch (Exception ex) when (ex is JsonException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            var why = ex is JsonException je ? $"not JSON ({(je.LineNumber is { } l ? $"line {l + 1}: " : "")}{je.Message.Split('.')[0]})" : ex.Message;
            throw new InputException(new InputProblem(file, 0, 0, "--checkpoint", "not a readable checkpoint file: " + why));
        }

        var problems = new List<InputProblem>();
        if (cp is null)
        {
            problems.Add(new InputProblem(file, 0, 0, "--checkpoint", "the file is empty (null)"));
        }
        else
        {
            if (cp.Sequence < 1)
            {
                problems.Add(new InputProblem(file, 0, 0, "sequence", "missing or not a positive entry number"));
            }

            if (cp.Hash is null || cp.Hash.Length != 64 || !cp.Hash.All(char.IsAsciiHexDigitLower))
            {
                problems.Add(new InputProblem(file, 0, 0, "hash", "missing or not 64 lower-case hex digits"));
            }

            if (cp.Time == default)
            {
                problems.Add(new InputProblem(file, 0, 0, "time", "missing"));
            }
        }

        return problems.Count == 0 ? cp! : throw new InputException(problems);
    }
}
