using Crawler.Core.Policy;
using Microsoft.Extensions.Options;

namespace Crawler.Fetching;

/// <summary>
/// How hard the fetcher tries before it gives a URL up, and when it leaves a failing host alone. Policy decides what
/// may be fetched; these numbers only shape how transient faults are handled, so they are operational settings of
/// the service (bound from the <c>Crawler:Fetch</c> configuration section), checked when the service starts.
/// </summary>
public sealed class FetchResilienceOptions
{
    public const string Section = "Crawler:Fetch";

    /// <summary>Retries after the first attempt, for connection failures, timeouts, 408 and 5xx other than 503.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter, or follow Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The share of failed attempts within the sampling window that opens a host's circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.8;

    /// <summary>Attempts a window needs before its failure ratio counts.</summary>
    public int CircuitMinimumThroughput { get; set; } = 5;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit leaves the host alone before one trial request.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections are renewed after this long, so a host's changed DNS answer is seen (and guarded) again.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Every bound checked, each failure naming its setting, so a bad configuration stops the service at start.</summary>
public sealed class FetchResilienceOptionsValidator : IValidateOptions<FetchResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, FetchResilienceOptions options)
    {
        var errors = new List<string>();
        Check(errors, nameof(options.MaxRetryAttempts), options.MaxRetryAttempts is >= 0 and <= 5, "must be from 0 to 5");
        Check(errors, nameof(options.RetryDelay), options.RetryDelay >= TimeSpan.FromMilliseconds(10) && options.RetryDelay <= TimeSpan.FromSeconds(30),
            "must be from 10 ms to 30 s");
        Check(errors, nameof(options.CircuitFailureRatio), options.CircuitFailureRatio is >= 0.1 and <= 1.0, "must be from 0.1 to 1.0");
        Check(errors, nameof(options.CircuitMinimumThroughput), options.CircuitMinimumThroughput is >= 2 and <= 1000, "must be from 2 to 1000");
        Check(errors, nameof(options.CircuitSamplingDuration),
            options.CircuitSamplingDuration >= TimeSpan.FromSeconds(1) && options.CircuitSamplingDuration <= TimeSpan.FromHours(1), "must be from 1 s to 1 h");
        Check(errors, nameof(options.CircuitBreakDuration),
            options.CircuitBreakDuration >= TimeSpan.FromSeconds(1) && options.CircuitBreakDuration <= TimeSpan.FromHours(1), "must be from 1 s to 1 h");
        Check(errors, nameof(options.ConnectTimeout),
            options.ConnectTimeout >= TimeSpan.FromMilliseconds(100) && options.ConnectTimeout <= TimeSpan.FromMinutes(2), "must be from 100 ms to 2 min");
        Check(errors, nameof(options.PooledConnectionLifetime),
            options.PooledConnectionLifetime >= TimeSpan.FromSeconds(1) && options.PooledConnectionLifetime <= TimeSpan.FromHours(1), "must be from 1 s to 1 h");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string field, bool ok, string rule)
    {
        if (!ok)
        {
            errors.Add($"{FetchResilienceOptions.Section}:{field} {rule}");
        }
    }
}

/// <summary>
/// The clock of the network: request timeouts, read deadlines, transfer rates and backoff. Kept apart from the
/// domain clock because a test that moves mandate time must not make a real socket time out, and a test of a slow
/// server can move this one without touching mandates.
/// </summary>
public sealed record NetworkTime(TimeProvider Provider);

/// <summary>
/// Makes the fetcher of one crawl run. A run has its own network guard (lab or not, the installation's resolver) and
/// reports circuit changes into its own audit trail, so a fetcher lives as long as its run; what is shared is
/// validated configuration and the network clock.
/// </summary>
public sealed class PageFetcherFactory(PolicySet policy, IOptions<FetchResilienceOptions> resilience, NetworkTime time)
{
    public PageFetcher Create(NetworkGuard guard, Action<CircuitChange>? onCircuitChange = null) =>
        new(policy, guard, resilience.Value, time, onCircuitChange);
}
