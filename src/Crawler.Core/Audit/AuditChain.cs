using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Crawler.Core.Audit;

public sealed record AuditVerification(bool Ok, long Entries, long? FirstBadSequence, string? Problem);

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
        Field(hmac, previousHash);
        Field(hmac, sequence.ToString(CultureInfo.InvariantCulture));
        Field(hmac, time.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(hmac, r.Actor);
        Field(hmac, r.Operation);
        Field(hmac, r.Subject);
        Field(hmac, r.Outcome);
        Field(hmac, r.Reason);
        Field(hmac, r.Rule);
        Field(hmac, r.MandateId?.ToString(CultureInfo.InvariantCulture));
        Field(hmac, r.MandateVersion?.ToString(CultureInfo.InvariantCulture));
        Field(hmac, r.Case);
        Field(hmac, r.PolicyVersion);
        Field(hmac, r.ContentSha256);
        Field(hmac, r.HttpStatus?.ToString(CultureInfo.InvariantCulture));
        Field(hmac, r.Lab?.ToString());
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Checks order, continuity and every hash; names the first entry that does not fit.</summary>
    public static AuditVerification Verify(byte[] key, IEnumerable<AuditEntry> entries)
    {
        var expectedSeq = 1L;
        var previous = GenesisHash;
        long count = 0;
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

            var actual = ComputeHash(key, e.Sequence, e.Time, e.Record, e.PreviousHash);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(e.Hash)))
            {
                return new AuditVerification(false, count, e.Sequence, $"entry {e.Sequence} was altered (its hash does not match its content)");
            }

            previous = e.Hash;
            expectedSeq++;
            count++;
        }

        return new AuditVerification(true, count, null, null);
    }

    // Length-prefixed fields, so that moving text from one field to the next changes the hash.
    private static void Field(IncrementalHash h, string? value)
    {
        Span<byte> len = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(len, -1);
            h.AppendData(len);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(len, bytes.Length);
        h.AppendData(len);
        h.AppendData(bytes);
    }
}
