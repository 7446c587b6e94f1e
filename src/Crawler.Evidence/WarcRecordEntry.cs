namespace Crawler.Evidence;

/// <summary>
/// What identifies one record and binds its content: its place in the file, id, type, target and the digest
/// labels exactly as written. <see cref="WarcWriter.Written"/> reports these as they are written; a signed
/// list of them is what lets a verifier notice a record altered with its digest recomputed, or one removed,
/// added or moved.
/// </summary>
/// <param name="Index">Zero-based position of the record in the file.</param>
/// <param name="RecordId">WARC-Record-ID.</param>
/// <param name="Type">WARC-Type.</param>
/// <param name="TargetUri">WARC-Target-URI, or null when the record has none (warcinfo).</param>
/// <param name="BlockDigest">WARC-Block-Digest as written (the empty string when a record read back has none).</param>
/// <param name="PayloadDigest">WARC-Payload-Digest, or null when the record has none.</param>
public sealed record WarcRecordEntry(int Index, string RecordId, string Type, string? TargetUri, string BlockDigest, string? PayloadDigest)
{
    /// <summary>The entry of a record as read back from a file.</summary>
    public static WarcRecordEntry Of(int index, WarcRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new WarcRecordEntry(index, record.RecordId, record.Type, record["WARC-Target-URI"], record["WARC-Block-Digest"] ?? "",
            record["WARC-Payload-Digest"]);
    }

    /// <summary>How problems name the record: "record 3 (metadata, &lt;urn:uuid:...&gt;)".</summary>
    public string Describe() => $"record {Index} ({Type}, {RecordId})";
}
