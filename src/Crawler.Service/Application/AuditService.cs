using System.Text.Json;
using Crawler.Core.Audit;
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
}

/// <summary>Reading and proving the audit trail: what auditors do.</summary>
public sealed class AuditService(CrawlerContext context)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

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

    public AuditVerification Verify(AuditCheckpoint? checkpoint = null) =>
        AuditChain.Verify(context.Folder.AuditKey, context.Store.Entries(), checkpoint, context.Store.Anchor());

    /// <summary>Writes the head of the trail (after recording the checkpoint itself) to a file the auditor keeps elsewhere.</summary>
    public AuditCheckpoint Checkpoint(string file, string? actingAs)
    {
        var actor = context.ReaderName(actingAs);
        var head = context.Audit(new AuditRecord(actor, AuditOperation.Checkpoint, "audit", "ok",
            $"checkpoint written to {Path.GetFileName(file)}", "audit.checkpoint"));
        var checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, head.Time);
        File.WriteAllText(file, JsonSerializer.Serialize(checkpoint, Json));
        return checkpoint;
    }

    public static AuditCheckpoint ReadCheckpoint(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(File.ReadAllText(file), Json)
                ?? throw new JsonException("empty");
        }
        catch (Exception ex) when (ex is JsonException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "--checkpoint", "not a readable checkpoint file: " + ex.Message));
        }
    }
}
