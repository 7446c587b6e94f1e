using System.Security.Cryptography;

namespace Crawler.Core.Audit;

public sealed record AuditVerification(bool Ok, long Entries, long? FirstBadSequence, string? Problem);

/// <summary>The head of the trail at some moment, kept by an auditor outside the system to prove later that nothing before it was removed or changed.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset Time);

/// <summary>
/// Where the trail starts once its oldest entries were erased at the end of their retention: the
/// last erased entry's sequence and hash. The erasure itself is a chained entry naming this hash,
/// so an anchor that nobody recorded in the chain does not verify.
/// </summary>
public sealed record AuditAnchor(long Sequence, string Hash, DateTimeOffset ErasedAt)
{
    public const string Rule = "retention.audit";

    public string Subject => $"audit:1-{Sequence}";
}

/// <summary>
/// Chains audit entries with HMAC-SHA256 over (previous hash, sequence, time, every field).
/// The key lives outside the database, so someone who can write the database file but cannot
/// read the key cannot produce a chain that verifies.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static AuditEntry Link(byte[] key, long sequence, DateTimeOffset time, AuditRecord record, string previousHash)
    {
        var utc = time.ToUniversalTime();
        return new AuditEntry(sequence, utc, record, previousHash, ComputeHash(key, sequence, utc, record, previousHash));
    }

    public static string ComputeHash(byte[] key, long sequence, DateTimeOffset time, AuditRecord r, string previousHash)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> hash = stackalloc byte[32];
        ComputeInto(hmac, sequence, time, r, previousHash, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks order, continuity and every hash; names the first entry that does not fit. One HMAC
    /// instance and stack buffers serve the whole walk, so verifying allocates almost nothing per entry.
    /// </summary>
    public static AuditVerification Verify(byte[] key, IEnumerable<AuditEntry> entries, AuditCheckpoint? checkpoint = null, AuditAnchor? anchor = null)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> actual = stackalloc byte[32];
        Span<byte> stored = stackalloc byte[32];
        var expectedSeq = (anchor?.Sequence ?? 0) + 1;
        var previous = anchor?.Hash ?? GenesisHash;
        long count = 0;
        var anchorRecorded = anchor is null;
        foreach (var e in entries)
        {
            if (e.Sequence != expectedSeq)
            {
                return new AuditVerification(false, count, expectedSeq,
                    e.Sequence > expectedSeq
                        ? $"entry {expectedSeq} is missing (next entry found is {e.Sequence})"
                        : $"entry {e.Sequence} appears out of order where {expectedSeq} was expected");
            }

            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new AuditVerification(false, count, e.Sequence, $"entry {e.Sequence} does not link to the entry before it");
            }

            ComputeInto(hmac, e.Sequence, e.Time, e.Record, e.PreviousHash, actual);
            if (e.Hash.Length != 64 || Convert.FromHexString(e.Hash, stored, out _, out var written) != System.Buffers.OperationStatus.Done ||
                written != 32 || !CryptographicOperations.FixedTimeEquals(actual, stored))
            {
                return new AuditVerification(false, count, e.Sequence, $"entry {e.Sequence} was altered (its hash does not match its content)");
            }

            if (checkpoint is not null && e.Sequence == checkpoint.Sequence && !string.Equals(e.Hash, checkpoint.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, count, e.Sequence,
                    $"entry {e.Sequence} differs from the checkpoint of {checkpoint.Time:O}: the trail up to it was rewritten");
            }

            if (!anchorRecorded && e.Record.Rule == AuditAnchor.Rule && e.Record.Subject == anchor!.Subject &&
                e.Record.Reason is { } why && why.Contains(anchor.Hash, StringComparison.Ordinal))
            {
                anchorRecorded = true;
            }

            previous = e.Hash;
            expectedSeq++;
            count++;
        }

        var last = expectedSeq - 1;
        if (checkpoint is not null && last < checkpoint.Sequence)
        {
            return new AuditVerification(false, count, last + 1,
                $"the trail ends at entry {last} but the checkpoint of {checkpoint.Time:O} has entry {checkpoint.Sequence}: entries were removed from the end");
        }

        if (!anchorRecorded)
        {
            return new AuditVerification(false, count, anchor!.Sequence + 1,
                $"the trail starts after entry {anchor.Sequence}, but no entry in it records erasing entries 1-{anchor.Sequence}: entries were removed from the start");
        }

        return new AuditVerification(true, count, null, null);
    }

    private static void ComputeInto(IncrementalHash hmac, long sequence, DateTimeOffset time, AuditRecord r, string previousHash, Span<byte> hash)
    {
        // The whole message is laid out in one buffer and handed to the HMAC once: a native call per
        // field would cost more than the hashing itself.
        var size = AuditCodec.MaxSize(r, previousHash);
        byte[]? rented = null;
        var buffer = size <= 2048 ? stackalloc byte[2048] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var n = AuditCodec.Write(buffer, sequence, time, r, previousHash);
            hmac.AppendData(buffer[..n]);
            hmac.GetHashAndReset(hash);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
