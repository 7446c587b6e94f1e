using System.Text.Json;
using Crawler.Core.Policy;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>The repository's real policy set (top-level files and profiles/), loaded as the service loads it.</summary>
internal static class TestPolicy
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    });

    private static readonly Lazy<PolicySet> Loaded = new(() => PolicySetLoader.Load(Files()));

    public static string RepositoryRoot => Root.Value;

    public static string PoliciesDir => Path.Combine(Root.Value, "policies");

    public static PolicySet Policy => Loaded.Value;

    public static List<PolicyFileText> Files() =>
        Directory.GetFiles(PoliciesDir, "*.yaml")
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .Concat(Directory.GetFiles(Path.Combine(PoliciesDir, "profiles"), "*.yaml")
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();

    public static AdExtractor Extractor(string profile) =>
        new(Policy.Fetch.NotPublicSelectors, Policy.Urls, Policy.Profiles.Get(profile));

    /// <summary>The <c>language</c> an expectation file states for its page.</summary>
    public static string LanguageOf(string htmlFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(htmlFile, ".expected.json")));
        return doc.RootElement.TryGetProperty("language", out var l) ? l.GetString() ?? "" : "";
    }
}
