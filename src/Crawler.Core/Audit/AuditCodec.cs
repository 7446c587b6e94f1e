using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Crawler.Core.Audit;

/// <summary>
/// The canonical bytes of an audit entry: previous hash, sequence, time and every field of the
/// record, each length-prefixed (-1 for null) so that moving text from one field to the next
/// changes the bytes. These bytes are what the HMAC covers, and also what is stored, so verifying
/// a stored entry needs no re-encoding and reading one needs no document mapping.
/// </summary>
public static class AuditCodec
{
    private const string Format2Marker = "v2";

    /// <summary>An upper bound of the encoded size.</summary>
    public static int MaxSize(AuditRecord r, string previousHash) =>
        16 * 4 + 3 * 24 + 3 * 24 + Max(previousHash) + Max(r.Actor) + Max(r.Operation) + Max(r.Subject) + Max(r.Outcome) +
        Max(r.Reason) + Max(r.Rule) + Max(r.Case) + Max(r.PolicyVersion) + Max(r.ContentSha256) + 8 +
        4 * 4 + 2 + Max(r.LegalBasis) + Max(r.DataSubject) + Max(r.Recipient);

    public static byte[] Encode(long sequence, DateTimeOffset time, AuditRecord r, string previousHash)
    {
        var buffer = new byte[MaxSize(r, previousHash)];
        var n = Write(buffer, sequence, time, r, previousHash);
        return buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>Writes the canonical bytes into <paramref name="buffer"/> (at least <see cref="MaxSize"/> long); returns their length.</summary>
    public static int Write(Span<byte> buffer, long sequence, DateTimeOffset time, AuditRecord r, string previousHash)
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
            // Format 2 appends a marked block; entries without its fields encode exactly as format 1
            // did, so every trail written before it still verifies. The block follows a fixed last
            // field and is length-prefixed, so the two layouts cannot be confused.
            Field(buffer, ref at, Format2Marker);
            Field(buffer, ref at, r.LegalBasis);
            Field(buffer, ref at, r.DataSubject);
            Field(buffer, ref at, r.Recipient);
        }

        return at;
    }

    /// <summary>Reads canonical bytes back into an entry; <paramref name="hash"/> is the stored HMAC.</summary>
    public static AuditEntry Decode(ReadOnlySpan<byte> bytes, string hash)
    {
        var at = 0;
        var previous = Text(bytes, ref at) ?? throw Bad(at);
        var sequence = Long(bytes, ref at) ?? throw Bad(at);
        var ticks = Long(bytes, ref at) ?? throw Bad(at);
        var actor = Text(bytes, ref at) ?? throw Bad(at);
        var operation = Text(bytes, ref at) ?? throw Bad(at);
        var subject = Text(bytes, ref at) ?? throw Bad(at);
        var outcome = Text(bytes, ref at) ?? throw Bad(at);
        var reason = Text(bytes, ref at);
        var rule = Text(bytes, ref at);
        var mandateId = Long(bytes, ref at);
        var mandateVersion = (int?)Long(bytes, ref at);
        var @case = Text(bytes, ref at);
        var policyVersion = Text(bytes, ref at);
        var content = Text(bytes, ref at);
        var status = (int?)Long(bytes, ref at);
        var lab = Text(bytes, ref at) switch { null => (bool?)null, "True" => true, _ => false };
        string? legalBasis = null, dataSubject = null, recipient = null;
        if (at < bytes.Length)
        {
            if (Text(bytes, ref at) != Format2Marker)
            {
                throw Bad(at);
            }

            legalBasis = Text(bytes, ref at);
            dataSubject = Text(bytes, ref at);
            recipient = Text(bytes, ref at);
        }

        if (at != bytes.Length)
        {
            throw Bad(at);
        }

        var record = new AuditRecord(actor, operation, subject, outcome, reason, rule, mandateId, mandateVersion, @case, policyVersion,
            content, status, lab, legalBasis, dataSubject, recipient);
        return new AuditEntry(sequence, new DateTimeOffset(ticks, TimeSpan.Zero), record, previous, hash);
    }

    private static InvalidDataException Bad(int at) => new($"an audit entry's bytes are malformed at offset {at}");

    private static int Max(string? s) => s is null ? 0 : Encoding.UTF8.GetMaxByteCount(s.Length);

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

    private static ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> bytes, ref int at, out bool isNull)
    {
        if (at + 4 > bytes.Length)
        {
            throw Bad(at);
        }

        var n = BinaryPrimitives.ReadInt32BigEndian(bytes[at..]);
        at += 4;
        isNull = n == -1;
        if (isNull)
        {
            return default;
        }

        if (n < 0 || at + n > bytes.Length)
        {
            throw Bad(at);
        }

        var raw = bytes.Slice(at, n);
        at += n;
        return raw;
    }

    private static string? Text(ReadOnlySpan<byte> bytes, ref int at)
    {
        var raw = Raw(bytes, ref at, out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(raw);
    }

    private static long? Long(ReadOnlySpan<byte> bytes, ref int at)
    {
        var raw = Raw(bytes, ref at, out var isNull);
        if (isNull)
        {
            return null;
        }

        return System.Buffers.Text.Utf8Parser.TryParse(raw, out long value, out var used) && used == raw.Length ? value : throw Bad(at);
    }
}
