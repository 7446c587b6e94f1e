using Crawler.Core.Network;

namespace Crawler.Documents;

/// <summary>Parses and validates a target file. Pure: the caller reads the file.</summary>
public static class TargetFile
{
    private static readonly string[] TopFields = ["name", "seeds", "scope", "politeness", "schedule", "profile"];

    /// <summary>
    /// Parses a target file; <paramref name="isValidCron"/> checks a Quartz cron expression, a grammar the scheduler owns.
    /// A loopback seed is accepted only when <paramref name="labInstallation"/> is set and the policy allows it.
    /// </summary>
    public static TargetSpec Parse(string file, string text, PolicySet policy, Func<string, bool> isValidCron, bool labInstallation = false)
    {
        var (r, root) = YamlReader.Open(file, text);
        if (root is null)
        {
            r.ThrowIfProblems();
            throw new InvalidOperationException("unreachable");
        }

        r.RejectUnknown(root, "", TopFields);
        var name = r.Text(root, "", "name", required: true);
        if (name is not null && !IsValidName(name))
        {
            r.Problem(YamlReader.Child(root, "name"), "name",
                "use 2-64 characters: lower-case letters, digits and '-' (it is how mandates refer to the target)");
        }

        var seeds = new List<string>();
        foreach (var (value, node) in r.StringList(root, "", "seeds", required: true))
        {
            if (CanonicalUrl.TryCreate(value, out var url, out var why))
            {
                if (NotPublic(url, policy, labInstallation) is { } refusal)
                {
                    r.Problem(node, "seeds", $"'{value}' {refusal}");
                }
                else
                {
                    seeds.Add(url.ToString());
                }
            }
            else
            {
                r.Problem(node, "seeds", $"'{value}' is not a usable URL: {why}");
            }
        }

        var d = policy.TargetDefaults;
        var scopeMap = r.Mapping(root, "", "scope");
        var hosts = new List<string>();
        var include = new List<string>();
        var exclude = new List<string>();
        int? maxDepth = null, maxPages = null;
        if (scopeMap is not null)
        {
            r.RejectUnknown(scopeMap, "scope", "hosts", "include", "exclude", "maxDepth", "maxPagesPerRun");
            foreach (var (value, node) in r.StringList(scopeMap, "scope", "hosts", required: false))
            {
                if (HostPattern.TryNormalise(value, out var host))
                {
                    hosts.Add(host);
                }
                else
                {
                    r.Problem(node, "scope.hosts", $"'{value}' is not a host name or '*.domain' pattern");
                }
            }

            include.AddRange(Patterns(r, scopeMap, "include"));
            exclude.AddRange(Patterns(r, scopeMap, "exclude"));
            maxDepth = r.Number(scopeMap, "scope", "maxDepth", 0, d.MaxDepthLimit);
            maxPages = r.Number(scopeMap, "scope", "maxPagesPerRun", 1, d.MaxPagesPerRunLimit);
        }

        // Without an explicit host list the scope is the seeds' own hosts: the narrowest reading.
        if (hosts.Count == 0)
        {
            hosts.AddRange(seeds.Select(s => new Uri(s).Host).Distinct(StringComparer.Ordinal));
        }

        foreach (var seed in seeds)
        {
            var host = new Uri(seed).Host;
            if (!hosts.Any(h => HostPattern.Matches(h, host)))
            {
                r.Problem(YamlReader.Child(root, "seeds"), "seeds", $"seed host '{host}' is outside scope.hosts");
            }
        }

        var politeMap = r.Mapping(root, "", "politeness");
        int? minDelay = null, concurrency = null;
        if (politeMap is not null)
        {
            r.RejectUnknown(politeMap, "politeness", "minDelayMs", "maxConcurrencyPerHost");
            minDelay = r.Number(politeMap, "politeness", "minDelayMs", d.MinDelayMsFloor, 3_600_000);
            concurrency = r.Number(politeMap, "politeness", "maxConcurrencyPerHost", 1, d.MaxConcurrencyPerHostLimit);
        }

        var schedule = r.Text(root, "", "schedule", required: false);
        if (schedule is not null && !isValidCron(schedule))
        {
            r.Problem(YamlReader.Child(root, "schedule"), "schedule",
                $"'{schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week)");
        }

        var profile = r.Text(root, "", "profile", required: false) ?? "generic";
        if (!policy.Profiles.Contains(profile, StringComparer.Ordinal))
        {
            r.Problem(YamlReader.Child(root, "profile"), "profile",
                $"unknown extraction profile '{profile}' (known: {string.Join(", ", policy.Profiles)})");
        }

        r.ThrowIfProblems();
        return new TargetSpec(
            name!,
            seeds,
            new CrawlScope(hosts, include, exclude, maxDepth ?? d.MaxDepth, maxPages ?? d.MaxPagesPerRun),
            new Politeness(minDelay ?? d.MinDelayMs, concurrency ?? d.MaxConcurrencyPerHost),
            schedule,
            profile);
    }

