using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>Reads policies/koops.yaml, naming file, line and field for every problem.</summary>
internal static class KoopsPolicyReader
{
    public static KoopsPolicy? Read(YamlReader r, YamlMappingNode root)
    {
        r.RejectUnknown(root, "", "factors", "overall", "levels");
        var factors = Section(r, root, "", "factors");
        var overall = Section(r, root, "", "overall");
        var levelsMap = Section(r, root, "", "levels");
        if (factors is null || overall is null || levelsMap is null)
        {
            return null;
        }

        r.RejectUnknown(factors, "factors", [.. KoopsFactor.All]);
        var duration = Section(r, factors, "factors", KoopsFactor.Duration);
        var frequency = Section(r, factors, "factors", KoopsFactor.Frequency);
        var place = Section(r, factors, "factors", KoopsFactor.Place);
        var aid = Section(r, factors, "factors", KoopsFactor.TechnicalAid);
        var amount = Section(r, factors, "factors", KoopsFactor.Amount);
        var sensitivity = Section(r, factors, "factors", KoopsFactor.Sensitivity);
        var combination = Section(r, factors, "factors", KoopsFactor.Combination);
        var targeting = Section(r, factors, "factors", KoopsFactor.Targeting);
        var third = Section(r, factors, "factors", KoopsFactor.ThirdParties);
        if (duration is null || frequency is null || place is null || aid is null || amount is null || sensitivity is null ||
            combination is null || targeting is null || third is null)
        {
            return null;
        }

        var durationT = Pair(r, duration, "factors.duration", "systematicAbove", "beyondAbove");
        r.RejectUnknown(frequency, "factors.frequency", "systematicBelow", "beyondBelow");
        var recrawlSys = r.Number(frequency, "factors.frequency", "systematicBelow", 0, 100_000);
        var recrawlBeyond = r.Number(frequency, "factors.frequency", "beyondBelow", 0, 100_000);
        var placeT = Pair(r, place, "factors.place", "systematicAbove", "beyondAbove");
        r.RejectUnknown(aid, "factors.technical-aid", "level");
        var aidLevel = Level(r, aid, "factors.technical-aid", "level");
        r.RejectUnknown(amount, "factors.amount", "pagesSystematicAbove", "pagesBeyondAbove", "hitsSystematicAbove", "hitsBeyondAbove",
            "contactsSystematicAbove", "contactsBeyondAbove");
        var pages = Pair(r, amount, "factors.amount", "pagesSystematicAbove", "pagesBeyondAbove", reject: false);
        var hits = Pair(r, amount, "factors.amount", "hitsSystematicAbove", "hitsBeyondAbove", reject: false);
        var contacts = Pair(r, amount, "factors.amount", "contactsSystematicAbove", "contactsBeyondAbove", reject: false);
        r.RejectUnknown(sensitivity, "factors.sensitivity", "imagesKept", "namesKept");
        var images = Level(r, sensitivity, "factors.sensitivity", "imagesKept");
        var names = Level(r, sensitivity, "factors.sensitivity", "namesKept");
        r.RejectUnknown(combination, "factors.combination", "linking");
        var linking = Level(r, combination, "factors.combination", "linking");
        r.RejectUnknown(targeting, "factors.targeting", "phenomenon", "group", "person");
        var targetingLevels = new Dictionary<TargetType, IntrusionLevel>
        {
            [TargetType.Phenomenon] = Level(r, targeting, "factors.targeting", "phenomenon"),
            [TargetType.Group] = Level(r, targeting, "factors.targeting", "group"),
            [TargetType.Person] = Level(r, targeting, "factors.targeting", "person"),
        };
        r.RejectUnknown(third, "factors.third-parties", "identifiersInClear", "fullText");
        var clear = Level(r, third, "factors.third-parties", "identifiersInClear");
        var fullText = Level(r, third, "factors.third-parties", "fullText");

        r.RejectUnknown(overall, "overall", "beyondWhenSystematicFactorsAtLeast");
        var beyondCount = r.Number(overall, "overall", "beyondWhenSystematicFactorsAtLeast", 1, KoopsFactor.All.Count + 1) ?? KoopsFactor.All.Count + 1;

        r.RejectUnknown(levelsMap, "levels", "minor", "systematic", "beyond-policy");
        var levels = new Dictionary<IntrusionLevel, LevelRequirement>();
        foreach (var (name, level) in new[] { ("minor", IntrusionLevel.Minor), ("systematic", IntrusionLevel.Systematic), ("beyond-policy", IntrusionLevel.BeyondPolicy) })
        {
            if (r.Mapping(levelsMap, "levels", name) is not { } lm)
            {
                continue;
            }

            var prefix = "levels." + name;
            r.RejectUnknown(lm, prefix, "legalBases", "approver");
            var bases = r.StringList(lm, prefix, "legalBases", true).Select(b => b.Value).ToList();
            var approverText = r.Text(lm, prefix, "approver", true);
            if (approverText is not null && (!User.TryParseRole(approverText, out var approver) || approver != Role.Officer))
            {
                r.Problem(YamlReader.Child(lm, "approver"), prefix + ".approver", "only an officer approves mandates");
                continue;
            }

            levels[level] = new LevelRequirement(bases, Role.Officer);
        }

        if (r.Problems.Count > 0 || durationT is null || placeT is null || pages is null || hits is null || contacts is null ||
            recrawlSys is null || recrawlBeyond is null)
        {
            if (recrawlSys is null || recrawlBeyond is null)
            {
                r.Problem(frequency, "factors.frequency", "systematicBelow and beyondBelow are required");
            }

            return null;
        }

        return new KoopsPolicy(durationT, recrawlSys.Value, recrawlBeyond.Value, placeT, aidLevel, pages, hits, contacts, images, names,
            linking, targetingLevels, clear, fullText, beyondCount, levels);
    }

    private static YamlMappingNode? Section(YamlReader r, YamlMappingNode map, string prefix, string key)
    {
        var m = r.Mapping(map, prefix, key);
        if (m is null && YamlReader.Child(map, key) is null)
        {
            r.Problem(map, YamlReader.Join(prefix, key), "required section is missing");
        }

        return m;
    }

    private static Thresholds? Pair(YamlReader r, YamlMappingNode map, string prefix, string low, string high, bool reject = true)
    {
        if (reject)
        {
            r.RejectUnknown(map, prefix, low, high);
        }

        var a = r.Number(map, prefix, low, 0, int.MaxValue);
        var b = r.Number(map, prefix, high, 0, int.MaxValue);
        if (a is null || b is null)
        {
            r.Problem(map, prefix, $"{low} and {high} are required");
            return null;
        }

        if (b < a)
        {
            r.Problem(YamlReader.Child(map, high), YamlReader.Join(prefix, high), $"must not be below {low}");
            return null;
        }

        return new Thresholds(a.Value, b.Value);
    }

    private static IntrusionLevel Level(YamlReader r, YamlMappingNode map, string prefix, string key)
    {
        var text = r.Text(map, prefix, key, true);
        switch (text)
        {
            case "minor":
                return IntrusionLevel.Minor;
            case "systematic":
                return IntrusionLevel.Systematic;
            case "beyond-policy":
                return IntrusionLevel.BeyondPolicy;
            case null:
                return IntrusionLevel.Systematic;
            default:
                r.Problem(YamlReader.Child(map, key), YamlReader.Join(prefix, key), $"expected minor, systematic or beyond-policy, got '{text}'");
                return IntrusionLevel.Systematic;
        }
    }
}
