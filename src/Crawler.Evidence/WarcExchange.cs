namespace Crawler.Evidence;

/// <summary>
/// One HTTP exchange as the crawler saw it. <see cref="Body"/> is the decoded entity body: the crawler
/// has already removed any content and transfer coding, so the writer records the response as if it had
/// been sent that way and keeps the original coding headers under an <c>X-Crawler-Original-</c> name.
/// <see cref="Date"/> is the fetch time, written as WARC-Date in UTC with seconds precision;
/// <see cref="IpAddress"/> is the peer the response came from, and WARC-IP-Address is left out when it is null.
/// <see cref="RequestHead"/> and <see cref="ResponseHead"/>, when given, are the heads exactly as they crossed the
/// connection: the request record is then that head byte for byte, and the response record that head line for line
/// (only the framing lines renamed, see <see cref="HttpBlocks"/>); the header lists are used only when they are null.
/// </summary>
public sealed record WarcExchange(
    Uri TargetUri,
    DateTimeOffset Date,
    string? IpAddress,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    int Status,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    byte[] Body)
{
    public byte[]? RequestHead { get; init; }

    public byte[]? ResponseHead { get; init; }

    /// <summary>Where the heads come from, for the <c>WARC-Crawler-Head-Source</c> field: "wire" or "reconstructed".</summary>
    public string HeadSource => RequestHead is not null && ResponseHead is not null ? "wire" : "reconstructed";
}
