namespace Crawler.Evidence;

/// <summary>One named field of a WARC record header, in the order it appears in the file.</summary>
public sealed record WarcHeader(string Name, string Value);
