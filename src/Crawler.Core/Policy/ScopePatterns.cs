namespace Crawler.Core.Policy;

public static class ScopePatterns
{
    /// <summary>A hostile or careless pattern must not stall the crawler (catastrophic backtracking).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
}
