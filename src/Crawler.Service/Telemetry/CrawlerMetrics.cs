using System.Diagnostics.Metrics;

namespace Crawler.Service.Telemetry;

/// <summary>
/// What the service does, as numbers for monitoring (the console exports them at <c>/metrics</c> through OpenTelemetry):
/// pages fetched, pages refused by rule, hits stored, audit entries appended, runs under way, and how long fetches take.
/// No label carries personal data: a refusal is labelled with its rule id only, never a URL, host, case or person.
/// Without a listener (the CLI) every instrument costs next to nothing.
/// </summary>
public sealed class CrawlerMetrics
{
    /// <summary>The meter's name, which an exporter subscribes to.</summary>
    public const string MeterName = "Crawler";

    private readonly Counter<long> _fetched;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _appended;
    private readonly UpDownCounter<long> _activeRuns;
    private readonly Histogram<double> _fetchSeconds;

    public CrawlerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _fetched = meter.CreateCounter<long>("crawler.pages.fetched", description: "Pages fetched (a response came in)");
        _refused = meter.CreateCounter<long>("crawler.pages.refused", description: "Requests and responses refused or failed, by rule id");
        _stored = meter.CreateCounter<long>("crawler.hits.stored", description: "Hits stored");
        _appended = meter.CreateCounter<long>("crawler.audit.appends", description: "Entries appended to the audit trail");
        _activeRuns = meter.CreateUpDownCounter<long>("crawler.runs.active", description: "Crawl runs under way in this process");
        _fetchSeconds = meter.CreateHistogram<double>("crawler.fetch.duration", "s", "Time from sending a page request to its whole answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public void PageFetched() => _fetched.Add(1);

    /// <summary>A refusal, labelled with its rule id (a stable name such as <c>robots.disallow</c>, never data).</summary>
    public void Refused(string rule) => _refused.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void HitStored() => _stored.Add(1);

    public void AuditAppended(int entries) => _appended.Add(entries);

    public void RunStarted() => _activeRuns.Add(1);

    public void RunEnded() => _activeRuns.Add(-1);

    public void Fetch(TimeSpan took) => _fetchSeconds.Record(took.TotalSeconds);
}
