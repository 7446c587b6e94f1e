namespace Crawler.Core.Audit;

/// <summary>
/// Holds the audit key: links records into the chain and verifies it. Storage asks it to link the entries it
/// appends, inside its own transaction, so the chain's order is the store's and its hashes are this key's.
/// </summary>
public sealed class AuditSigner(byte[] key)
{
    private readonly byte[] _key = key.Length >= 32 ? key : throw new ArgumentException("an audit key has at least 32 bytes", nameof(key));

    /// <summary>Links <paramref name="records"/> after the head (the last entry, or the anchor or genesis of an empty trail).</summary>
    public IReadOnlyList<AuditEntry> Link(AuditHead head, DateTimeOffset time, IReadOnlyList<AuditRecord> records)
    {
        var entries = new List<AuditEntry>(records.Count);
        var sequence = head.Sequence;
        var previous = head.Hash;
        foreach (var record in records)
        {
            var entry = AuditChain.Link(_key, ++sequence, time, record, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    public AuditVerification Verify(IEnumerable<AuditEntry> entries, AuditCheckpoint? checkpoint, AuditAnchor? anchor) =>
        AuditChain.Verify(_key, entries, checkpoint, anchor);
}

/// <summary>Where the next entry links on: the last entry's sequence and hash (the anchor's, or 0 and the genesis hash, for an empty trail).</summary>
public sealed record AuditHead(long Sequence, string Hash)
{
    public static AuditHead Genesis { get; } = new(0, AuditChain.GenesisHash);
}
