using Crawler.Documents;

namespace Crawler.Tests.Shared;

/// <summary>
/// The repository's own policy files, read as the service reads a policy folder (the top-level *.yaml and
/// profiles/*.yaml), for test and benchmark projects that do not compose the service. Shared as source, like the
/// PostgreSQL cluster helper, so each project keeps its own reference set.
/// </summary>
internal static class RepositoryPolicies
{
    /// <summary>The folder above the running binaries that holds Crawler.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Folder => Path.Combine(Root, "policies");

    public static List<PolicyFileText> Files(string? folder = null)
    {
        var policies = folder ?? Folder;
        return Directory.GetFiles(policies, "*.yaml")
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .Concat(Directory.GetFiles(Path.Combine(policies, "profiles"), "*.yaml")
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Crawler.sln not found above " + AppContext.BaseDirectory);
    }
}
