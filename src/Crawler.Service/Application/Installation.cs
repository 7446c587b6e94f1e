namespace Crawler.Service.Application;

/// <summary>What kind of installation this is, fixed when it was created: only a lab may crawl loopback addresses.</summary>
public sealed record Installation(bool Lab);
