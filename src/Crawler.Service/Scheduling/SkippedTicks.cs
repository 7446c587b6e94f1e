using System.Collections.Concurrent;

namespace Crawler.Service.Scheduling;

/// <summary>
/// Cron ticks of a target that did not start a run, counted rather than logged one by one: at a 10-second
/// cron, a mandate's recrawl interval of an hour would otherwise write 360 refusals an hour. The count goes
/// into the crawl-start entry of the run that ends the streak.
/// </summary>
public sealed class SkippedTicks
{
    private readonly ConcurrentDictionary<long, Streak> _streaks = new();

    /// <summary>Skipped ticks of one target since <see cref="Since"/>, for one rule.</summary>
    public sealed record Streak(string Rule, int Count, DateTimeOffset Since, string Reason);

    /// <summary>Counts a skipped tick; true when it starts a new streak (a different rule, or the first), which is then worth one log line.</summary>
    public bool Skip(long targetId, string rule, DateTimeOffset at, string reason)
    {
        var started = false;
        _streaks.AddOrUpdate(targetId,
            _ =>
            {
                started = true;
                return new Streak(rule, 1, at, reason);
            },
            (_, s) =>
            {
                started = s.Rule != rule;
                return started ? new Streak(rule, 1, at, reason) : s with { Count = s.Count + 1 };
            });
        return started;
    }

    /// <summary>Whether the target's current streak is of this rule.</summary>
    public bool IsSkipping(long targetId, string rule) => _streaks.TryGetValue(targetId, out var s) && s.Rule == rule;

    public Streak? Peek(long targetId) => _streaks.TryGetValue(targetId, out var s) ? s : null;

    /// <summary>Ends the target's streak (a run started).</summary>
    public void Clear(long targetId) => _streaks.TryRemove(targetId, out _);

    /// <summary>The sentence the crawl-start entry carries about a streak.</summary>
    public static string Describe(Streak s) =>
        $"{s.Count} schedule tick{(s.Count == 1 ? "" : "s")} skipped since {s.Since:O} ({s.Rule}: {s.Reason})";
}
