using System.Security.Cryptography;
using System.Text;

namespace Crawler.Evidence;

/// <summary>
/// Checks a <c>.warc.gz</c> file the way an expert for the other side would: every gzip member's CRC, every
/// record's layout, every block and payload digest recomputed from the bytes in the file.
/// </summary>
public static class WarcVerifier
{
    /// <summary>
    /// Verifies every record. Never throws on bad content: a corrupt member, malformed header or truncation
    /// ends the walk with <see cref="WarcVerification.Problem"/> naming the record index and offset.
    /// </summary>
    public static WarcVerification Verify(Stream warcGz) => Verify(warcGz, visit: null);

    /// <summary>
    /// As <see cref="Verify(Stream)"/>, and hands each record read to <paramref name="visit"/> with its index, so a
    /// caller can check what the file claims about its records without reading the file a second time.
    /// </summary>
    public static WarcVerification Verify(Stream warcGz, Action<int, WarcRecord>? visit)
    {
        ArgumentNullException.ThrowIfNull(warcGz);
        var checks = new List<WarcRecordCheck>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        string? stopped = null;
        try
        {
            foreach (var record in WarcReader.Read(warcGz))
            {
                visit?.Invoke(checks.Count, record);
                checks.Add(Check(checks.Count, record, seenIds));
            }
        }
        catch (WarcFormatException e)
        {
            stopped = e.Message;
        }
        catch (IOException e)
        {
            stopped = $"reading the file failed at record {checks.Count}: {e.Message}";
        }

        var failed = checks.Where(c => c.Problem is not null).ToList();
        var problem = stopped
            ?? (checks.Count == 0 ? "the file holds no WARC records" : null)
            ?? (failed.Count == 0 ? null
                : $"record {failed[0].Index} (gzip member at byte offset {failed[0].Offset}): {failed[0].Problem}"
                  + (failed.Count > 1 ? $" (and {failed.Count - 1} more failing records)" : ""));
        return new WarcVerification(problem is null, checks, problem, stopped is null);
    }

    /// <summary>"sha256:" followed by the RFC 4648 base32 (upper case, padded: 56 characters) of the SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Label(ReadOnlySpan<byte> data) => "sha256:" + Base32.Encode(SHA256.HashData(data));

    private static WarcRecordCheck Check(int index, WarcRecord record, HashSet<string> seenIds)
    {
        var problems = new List<string>();
        if (record["WARC-Type"] is null)
        {
            problems.Add("no WARC-Type");
        }

        if (record["WARC-Record-ID"] is null)
        {
            problems.Add("no WARC-Record-ID");
        }
        else if (!seenIds.Add(record.RecordId))
        {
            problems.Add($"WARC-Record-ID {record.RecordId} was already used by an earlier record");
        }

        if (record["WARC-Date"] is null)
        {
            problems.Add("no WARC-Date");
        }

        var blockOk = false;
        var blockLabel = record["WARC-Block-Digest"];
        if (blockLabel is null)
        {
            problems.Add("no WARC-Block-Digest");
        }
        else
        {
            blockOk = Matches(blockLabel, record.Block, "block", problems);
        }

        bool? payloadOk = null;
        var payloadLabel = record["WARC-Payload-Digest"];
        if (payloadLabel is not null)
        {
            payloadOk = PayloadMatches(record, payloadLabel, problems);
        }

        return new WarcRecordCheck(index, record.Offset, record.Type, record.RecordId, record["WARC-Target-URI"],
            blockOk, payloadOk, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>
    /// The payload of an application/http block is the entity body after the header block. Other tools
    /// digest it after undoing chunked transfer coding, so a chunked body may match in either form.
    /// </summary>
    private static bool PayloadMatches(WarcRecord record, string label, List<string> problems)
    {
        var contentType = record["Content-Type"] ?? "";
        if (!contentType.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(label, record.Block, "payload", problems);
        }

        var headerEnd = record.Block.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            problems.Add("HTTP block has no end of its header block, so its payload cannot be found");
            return false;
        }

        var entity = record.Block.AsSpan(headerEnd + 4);
        var quiet = new List<string>();
        if (Matches(label, entity, "payload", quiet))
        {
            return true;
        }

        var head = Encoding.Latin1.GetString(record.Block, 0, headerEnd);
        if (head.Contains("\ntransfer-encoding:", StringComparison.OrdinalIgnoreCase) &&
            head.Contains("chunked", StringComparison.OrdinalIgnoreCase) &&
            Dechunk(entity) is { } dechunked && Matches(label, dechunked, "payload", []))
        {
            return true;
        }

        problems.AddRange(quiet);
        return false;
    }

    private static bool Matches(string label, ReadOnlySpan<byte> data, string what, List<string> problems)
    {
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        var algorithm = colon < 0 ? "" : label[..colon].Trim();
        var value = colon < 0 ? "" : label[(colon + 1)..].Trim();
        if (!algorithm.Equals("sha256", StringComparison.OrdinalIgnoreCase) && !algorithm.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{what} digest '{label}' uses an algorithm other than SHA-256, which this verifier does not accept");
            return false;
        }

        // Other tools write the digest in hex; base32 is the customary form and what the writer uses, padded now and
        // unpadded in older exports, so both are read.
        byte[]? stored = value.Length == 64 && value.All(char.IsAsciiHexDigit) ? Convert.FromHexString(value) : Base32.TryDecode(value);
        if (stored is not { Length: 32 })
        {
            problems.Add($"{what} digest '{label}' is neither base32 nor hex SHA-256");
            return false;
        }

        if (!SHA256.HashData(data).AsSpan().SequenceEqual(stored))
        {
            problems.Add($"{what} digest does not match the {what} bytes in the file");
            return false;
        }

        return true;
    }

    /// <summary>Undoes HTTP/1.1 chunked transfer coding; null if the data is not well-formed chunks.</summary>
    private static byte[]? Dechunk(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length);
        while (true)
        {
            var lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return null;
            }

            var sizeText = Encoding.Latin1.GetString(data[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var size) ||
                size < 0 || size > data.Length - lineEnd - 2)
            {
                return null;
            }

            data = data[(lineEnd + 2)..];
            if (size == 0)
            {
                return [.. output];
            }

            foreach (var b in data[..size])
            {
                output.Add(b);
            }

            data = data[size..];
            if (!data.StartsWith("\r\n"u8))
            {
                return null;
            }

            data = data[2..];
        }
    }
}
