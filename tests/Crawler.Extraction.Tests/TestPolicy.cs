using System.Text.Json;
using Crawler.Core.Policy;
using Crawler.Documents;
using Crawler.Tests.Shared;

namespace Crawler.Extraction.Tests;

/// <summary>The repository's real policy set (top-level files and profiles/), loaded as the service loads it.</summary>
internal static class TestPolicy
{
    private static readonly Lazy<PolicySet> Loaded = new(() => PolicySetLoader.Load(Files()));

    public static string RepositoryRoot => RepositoryPolicies.Root;

    public static string PoliciesDir => RepositoryPolicies.Folder;

    public static PolicySet Policy => Loaded.Value;

    public static List<PolicyFileText> Files() => RepositoryPolicies.Files();

    public static AdExtractor Extractor(string profile) =>
        new(Policy.Fetch.NotPublicSelectors, Policy.Urls, Policy.Profiles.Get(profile));

    /// <summary>The <c>language</c> an expectation file states for its page.</summary>
    public static string LanguageOf(string htmlFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(htmlFile, ".expected.json")));
        return doc.RootElement.TryGetProperty("language", out var l) ? l.GetString() ?? "" : "";
    }
}
