namespace Crawler.Evidence;

/// <summary>
/// Compares the records a (signed) list claims with the records actually in a file. Every difference is
/// named by the record it concerns, so an expert can point at it: a record added or removed, one moved out
/// of order, or one whose type, target or digests differ from what was listed.
/// </summary>
public static class WarcRecordList
{
    /// <summary>
    /// The problems found; empty when <paramref name="actual"/> is exactly <paramref name="listed"/>.
    /// Records are paired by WARC-Record-ID; of the paired records, the largest set that still stands in the listed
    /// order is taken as in place and the others are named as moved, so one removal does not make every later
    /// record look moved.
    /// </summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<WarcRecordEntry> listed, IReadOnlyList<WarcRecordEntry> actual)
    {
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(actual);
        var problems = new List<string>();
        var listedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < listed.Count; i++)
        {
            if (listed[i].Index != i)
            {
                problems.Add($"the manifest's record list gives entry {i} ({listed[i].Type}, {listed[i].RecordId}) the index {listed[i].Index}");
            }

            if (!listedAt.TryAdd(listed[i].RecordId, i))
            {
                problems.Add($"the manifest's record list names {listed[i].RecordId} twice (entries {listedAt[listed[i].RecordId]} and {i})");
            }
        }

        // Each file record is paired with the listed entry of its id, at most once.
        var pairs = new List<(WarcRecordEntry Actual, int Listed)>();
        var paired = new HashSet<int>();
        var firstWithId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in actual)
        {
            var earlier = firstWithId.TryGetValue(record.RecordId, out var first);
            firstWithId.TryAdd(record.RecordId, record.Index);
            if (listedAt.TryGetValue(record.RecordId, out var at) && paired.Add(at))
            {
                pairs.Add((record, at));
            }
            else if (earlier)
            {
                problems.Add($"{record.Describe()}: a second record with the WARC-Record-ID of record {first}; the manifest lists it once");
            }
            else
            {
                problems.Add($"{record.Describe()}: not in the manifest's record list (added after the export)");
            }
        }

        for (var i = 0; i < listed.Count; i++)
        {
            if (!paired.Contains(i))
            {
                problems.Add($"record {i} ({listed[i].Type}, {listed[i].RecordId}): listed in the manifest but missing from the file (removed after the export)");
            }
        }

        var inOrder = LongestIncreasing(pairs.Select(p => p.Listed).ToList());
        for (var p = 0; p < pairs.Count; p++)
        {
            var (record, at) = pairs[p];
            var entry = listed[at];
            if (!inOrder.Contains(p))
            {
                problems.Add($"{record.Describe()}: out of order: the manifest lists it as record {at}");
            }

            Differs(problems, record, "WARC-Type", record.Type, entry.Type);
            Differs(problems, record, "WARC-Target-URI", record.TargetUri, entry.TargetUri);
            Differs(problems, record, "WARC-Block-Digest", record.BlockDigest, entry.BlockDigest);
            Differs(problems, record, "WARC-Payload-Digest", record.PayloadDigest, entry.PayloadDigest);
        }

        return problems;
    }

    private static void Differs(List<string> problems, WarcRecordEntry record, string field, string? inFile, string? listed)
    {
        if (!string.Equals(inFile, listed, StringComparison.Ordinal))
        {
            problems.Add($"{record.Describe()}: its {field} is {Shown(inFile)} in the file but {Shown(listed)} in the manifest (the record was changed after the export)");
        }
    }

    private static string Shown(string? value) => value is null ? "absent" : $"'{value}'";

    /// <summary>Positions of one longest strictly increasing subsequence (patience sorting, O(n log n)).</summary>
    private static HashSet<int> LongestIncreasing(List<int> values)
    {
        var tails = new List<int>();
        var previous = new int[values.Count];
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (values[tails[mid]] < value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            previous[i] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count)
            {
                tails.Add(i);
            }
            else
            {
                tails[lo] = i;
            }
        }

        var result = new HashSet<int>();
        for (var i = tails.Count > 0 ? tails[^1] : -1; i >= 0; i = previous[i])
        {
            result.Add(i);
        }

        return result;
    }
}
