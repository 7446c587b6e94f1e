using Crawler.Core.Storage;

namespace Crawler.Storage.Lite;

/// <summary>
/// The host slots of one machine, in memory: a LiteDB installation runs its crawls in one process at a time per
/// target, and the runs of that process share these slots. Nothing is written: a restart starts every host afresh,
/// which the per-run pace (delay after the last answer) already covers.
/// </summary>
public sealed class LiteHostSlots : IHostSlots
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);

    public Task<DateTimeOffset> BookAsync(string host, DateTimeOffset earliest, TimeSpan delay, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var start = _next.TryGetValue(host, out var next) && next > earliest ? next : earliest;
            _next[host] = start + delay;
            return Task.FromResult(start);
        }
    }
}
