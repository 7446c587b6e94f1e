using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>The repository's real policy files and a set of fixed people, times and documents for the tests.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidFrom = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidUntil = new(2027, 1, 27, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset RequestedAt = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ApprovedAt = new(2026, 11, 21, 14, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset InWindow = new(2026, 12, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly User Specialist = new("sanne", Role.Specialist, CreatedAt, "admin");
    public static readonly User Officer = new("pieter", Role.Officer, CreatedAt, "admin");
    public static readonly User SecondOfficer = new("olga", Role.Officer, CreatedAt, "admin");
    public static readonly User Admin = new("admin", Role.Admin, CreatedAt, "admin");
    public static readonly User Auditor = new("aaron", Role.Auditor, CreatedAt, "admin");

    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static readonly Lazy<PolicySet> LoadedPolicy = new(() => PolicySetLoader.Load(TopLevelPolicyFiles()));

    public static string RepoRoot => Root.Value;

    public static string PoliciesDir => Path.Combine(RepoRoot, "policies");

    public static string ExamplesDir => Path.Combine(PoliciesDir, "examples");

    /// <summary>The policy set loaded from the repository's policies/ folder, as the service loads it.</summary>
    public static PolicySet Policy => LoadedPolicy.Value;

    /// <summary>
    /// The top-level *.yaml files of policies/, named by file name, and the extraction profiles, named
    /// profiles/NAME.yaml, as the service reads them (examples/ is not policy).
    /// </summary>
    public static List<PolicyFileText> TopLevelPolicyFiles() =>
        Directory.GetFiles(PoliciesDir, "*.yaml", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(f => new PolicyFileText(Path.GetFileName(f), File.ReadAllText(f)))
            .Concat(Directory.GetFiles(Path.Combine(PoliciesDir, "profiles"), "*.yaml")
                .Order(StringComparer.Ordinal)
                .Select(f => new PolicyFileText("profiles/" + Path.GetFileName(f), File.ReadAllText(f))))
            .ToList();

    /// <summary>An expected sequence, written without a constant array argument (CA1861).</summary>
    public static T[] Seq<T>(params ReadOnlySpan<T> items) => items.ToArray();

    public static string ReadExample(string name) => File.ReadAllText(Path.Combine(ExamplesDir, name));

    public static MandateSpec MandateSpec(params string[] targets) => new(
        Case: "2026-MH-0042",
        CaseName: "Onderzoek Tulp",
        LegalBasis: "art126g-sv",
        WpgPurpose: WpgPurpose.Art9,
        Purpose: "Identify ads that indicate exploitation in the Utrecht region",
        Offence: "Mensenhandel (art. 273f Sr)",
        Suspect: "Unknown persons placing ads for several women with one contact number",
        FactsAndCircumstances: "Tip of 2026-11-02 about ads sharing one phone number",
        Targets: targets.Length == 0 ? ["demo-ads"] : targets,
        ValidFrom: ValidFrom,
        ValidUntil: ValidUntil,
        Limits: new MandateLimits(500, 100),
        DataCategories: new Dictionary<DataCategory, Treatment>
        {
            [DataCategory.Phone] = Treatment.Pseudonymise,
            [DataCategory.Email] = Treatment.Pseudonymise,
            [DataCategory.Text] = Treatment.Drop,
        },
        Linking: false);

    /// <summary>A mandate requested by the specialist, not yet decided.</summary>
    public static Mandate RequestedMandate(MandateSpec? spec = null) =>
        MandateLifecycle.Request(spec ?? MandateSpec(), Specialist, RequestedAt) with { Id = 42 };

    /// <summary>A mandate requested by the specialist and approved by an officer.</summary>
    public static Mandate ApprovedMandate(MandateSpec? spec = null) =>
        MandateLifecycle.Approve(RequestedMandate(spec), Officer, ApprovedAt);

    public static TargetSpec TargetSpec(
        IReadOnlyList<string>? hosts = null,
        IReadOnlyList<string>? include = null,
        IReadOnlyList<string>? exclude = null,
        int maxDepth = 2,
        int maxPagesPerRun = 50) => new(
        "demo-ads",
        ["https://ads.example.nl/"],
        new CrawlScope(hosts ?? ["ads.example.nl"], include ?? ["^/(ads/|listing|$)"], exclude ?? ["^/private/", "login"], maxDepth, maxPagesPerRun),
        new Politeness(2000, 1),
        "0 0 3 * * ?",
        "generic");

    public static CrawlTarget Target(TargetSpec? spec = null) => new(7, spec ?? TargetSpec(), Specialist.Name, CreatedAt);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (folder with Crawler.sln) not found");
    }
}
