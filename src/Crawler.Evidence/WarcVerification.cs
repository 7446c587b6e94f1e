namespace Crawler.Evidence;

/// <summary>
/// What the verifier found for one record. <see cref="PayloadDigestOk"/> is null when the record carries no
/// WARC-Payload-Digest; <see cref="Problem"/> is null when the record is sound, otherwise every problem found, separated by "; ".
/// </summary>
public sealed record WarcRecordCheck(int Index, long Offset, string Type, string RecordId, string? TargetUri, bool BlockDigestOk, bool? PayloadDigestOk, string? Problem);

/// <summary>
/// The verdict on a whole file. <see cref="Problem"/> names the first failing record or the format error that stopped reading;
/// <see cref="ReadToEnd"/> is false when such an error stopped it, so <see cref="Records"/> holds only the records before it.
/// </summary>
public sealed record WarcVerification(bool Ok, IReadOnlyList<WarcRecordCheck> Records, string? Problem, bool ReadToEnd = true);
