using Crawler.Core.Storage;
using Crawler.Service.Telemetry;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// The run's counters as the pages come in: what is saved with the run after each page, and shown as progress; each
/// count also goes to the process's metrics.
/// </summary>
internal sealed class RunCounters(CrawlRun run, CrawlerMetrics metrics)
{
    private readonly object _lock = new();
    private CrawlRun _run = run;
    private int _discarded;

    public CrawlRun Snapshot()
    {
        lock (_lock)
        {
            return _run;
        }
    }

    public int Discarded => Volatile.Read(ref _discarded);

    public void Fetched()
    {
        metrics.PageFetched();
        Change(r => r with { Fetched = r.Fetched + 1 });
    }

    /// <summary>Page requests a dead process may have sent without recording them: counted as fetched, for the caps.</summary>
    public void Unrecorded(int pages) => Change(r => r with { Fetched = r.Fetched + pages });

    /// <summary>A request or response refused by <paramref name="rule"/>.</summary>
    public void Refused(string rule)
    {
        metrics.Refused(rule);
        Change(r => r with { Refused = r.Refused + 1 });
    }

    public void Stored()
    {
        metrics.HitStored();
        Change(r => r with { Hits = r.Hits + 1 });
    }

    public void Discard() => Interlocked.Increment(ref _discarded);

    /// <summary>A URL that failed in transport or on a fetch guard: a refusal, and counted by rule for the run's outcome.</summary>
    public void Failed(string rule)
    {
        metrics.Refused(rule);
        Change(r =>
        {
            var failures = new Dictionary<string, int>(r.Failures ?? new Dictionary<string, int>(), StringComparer.Ordinal);
            failures[rule] = failures.GetValueOrDefault(rule) + 1;
            return r with { Refused = r.Refused + 1, Failures = failures };
        });
    }

    public CrawlRun End(RunState state, string reason)
    {
        lock (_lock)
        {
            return _run = _run with { State = state, EndReason = reason };
        }
    }

    private void Change(Func<CrawlRun, CrawlRun> change)
    {
        lock (_lock)
        {
            _run = change(_run);
        }
    }
}
