namespace Crawler.Evidence;

/// <summary>
/// One HTTP exchange as the crawler saw it. <see cref="Body"/> is the decoded entity body: the crawler
/// has already removed any content and transfer coding, so the writer records the response as if it had
/// been sent that way and keeps the original coding headers under an <c>X-Crawler-Original-</c> name.
/// <see cref="Date"/> is the fetch time, written as WARC-Date in UTC with seconds precision;
/// <see cref="IpAddress"/> is the peer the response came from, and WARC-IP-Address is left out when it is null.
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
    byte[] Body);
