namespace Crawler.Core.Targets;

/// <summary>Where a crawl may go: host allow-list, path patterns and depth and page bounds.</summary>
public sealed record CrawlScope(
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    int MaxDepth,
    int MaxPagesPerRun);

/// <summary>How gently a host is treated.</summary>
public sealed record Politeness(int MinDelayMs, int MaxConcurrencyPerHost);

/// <summary>What a specialist asks to crawl, as written in a target file.</summary>
public sealed record TargetSpec(
    string Name,
    IReadOnlyList<string> Seeds,
    CrawlScope Scope,
    Politeness Politeness,
    string? Schedule,
    string Profile);

/// <summary>A stored crawl target. Targets say what could be crawled; only a mandate says it may be.</summary>
/// <remarks><see cref="Disabled"/> is set when a specialist disabled the target: it is not crawled, by schedule or by hand, any more.</remarks>
public sealed record CrawlTarget(long Id, TargetSpec Spec, string CreatedBy, DateTimeOffset CreatedAt, TargetDisabled? Disabled = null)
{
    public string Name => Spec.Name;

    public bool IsDisabled => Disabled is not null;
}

/// <summary>Who disabled a target, when and why (the reason is also in the audit entry).</summary>
public sealed record TargetDisabled(string By, DateTimeOffset At, string Reason);
