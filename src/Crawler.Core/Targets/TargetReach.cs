namespace Crawler.Core.Targets;

/// <summary>
/// Whether an edited target reaches further than the one an officer weighed. A mandate names its targets, and its
/// Koops weighing was made of what they reached when it was requested: a target that then grows (a seed or host added,
/// a path no longer excluded, deeper, more pages a run) would be crawled beyond what was approved. Narrowing is always
/// allowed; growing needs a new target and a mandate that names it.
/// </summary>
public static class TargetReach
{
    /// <summary>Each way <paramref name="after"/> reaches further than <paramref name="before"/>, as (field, what grew); empty when it does not.</summary>
    public static IReadOnlyList<(string Field, string Message)> Widenings(TargetSpec before, TargetSpec after)
    {
        var found = new List<(string, string)>();
        Added("seeds", before.Seeds, after.Seeds, found);
        Added("scope.hosts", before.Scope.Hosts, after.Scope.Hosts, found);

        // An include pattern narrows what is crawled: one added or changed could open paths the old ones did not.
        Added("scope.include", before.Scope.Include, after.Scope.Include, found);
        if (before.Scope.Include.Count > 0 && after.Scope.Include.Count == 0)
        {
            found.Add(("scope.include", "no longer limits the paths crawled"));
        }

        var dropped = before.Scope.Exclude.Except(after.Scope.Exclude, StringComparer.Ordinal).ToList();
        if (dropped.Count > 0)
        {
            found.Add(("scope.exclude", $"no longer excludes {string.Join(", ", dropped)}"));
        }

        if (after.Scope.MaxDepth > before.Scope.MaxDepth)
        {
            found.Add(("scope.maxDepth", $"deeper: {before.Scope.MaxDepth} -> {after.Scope.MaxDepth}"));
        }

        if (after.Scope.MaxPagesPerRun > before.Scope.MaxPagesPerRun)
        {
            found.Add(("scope.maxPagesPerRun", $"more pages a run: {before.Scope.MaxPagesPerRun} -> {after.Scope.MaxPagesPerRun}"));
        }

        return found;
    }

    private static void Added(string field, IReadOnlyList<string> before, IReadOnlyList<string> after, List<(string, string)> found)
    {
        var added = after.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
        if (added.Count > 0)
        {
            found.Add((field, $"adds {string.Join(", ", added)}"));
        }
    }
}
