using NUnit.Framework;

namespace Crawler.Fetching.Tests;

/// <summary>Every resilience setting is bounded, and a setting out of bounds is named in the error that stops the service.</summary>
public sealed class FetchResilienceOptionsTests
{
    private static readonly FetchResilienceOptionsValidator Validator = new();

    [Test]
    public void The_defaults_are_valid() =>
        Assert.That(Validator.Validate(null, new FetchResilienceOptions()).Succeeded, Is.True);

    private static IEnumerable<TestCaseData> OutOfBounds()
    {
        yield return new TestCaseData(new FetchResilienceOptions { MaxRetryAttempts = -1 }, "MaxRetryAttempts");
        yield return new TestCaseData(new FetchResilienceOptions { MaxRetryAttempts = 6 }, "MaxRetryAttempts");
        yield return new TestCaseData(new FetchResilienceOptions { RetryDelay = TimeSpan.Zero }, "RetryDelay");
        yield return new TestCaseData(new FetchResilienceOptions { RetryDelay = TimeSpan.FromMinutes(1) }, "RetryDelay");
        yield return new TestCaseData(new FetchResilienceOptions { CircuitFailureRatio = 0.05 }, "CircuitFailureRatio");
        yield return new TestCaseData(new FetchResilienceOptions { CircuitFailureRatio = 1.5 }, "CircuitFailureRatio");
        yield return new TestCaseData(new FetchResilienceOptions { CircuitMinimumThroughput = 1 }, "CircuitMinimumThroughput");
        yield return new TestCaseData(new FetchResilienceOptions { CircuitSamplingDuration = TimeSpan.FromMilliseconds(10) }, "CircuitSamplingDuration");
        yield return new TestCaseData(new FetchResilienceOptions { CircuitBreakDuration = TimeSpan.FromHours(2) }, "CircuitBreakDuration");
        yield return new TestCaseData(new FetchResilienceOptions { ConnectTimeout = TimeSpan.Zero }, "ConnectTimeout");
        yield return new TestCaseData(new FetchResilienceOptions { PooledConnectionLifetime = TimeSpan.FromDays(1) }, "PooledConnectionLifetime");
    }

    [TestCaseSource(nameof(OutOfBounds))]
    public void A_setting_out_of_bounds_is_refused_by_name(FetchResilienceOptions options, string field)
    {
        var result = Validator.Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Exactly(1).StartsWith($"Crawler:Fetch:{field} "));
        });
    }

    [Test]
    public void Several_bad_settings_are_all_reported()
    {
        var result = Validator.Validate(null, new FetchResilienceOptions { MaxRetryAttempts = 9, CircuitFailureRatio = 0 });

        Assert.That(result.Failures?.ToList(), Has.Count.EqualTo(2));
    }
}
