using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>One policy file as read from disk: its name relative to the policy folder, and its text.</summary>
public sealed record PolicyFileText(string Name, string Text);

/// <summary>Parses the policy set. Pure: the caller reads the files.</summary>
public static partial class PolicySetLoader
{
    public const string CrawlerFile = "crawler.yaml";
    public const string IndicatorsFile = "indicators.yaml";
    public const string KoopsFile = "koops.yaml";

    /// <summary>The profile every target gets unless it names another.</summary>
    public const string GenericProfileFile = ProfileReader.Folder + "generic.yaml";

    public static PolicySet Load(IReadOnlyList<PolicyFileText> files)
    {
        var byName = files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var problems = new List<InputProblem>();
        foreach (var required in new[] { CrawlerFile, IndicatorsFile, KoopsFile, GenericProfileFile })
        {
            if (!byName.ContainsKey(required))
            {
                problems.Add(new InputProblem(required, 0, 0, "(file)", "required policy file is missing"));
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var crawler = byName[CrawlerFile];
        var indicatorsFile = byName[IndicatorsFile];
        var (r, root) = YamlReader.Open(crawler.Name, crawler.Text);
        var (ri, rootI) = YamlReader.Open(indicatorsFile.Name, indicatorsFile.Text);
        var koopsFile = byName[KoopsFile];
        var (rk, rootK) = YamlReader.Open(koopsFile.Name, koopsFile.Text);
        var koops = rootK is null ? null : KoopsPolicyReader.Read(rk, rootK);
        PolicySet? set = null;
        IndicatorPolicy? indicators = null;
        if (root is not null)
        {
            set = ReadCrawler(r, root);
        }

        if (rootI is not null)
        {
            indicators = IndicatorPolicyReader.Read(ri, rootI);
        }

        var profiles = ProfileReader.ReadAll(files, problems);
        problems.AddRange(r.Problems);
        problems.AddRange(ri.Problems);
        problems.AddRange(rk.Problems);
        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        return set! with { Version = Hash(files), Indicators = indicators!, Koops = koops!, Profiles = profiles };
    }

    /// <summary>SHA-256 over every file's name and bytes in ordinal name order.</summary>
    public static string Hash(IEnumerable<PolicyFileText> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(f.Text);
            sha.AppendData(Encoding.UTF8.GetBytes($"{f.Name}\n{bytes.Length}\n"));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static PolicySet ReadCrawler(YamlReader r, YamlMappingNode root)
    {
        r.RejectUnknown(root, "", "userAgent", "network", "fetch", "urls", "targets", "mandates", "runs", "extraction");
        if (YamlReader.Child(root, "extraction") is { } extraction)
        {
            // The list of names became one file per profile; a leftover list would otherwise be silently ignored.
            r.Problem(extraction, "extraction", "profiles are now files in profiles/ (one NAME.yaml each); remove this section");
        }

        var ua = Required(r, root, "", "userAgent");
        var token = ua is null ? null : r.Text(ua, "userAgent", "productToken", true);
        var contact = ua is null ? null : r.Text(ua, "userAgent", "contact", true);
        if (ua is not null)
        {
            r.RejectUnknown(ua, "userAgent", "productToken", "contact");
        }

        if (token is not null && !ProductTokenPattern().IsMatch(token))
        {
            r.Problem(YamlReader.Child(ua!, "productToken"), "userAgent.productToken", "use letters, '_' and '-' only (RFC 9309 §2.2.1)");
        }

        var net = Required(r, root, "", "network");
        NetworkPolicy? network = null;
        if (net is not null)
        {
            r.RejectUnknown(net, "network", "allowLoopbackInLab", "minDelayMsPublic");
            network = new NetworkPolicy(
                r.Bool(net, "network", "allowLoopbackInLab") ?? false,
                r.Number(net, "network", "minDelayMsPublic", 0, 3_600_000) ?? 1000);
        }

        var fetchMap = Required(r, root, "", "fetch");
        FetchPolicy? fetch = null;
        if (fetchMap is not null)
        {
            r.RejectUnknown(fetchMap, "fetch", "allowedContentTypes", "maxBodyBytes", "requestTimeoutSeconds", "maxRedirects",
                "maxCompressionRatio", "minBytesPerSecond", "robotsCacheHours", "notPublicSelectors", "maxConcurrentRequests", "maxElements", "maxNesting",
                "maxLinksPerPage", "maxTextChars");
            var types = r.StringList(fetchMap, "fetch", "allowedContentTypes", true).Select(t => t.Value.ToLowerInvariant()).ToList();
            fetch = new FetchPolicy(
                types,
                r.Number(fetchMap, "fetch", "maxBodyBytes", 1024, 512 * 1024 * 1024) ?? 2 * 1024 * 1024,
                r.Number(fetchMap, "fetch", "requestTimeoutSeconds", 1, 600) ?? 30,
                r.Number(fetchMap, "fetch", "maxRedirects", 0, 5) ?? 5,
                r.Number(fetchMap, "fetch", "maxCompressionRatio", 2, 10_000) ?? 100,
                r.Number(fetchMap, "fetch", "minBytesPerSecond", 0, 100_000_000) ?? 1024,
                r.Number(fetchMap, "fetch", "robotsCacheHours", 0, 24) ?? 24,
                r.StringList(fetchMap, "fetch", "notPublicSelectors", false).Select(t => t.Value).ToList(),
                r.Number(fetchMap, "fetch", "maxConcurrentRequests", 1, 64) ?? 4,
                new PageBudget(
                    r.Number(fetchMap, "fetch", "maxElements", 100, 1_000_000) ?? PageBudget.Default.MaxElements,
                    r.Number(fetchMap, "fetch", "maxNesting", 16, 4_096) ?? PageBudget.Default.MaxNesting,
                    r.Number(fetchMap, "fetch", "maxLinksPerPage", 1, 100_000) ?? PageBudget.Default.MaxLinks,
                    r.Number(fetchMap, "fetch", "maxTextChars", 1_000, 100_000_000) ?? PageBudget.Default.MaxTextChars));
        }

        var urlsMap = r.Mapping(root, "", "urls");
        var urls = UrlRules.Default;
        if (urlsMap is not null)
        {
            r.RejectUnknown(urlsMap, "urls", "trackingParameters", "deniedExtensions", "maxLength", "maxPathSegments",
                "maxQueryParameters", "maxSegmentRepeats");
            urls = new UrlRules(
                r.StringList(urlsMap, "urls", "trackingParameters", false).Select(t => t.Value),
                r.StringList(urlsMap, "urls", "deniedExtensions", false).Select(t => t.Value),
                r.Number(urlsMap, "urls", "maxLength", 64, 65_536) ?? 2048,
                r.Number(urlsMap, "urls", "maxPathSegments", 1, 1000) ?? 20,
                r.Number(urlsMap, "urls", "maxQueryParameters", 0, 1000) ?? 16,
                r.Number(urlsMap, "urls", "maxSegmentRepeats", 1, 1000) ?? 3);
        }

        var targets = Required(r, root, "", "targets");
        TargetDefaults? defaults = null;
        if (targets is not null)
        {
            r.RejectUnknown(targets, "targets", "defaults", "limits");
            var dm = Required(r, targets, "targets", "defaults");
            var lm = Required(r, targets, "targets", "limits");
            if (dm is not null && lm is not null)
            {
                string[] known = ["maxDepth", "maxPagesPerRun", "minDelayMs", "maxConcurrencyPerHost"];
                r.RejectUnknown(dm, "targets.defaults", known);
                r.RejectUnknown(lm, "targets.limits", known);
                defaults = new TargetDefaults(
                    r.Number(dm, "targets.defaults", "maxDepth", 0, 100) ?? 2,
                    r.Number(dm, "targets.defaults", "maxPagesPerRun", 1, 1_000_000) ?? 100,
                    r.Number(dm, "targets.defaults", "minDelayMs", 0, 3_600_000) ?? 1000,
                    r.Number(dm, "targets.defaults", "maxConcurrencyPerHost", 1, 64) ?? 1,
                    r.Number(lm, "targets.limits", "maxDepth", 0, 100) ?? 10,
                    r.Number(lm, "targets.limits", "maxPagesPerRun", 1, 1_000_000) ?? 10_000,
                    r.Number(lm, "targets.limits", "minDelayMs", 0, 3_600_000) ?? 0,
                    r.Number(lm, "targets.limits", "maxConcurrencyPerHost", 1, 64) ?? 4);
            }
        }

        var mandates = Required(r, root, "", "mandates");
        MandatePolicy? mandatePolicy = null;
        if (mandates is not null)
        {
            r.RejectUnknown(mandates, "mandates", "maxValidityDays", "defaultMaxPages", "defaultMaxHits", "legalBases", "reviewEveryDays", "urgentConfirmDays");
            var bases = new List<LegalBasis>();
            if (YamlReader.Child(mandates, "legalBases") is YamlSequenceNode seq)
            {
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var prefix = $"mandates.legalBases[{i}]";
                    if (seq.Children[i] is not YamlMappingNode m)
                    {
                        r.Problem(seq.Children[i], prefix, "expected a mapping with id, title and inForce");
                        continue;
                    }

                    r.RejectUnknown(m, prefix, "id", "title", "inForce");
                    var id = r.Text(m, prefix, "id", true);
                    var title = r.Text(m, prefix, "title", true);
                    var inForce = r.Bool(m, prefix, "inForce");
                    if (inForce is null)
                    {
                        r.Problem(m, prefix + ".inForce", "required field is missing");
                    }

                    if (id is not null && title is not null && inForce is not null)
                    {
                        bases.Add(new LegalBasis(id, title, inForce.Value));
                    }
                }
            }
            else
            {
                r.Problem(YamlReader.Child(mandates, "legalBases") ?? mandates, "mandates.legalBases", "required list is missing");
            }

            mandatePolicy = new MandatePolicy(
                r.Number(mandates, "mandates", "maxValidityDays", 1, 3650) ?? 90,
                r.Number(mandates, "mandates", "defaultMaxPages", 1, 10_000_000) ?? 500,
                r.Number(mandates, "mandates", "defaultMaxHits", 1, 10_000_000) ?? 100,
                bases,
                r.Number(mandates, "mandates", "reviewEveryDays", 1, 3650) ?? 90,
                r.Number(mandates, "mandates", "urgentConfirmDays", 1, 30) ?? 3);
        }

        var runs = ReadRuns(r, root);
        if (r.Problems.Count > 0)
        {
            return null!;
        }

        var version = typeof(PolicySetLoader).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return new PolicySet(
            "",
            token!,
            $"{token}/{version} (+{contact})",
            network!,
            fetch!,
            defaults!,
            mandatePolicy!,
            new IndicatorPolicy(0, []),
            new ProfileCatalog([]),
            urls,
            null!) { Runs = runs };
    }

    /// <summary>The optional <c>runs</c> section; a heartbeat that could miss the lease period would hand a live run to a second process.</summary>
    private static RunPolicy ReadRuns(YamlReader r, YamlMappingNode root)
    {
        if (r.Mapping(root, "", "runs") is not { } runs)
        {
            return RunPolicy.Default;
        }

        r.RejectUnknown(runs, "runs", "leaseSeconds", "heartbeatSeconds");
        var lease = r.Number(runs, "runs", "leaseSeconds", 10, 86_400) ?? RunPolicy.Default.LeaseSeconds;
        var heartbeat = r.Number(runs, "runs", "heartbeatSeconds", 1, 3_600) ?? RunPolicy.Default.HeartbeatSeconds;
        if (heartbeat * 2 > lease)
        {
            r.Problem(YamlReader.Child(runs, "heartbeatSeconds") ?? runs, "runs.heartbeatSeconds",
                $"must be at most half of runs.leaseSeconds ({lease}), so that a live run renews its lease at least twice before it could be taken over");
        }

        return new RunPolicy(lease, heartbeat);
    }

    private static YamlMappingNode? Required(YamlReader r, YamlMappingNode map, string prefix, string key)
    {
        var m = r.Mapping(map, prefix, key);
        if (m is null && YamlReader.Child(map, key) is null)
        {
            r.Problem(map, YamlReader.Join(prefix, key), "required section is missing");
        }

        return m;
    }

    [GeneratedRegex("^[A-Za-z_-]+$")]
    private static partial Regex ProductTokenPattern();
}
