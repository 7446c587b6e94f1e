using Crawler.Core.Policy;

namespace Crawler.Benchmarks;

/// <summary>The policy files as the service reads them: the top-level *.yaml and the profiles/*.yaml.</summary>
internal static class PolicyFiles
{
    public static List<PolicyFileText> Read(string policies) =>
        Directory.GetFiles(policies, "*.yaml")
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .Concat(Directory.GetFiles(Path.Combine(policies, "profiles"), "*.yaml")
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();
}
