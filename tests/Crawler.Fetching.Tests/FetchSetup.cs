using Crawler.Core.Policy;
using Crawler.Documents;
using Crawler.Tests.Shared;
using NUnit.Framework;

namespace Crawler.Fetching.Tests;

/// <summary>The repository's policy set and a lab guard that lets the fetcher reach loopback servers.</summary>
internal static class FetchSetup
{
    private static readonly Lazy<PolicySet> Loaded = new(() => PolicySetLoader.Load(RepositoryPolicies.Files()));

    public static PolicySet Policy => Loaded.Value;

    /// <summary>
    /// The fake network clock moves while real bytes travel, so the request timeout is made long (an hour) for the
    /// clock's steps never to overtake a loopback answer; the read deadline (a third of it) is then what a test reaches.
    /// </summary>
    private static PolicySet Patient => Policy with { Fetch = Policy.Fetch with { RequestTimeoutSeconds = 3600 } };

    public static PageFetcher Fetcher(TimeProvider network, FetchResilienceOptions? options = null, Action<CircuitChange>? onCircuitChange = null) =>
        new(Patient, new NetworkGuard(labInstallation: true, allowLoopbackInLab: true), options ?? new FetchResilienceOptions(), new NetworkTime(network),
            onCircuitChange);

    /// <summary>
    /// Moves the network clock on in small steps until the fetch completes: the fetch's timers (read deadline, retry
    /// backoff) fire only when the clock moves, so the test never waits for real seconds.
    /// </summary>
    public static async Task<FetchResult> DriveAsync(Task<FetchResult> fetch, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TimeSpan step,
        int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps && !fetch.IsCompleted; i++)
        {
            // A real pause lets the socket's bytes arrive between steps; it bounds nothing.
            await Task.WhenAny(fetch, Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System));
            clock.Advance(step);
        }

        Assert.That(fetch.IsCompleted, Is.True, "the fetch did not finish while the network clock moved on");
        return await fetch;
    }
}
