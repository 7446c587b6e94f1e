using Crawler.Core.Policy;
using Crawler.Documents;

namespace Crawler.Benchmarks;

/// <summary>The policy files as the service reads them: the top-level *.yaml and the profiles/*.yaml.</summary>
internal static class PolicyFiles
{
    /// <summary>The repository's root: the folder above the benchmark's binaries that holds Crawler.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The repository's policies, loaded as the service loads them.</summary>
    public static PolicySet Load() => PolicySetLoader.Load(Read(Path.Combine(RepositoryRoot, "policies")));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Crawler.sln not found above " + AppContext.BaseDirectory);
    }

    public static List<PolicyFileText> Read(string policies) =>
        Directory.GetFiles(policies, "*.yaml")
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .Concat(Directory.GetFiles(Path.Combine(policies, "profiles"), "*.yaml")
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();
}
