using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
        var size = 16 * 4 + 3 * 24 + 3 * 24 + Max(previousHash) + Max(r.Actor) + Max(r.Operation) + Max(r.Subject) + Max(r.Outcome) +
                   Max(r.Reason) + Max(r.Rule) + Max(r.Case) + Max(r.PolicyVersion) + Max(r.ContentSha256) + 8 +
                   4 * 4 + 2 + Max(r.LegalBasis) + Max(r.DataSubject) + Max(r.Recipient);
        byte[]? rented = null;
        var buffer = size <= 2048 ? stackalloc byte[2048] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var at = 0;
            Field(buffer, ref at, previousHash);
            Number(buffer, ref at, sequence);
            Number(buffer, ref at, time.UtcTicks);
            Field(buffer, ref at, r.Actor);
            Field(buffer, ref at, r.Operation);
            Field(buffer, ref at, r.Subject);
            Field(buffer, ref at, r.Outcome);
            Field(buffer, ref at, r.Reason);
            Field(buffer, ref at, r.Rule);
            Number(buffer, ref at, r.MandateId);
            Number(buffer, ref at, r.MandateVersion);
            Field(buffer, ref at, r.Case);
            Field(buffer, ref at, r.PolicyVersion);
            Field(buffer, ref at, r.ContentSha256);
            Number(buffer, ref at, r.HttpStatus);
            Field(buffer, ref at, r.Lab is null ? null : r.Lab.Value ? "True" : "False");
            if (r.HasFormat2Fields)
            {
                // Format 2 appends a marked block; entries without its fields hash exactly as format 1
                // did, so every trail written before it still verifies. The fields are length-prefixed
                // after a fixed last field, so the two layouts cannot be confused.
                Field(buffer, ref at, "v2");
                Field(buffer, ref at, r.LegalBasis);
                Field(buffer, ref at, r.DataSubject);
                Field(buffer, ref at, r.Recipient);
            }

            hmac.AppendData(buffer[..at]);
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

    private static int Max(string? s) => s is null ? 0 : Encoding.UTF8.GetMaxByteCount(s.Length);

    // Length-prefixed fields, so that moving text from one field to the next changes the hash.
    private static void Field(Span<byte> buffer, ref int at, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], -1);
            at += 4;
            return;
        }

        var n = Encoding.UTF8.GetBytes(value, buffer[(at + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], n);
        at += 4 + n;
    }

    /// <summary>A number as its invariant decimal text: the same bytes as a field holding its ToString.</summary>
    private static void Number(Span<byte> buffer, ref int at, long? value)
    {
        if (value is null)
        {
            Field(buffer, ref at, null);
            return;
        }

        value.Value.TryFormat(buffer[(at + 4)..], out var n, default, CultureInfo.InvariantCulture);
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], n);
        at += 4 + n;
    }
}
