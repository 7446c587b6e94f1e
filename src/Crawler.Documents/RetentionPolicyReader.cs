using YamlDotNet.RepresentationModel;

namespace Crawler.Documents;

/// <summary>Reads policies/retention.yaml, naming file, line and field for every problem.</summary>
public static class RetentionPolicyReader
{
    public const string FileName = "retention.yaml";

    private const int MaxDays = 36_600;

    public static RetentionPolicy Read(PolicyFileText file)
    {
        var (r, root) = YamlReader.Open(file.Name, file.Text);
        if (root is null)
        {
            r.ThrowIfProblems();
            throw new InputException(new InputProblem(file.Name, 0, 0, "(file)", "empty retention policy"));
        }

        r.RejectUnknown(root, "", "snapshots", "unreviewed", "needs-more", "not-relevant", "relevant", "restricted", "audit", "schedule");
        var snapshots = Period(r, root, "", "snapshots", required: true);
        var unreviewed = Period(r, root, "", "unreviewed", required: true);
        var needsMore = Period(r, root, "", "needs-more", required: true);
        var notRelevant = Period(r, root, "", "not-relevant", required: true);
        var relevant = r.Mapping(root, "", "relevant");
        RetentionPeriod? art8 = null, art9 = null;
        if (relevant is null)
        {
            r.Problem(root, "relevant", "required section is missing");
        }
        else
        {
            r.RejectUnknown(relevant, "relevant", "art9", "art8");
            art9 = Period(r, relevant, "relevant", "art9", required: true);
            art8 = Period(r, relevant, "relevant", "art8", required: true);
        }

        var restricted = Days(r, root, "restricted", "days");
        var audit = Days(r, root, "audit", "days");
        var schedule = r.Text(root, "", "schedule", required: true);
        r.ThrowIfProblems();
        return new RetentionPolicy(snapshots!, unreviewed!, needsMore!, notRelevant!, art9!, art8!, restricted!.Value, audit!.Value, schedule!);
    }

    private static RetentionPeriod? Period(YamlReader r, YamlMappingNode map, string prefix, string key, bool required)
    {
        var field = YamlReader.Join(prefix, key);
        var section = r.Mapping(map, prefix, key);
        if (section is null)
        {
            if (required)
            {
                r.Problem(map, field, "required section is missing");
            }

            return null;
        }

        r.RejectUnknown(section, field, "afterFetch", "afterReview", "afterMandateEnd");
        var period = new RetentionPeriod(
            r.Number(section, field, "afterFetch", 0, MaxDays),
            r.Number(section, field, "afterReview", 0, MaxDays),
            r.Number(section, field, "afterMandateEnd", 0, MaxDays));
        if (period.IsEmpty)
        {
            // A kind of data without any period would be kept for ever: the opposite of what retention is for.
            r.Problem(section, field, "give at least one of afterFetch, afterReview, afterMandateEnd");
        }

        return period;
    }

    private static int? Days(YamlReader r, YamlMappingNode root, string key, string inner)
    {
        var section = r.Mapping(root, "", key);
        if (section is null)
        {
            r.Problem(root, key, "required section is missing");
            return null;
        }

        r.RejectUnknown(section, key, inner);
        var days = r.Number(section, key, inner, 0, MaxDays);
        if (days is null)
        {
            r.Problem(section, YamlReader.Join(key, inner), "required field is missing");
        }

        return days;
    }
}
