
namespace Crawler.Documents;

/// <summary>Parses and validates a mandate file against the policy set. Pure: the caller reads the file.</summary>
public static class MandateFile
{
    private static readonly string[] TopFields =
    [
        "case", "caseName", "legalBasis", "wpgPurpose", "purpose", "offence", "suspect", "factsAndCircumstances",
        "targets", "validFrom", "validUntil", "limits", "dataCategories", "linking", "robotsOverride",
        "targetType", "targetDescription", "keywords", "snapshots", "recrawlIntervalHours", "justifications",
    ];

    private static readonly Dictionary<string, DataCategory> CategoryNames =
        Enum.GetValues<DataCategory>().ToDictionary(c => c.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    public static MandateSpec Parse(string file, string text, PolicySet policy)
    {
        var (r, root) = YamlReader.Open(file, text);
        if (root is null)
        {
            r.ThrowIfProblems();
            throw new InvalidOperationException("unreachable");
        }

        r.RejectUnknown(root, "", TopFields);
        var caseNumber = r.Text(root, "", "case", true);
        var caseName = r.Text(root, "", "caseName", true);
        var legalBasis = r.Text(root, "", "legalBasis", true);
        if (legalBasis is not null)
        {
            var basis = policy.Mandates.LegalBases.FirstOrDefault(b => b.Id == legalBasis);
            if (basis is null)
            {
                r.Problem(YamlReader.Child(root, "legalBasis"), "legalBasis",
                    $"unknown legal basis '{legalBasis}' (known: {string.Join(", ", policy.Mandates.LegalBases.Select(b => b.Id))})");
            }
            else if (!basis.InForce)
            {
                r.Problem(YamlReader.Child(root, "legalBasis"), "legalBasis",
                    $"'{legalBasis}' ({basis.Title}) is not in force according to the policy");
            }
        }

        var purposeText = r.Text(root, "", "wpgPurpose", true);
        var wpg = WpgPurpose.Art9;
        if (purposeText is not null && !TryParseWpg(purposeText, out wpg))
        {
            r.Problem(YamlReader.Child(root, "wpgPurpose"), "wpgPurpose", $"expected art9 or art8, got '{purposeText}'");
        }

        var purpose = r.Text(root, "", "purpose", true);
        var offence = r.Text(root, "", "offence", true);
        var suspect = r.Text(root, "", "suspect", true);
        var facts = r.Text(root, "", "factsAndCircumstances", true);
        var targets = new List<string>();
        foreach (var (value, node) in r.StringList(root, "", "targets", true))
        {
            if (TargetFile.IsValidName(value))
            {
                targets.Add(value);
            }
            else
            {
                r.Problem(node, "targets", $"'{value}' is not a target name");
            }
        }

        var from = r.Timestamp(root, "", "validFrom", true);
        var until = r.Timestamp(root, "", "validUntil", true);
        if (from is not null && until is not null)
        {
            if (until <= from)
            {
                r.Problem(YamlReader.Child(root, "validUntil"), "validUntil", "must be after validFrom");
            }
            else if (until.Value - from.Value > TimeSpan.FromDays(policy.Mandates.MaxValidityDays))
            {
                r.Problem(YamlReader.Child(root, "validUntil"), "validUntil",
                    $"the window is {(until.Value - from.Value).TotalDays:0.#} days; the policy allows at most {policy.Mandates.MaxValidityDays} per approval");
            }
        }

        int? maxPages = null, maxHits = null, maxContacts = null;
        var limits = r.Mapping(root, "", "limits");
        if (limits is not null)
        {
            r.RejectUnknown(limits, "limits", "maxPages", "maxHits", "maxContacts");
            maxPages = r.Number(limits, "limits", "maxPages", 1, 10_000_000);
            maxHits = r.Number(limits, "limits", "maxHits", 1, 10_000_000);
            maxContacts = r.Number(limits, "limits", "maxContacts", 1, 10_000_000);
        }

        var categories = new Dictionary<DataCategory, Treatment>();
        var catMap = r.Mapping(root, "", "dataCategories");
        if (catMap is not null)
        {
            foreach (var (keyNode, valueNode) in catMap.Children)
            {
                var key = (keyNode as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value ?? "";
                var field = "dataCategories." + key;
                // Exact names only: Enum.TryParse would also accept "phone,email" and combine the values.
                if (!CategoryNames.TryGetValue(key, out var category))
                {
                    r.Problem(keyNode, field,
                        $"unknown data category (known: {string.Join(", ", Enum.GetNames<DataCategory>().Select(n => n.ToLowerInvariant()))})");
                    continue;
                }

                var value = (valueNode as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value;
                Treatment? treatment = value switch
                {
                    "keep" => Treatment.Keep,
                    "pseudonymise" => Treatment.Pseudonymise,
                    "drop" => Treatment.Drop,
                    _ => null,
                };
                if (treatment is null)
                {
                    r.Problem(valueNode, field, $"expected keep, pseudonymise or drop, got '{value}'");
                }
                else if (category is DataCategory.Text or DataCategory.Images && treatment == Treatment.Pseudonymise)
                {
                    r.Problem(valueNode, field, $"{key} can be kept or dropped, not pseudonymised");
                }
                else
                {
                    categories[category] = treatment.Value;
                }
            }
        }

        var linking = r.Bool(root, "", "linking") ?? false;
        string? robotsOverride = null;
        if (r.Mapping(root, "", "robotsOverride") is { } overrideMap)
        {
            r.RejectUnknown(overrideMap, "robotsOverride", "justification");
            robotsOverride = r.Text(overrideMap, "robotsOverride", "justification", true);
            if (robotsOverride is { Length: < 20 })
            {
                r.Problem(YamlReader.Child(overrideMap, "justification"), "robotsOverride.justification",
                    "explain why robots.txt may be overridden (at least 20 characters): the officer weighs this text");
            }
        }

        TargetType? targetType = null;
        if (r.Text(root, "", "targetType", false) is { } typeText)
        {
            targetType = typeText switch
            {
                "phenomenon" => TargetType.Phenomenon,
                "group" => TargetType.Group,
                "person" => TargetType.Person,
                _ => null,
            };
            if (targetType is null)
            {
                r.Problem(YamlReader.Child(root, "targetType"), "targetType", $"expected phenomenon, group or person, got '{typeText}'");
            }
        }

        var targetDescription = r.Text(root, "", "targetDescription", targetType is TargetType.Group or TargetType.Person);
        var keywords = r.StringList(root, "", "keywords", false).Select(k => k.Value).ToList();
        var snapshots = r.Bool(root, "", "snapshots");
        var recrawl = r.Number(root, "", "recrawlIntervalHours", 1, 24 * 365);
        Dictionary<string, string>? justifications = null;
        if (r.Mapping(root, "", "justifications") is { } jmap)
        {
            justifications = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, _) in jmap.Children)
            {
                var key = (keyNode as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value ?? "";
                if (!KoopsFactor.All.Contains(key, StringComparer.Ordinal))
                {
                    r.Problem(keyNode, "justifications." + key, $"unknown Koops factor (known: {string.Join(", ", KoopsFactor.All)})");
                    continue;
                }

                if (r.Text(jmap, "justifications", key, true) is { } justification)
                {
                    justifications[key] = justification;
                }
            }
        }

        r.ThrowIfProblems();
        return new MandateSpec(
            caseNumber!, caseName!, legalBasis!, wpg, purpose!, offence!, suspect!, facts!, targets,
            from!.Value, until!.Value,
            new MandateLimits(maxPages ?? policy.Mandates.DefaultMaxPages, maxHits ?? policy.Mandates.DefaultMaxHits, maxContacts),
            categories, linking, robotsOverride, targetType, targetDescription, keywords.Count == 0 ? null : keywords, snapshots, recrawl,
            justifications is { Count: > 0 } ? justifications : null);
    }

    private static bool TryParseWpg(string text, out WpgPurpose purpose)
    {
        switch (text.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).ToLowerInvariant())
        {
            case "art9":
            case "9":
                purpose = WpgPurpose.Art9;
                return true;
            case "art8":
            case "8":
                purpose = WpgPurpose.Art8;
                return true;
            default:
                purpose = WpgPurpose.Art9;
                return false;
        }
    }
}