    /// <summary>
    /// A target as a target file that <see cref="Parse"/> reads back to the same target: every field written out (the
    /// defaults it was given too), every text quoted, so the console's edit form starts from exactly what is stored.
    /// </summary>
    public static string Write(TargetSpec spec)
    {
        static string Q(string text) => System.Text.Json.JsonSerializer.Serialize(text);
        static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Q)) + "]";
        var s = spec.Scope;
        var yaml = new System.Text.StringBuilder()
            .Append("name: ").AppendLine(Q(spec.Name))
            .Append("seeds: ").AppendLine(List(spec.Seeds))
            .AppendLine("scope:")
            .Append("  hosts: ").AppendLine(List(s.Hosts))
            .Append("  include: ").AppendLine(List(s.Include))
            .Append("  exclude: ").AppendLine(List(s.Exclude))
            .Append("  maxDepth: ").AppendLine(s.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append("  maxPagesPerRun: ").AppendLine(s.MaxPagesPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .AppendLine("politeness:")
            .Append("  minDelayMs: ").AppendLine(spec.Politeness.MinDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append("  maxConcurrencyPerHost: ").AppendLine(spec.Politeness.MaxConcurrencyPerHost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (spec.Schedule is { } cron)
        {
            yaml.Append("schedule: ").AppendLine(Q(cron));
        }

        return yaml.Append("profile: ").AppendLine(Q(spec.Profile)).ToString();
    }

    public static bool IsValidName(string name) =>
        name.Length is >= 2 and <= 64 &&
        name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') &&
        char.IsAsciiLetterLower(name[0]);

    private static IEnumerable<string> Patterns(YamlReader r, YamlDotNet.RepresentationModel.YamlMappingNode map, string key)
    {
        foreach (var (value, node) in r.StringList(map, "scope", key, required: false))
        {
            var error = CompiledScope.Validate(value);
            if (error is null)
            {
                yield return value;
            }
            else
            {
                r.Problem(node, "scope." + key, $"'{value}' is not a valid regular expression: {error}");
            }
        }
    }

    /// <summary>
    /// Why a seed can never be crawled because of its address, or null. Only what the URL itself shows is judged (an
    /// address literal or a loopback name): a name's DNS answer can change, so the fetcher judges every connection again.
    /// </summary>
    private static string? NotPublic(Uri url, PolicySet policy, bool labInstallation)
    {
        var host = url.IdnHost.Trim('[', ']');
        var kind = System.Net.IPAddress.TryParse(host, out var address)
            ? AddressClass.Classify(address)
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
                ? AddressKind.Loopback
                : AddressKind.Public;
        return AddressClass.MayConnect(kind, labInstallation, policy.Network.AllowLoopbackInLab)
            ? null
            : $"is on a {kind.ToString().ToLowerInvariant()} address, not a public source" +
              (kind == AddressKind.Loopback ? " (loopback is allowed only in a lab installation whose policy allows it)" : "");
    }
}
