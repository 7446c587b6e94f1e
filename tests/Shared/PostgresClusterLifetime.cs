using NUnit.Framework;

/// <summary>Outside any namespace, so for the whole test assembly: the cluster the tests started is stopped when they end.</summary>
[SetUpFixture]
#pragma warning disable CA1050 // NUnit runs a set-up fixture outside any namespace for every test of the assembly: that is the point here.
public sealed class PostgresClusterLifetime
{
    [OneTimeTearDown]
    public void StopCluster() => Crawler.Testing.PostgresCluster.StopStarted();
}
#pragma warning restore CA1050
