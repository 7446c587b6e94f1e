using Crawler.Core.Policy;
using Crawler.Documents;
using Crawler.Tests.Shared;

namespace Crawler.Benchmarks;

/// <summary>The policy files as the service reads them: the top-level *.yaml and the profiles/*.yaml.</summary>
internal static class PolicyFiles
{
    /// <summary>The repository's root: the folder above the benchmark's binaries that holds Crawler.sln.</summary>
    public static string RepositoryRoot => RepositoryPolicies.Root;

    /// <summary>The repository's policies, loaded as the service loads them.</summary>
    public static PolicySet Load() => PolicySetLoader.Load(RepositoryPolicies.Files());

    public static List<PolicyFileText> Read(string policies) => RepositoryPolicies.Files(policies);
}
