using System.Globalization;
using Crawler.Core.Policy;

namespace Crawler.Core.Linking;

/// <summary>
/// Joins minimised hits into clusters: ads that share a contact key, a handle or an image digest, or whose texts
/// are near-duplicates (MinHash with LSH banding, so thousands of ads are not compared pair by pair), are one
/// cluster, transitively. Identifiers found in at least <see cref="LinkingPolicy.HubThreshold"/> ads are hubs:
/// reported and left out, or everything would collapse into one cluster. Pure and deterministic: the same ads
/// and policy give the same result in any input order.
/// <para>
/// Linking is a "combine" operation in the sense of the Law Enforcement Directive: the caller runs it only when
/// the mandate enables linking, and records it in the audit trail.
/// </para>
/// </summary>
public static class AdLinker
{
    public static LinkResult Link(IReadOnlyList<LinkableAd> ads, LinkingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(ads);
        ArgumentNullException.ThrowIfNull(policy);
        var sorted = ads.OrderBy(a => a.HitId).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].HitId == sorted[i - 1].HitId)
            {
                throw new ArgumentException($"hit {sorted[i].HitId} is given twice", nameof(ads));
            }
        }

        var n = sorted.Length;
        var sets = new UnionFind(n);
        var links = new List<(ClusterLink Link, int Member)>();
        var hubs = new List<LinkHub>();

        var contacts = ByIdentifier(sorted, LinkKind.Contact, a => a.ContactKeys, k => k.Trim(), policy, sets, links, hubs);
        ByIdentifier(sorted, LinkKind.Handle, a => a.Handles, h => h.Trim().TrimStart('@').ToLowerInvariant(), policy, sets, links, hubs);
        ByIdentifier(sorted, LinkKind.Image, a => a.ImageDigests, d => d.Trim().ToLowerInvariant(), policy, sets, links, hubs);
        var partners = ByText(sorted, policy, sets, links);

        var signals = Signals(sorted, contacts, partners, policy);
        return new LinkResult(Clusters(sorted, sets, links), hubs, signals);
    }

    /// <summary>Links ads per identifier value; returns, for linkable (non-hub) values, the ads that carry each.</summary>
    private static Dictionary<string, List<int>> ByIdentifier(
        LinkableAd[] ads,
        LinkKind kind,
        Func<LinkableAd, IReadOnlyList<string>> values,
        Func<string, string> normalise,
        LinkingPolicy policy,
        UnionFind sets,
        List<(ClusterLink, int)> links,
        List<LinkHub> hubs)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < ads.Length; i++)
        {
            foreach (var value in values(ads[i]).Select(normalise).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(value, out var list))
                {
                    index[value] = list = [];
                }

                list.Add(i);
            }
        }

        var linkable = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (value, members) in index.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (members.Count >= policy.HubThreshold)
            {
                hubs.Add(new LinkHub(kind, value, members.Count));
                continue;
            }

            linkable[value] = members;
            if (members.Count < 2)
            {
                continue;
            }

            foreach (var m in members)
            {
                sets.Union(members[0], m);
            }

            links.Add((new ClusterLink(kind, value, members.Select(m => ads[m].HitId).ToList()), members[0]));
        }

        return linkable;
    }

    /// <summary>Joins near-duplicate texts; returns each ad's near-duplicate partners with their similarity.</summary>
    private static List<(int Other, double Similarity)>[] ByText(LinkableAd[] ads, LinkingPolicy policy, UnionFind sets, List<(ClusterLink, int)> links)
    {
        var partners = new List<(int, double)>[ads.Length];
        for (var i = 0; i < ads.Length; i++)
        {
            partners[i] = [];
        }

        // Ads with the very same signature form one group first: a template copied a thousand times is then one
        // LSH entry, not half a million candidate pairs.
        var hasher = new MinHasher(policy);
        var groups = new List<(ulong[] Signature, List<int> Members)>();
        var bySignature = new Dictionary<ulong[], int>(SignatureComparer.Instance);
        for (var i = 0; i < ads.Length; i++)
        {
            var signature = hasher.Signature(LinkText.Normalise(ads[i].NormalisedText, ads[i].Name, ads[i].City));
            if (signature is null)
            {
                continue;
            }

            if (bySignature.TryGetValue(signature, out var g))
            {
                groups[g].Members.Add(i);
            }
            else
            {
                bySignature[signature] = groups.Count;
                groups.Add((signature, [i]));
            }
        }

        foreach (var (_, members) in groups.Where(g => g.Members.Count > 1))
        {
            foreach (var m in members)
            {
                sets.Union(members[0], m);
                partners[m].AddRange(members.Where(o => o != m).Select(o => (o, 1.0)));
            }

            links.Add((new ClusterLink(LinkKind.Text, Similarity(1), members.Select(m => ads[m].HitId).ToList()), members[0]));
        }

        var rows = policy.MinHashes / policy.Bands;
        var buckets = new Dictionary<(int Band, ulong Hash), List<int>>();
        for (var g = 0; g < groups.Count; g++)
        {
            for (var band = 0; band < policy.Bands; band++)
            {
                var key = (band, MinHasher.BandHash(groups[g].Signature, band, rows));
                if (!buckets.TryGetValue(key, out var bucket))
                {
                    buckets[key] = bucket = [];
                }

                bucket.Add(g);
            }
        }

        var candidates = new HashSet<(int, int)>();
        foreach (var bucket in buckets.Values.Where(b => b.Count > 1))
        {
            for (var x = 0; x < bucket.Count; x++)
            {
                for (var y = x + 1; y < bucket.Count; y++)
                {
                    candidates.Add((bucket[x], bucket[y]));
                }
            }
        }

        foreach (var (a, b) in candidates.Order())
        {
            var similarity = MinHasher.Similarity(groups[a].Signature, groups[b].Signature);
            if (similarity < policy.TextSimilarity)
            {
                continue;
            }

            foreach (var m in groups[a].Members)
            {
                partners[m].AddRange(groups[b].Members.Select(o => (o, similarity)));
            }

            foreach (var m in groups[b].Members)
            {
                partners[m].AddRange(groups[a].Members.Select(o => (o, similarity)));
            }

            // Only the text links that joined two parts are reported: they are the ones that explain the cluster.
            if (sets.Union(groups[a].Members[0], groups[b].Members[0]))
            {
                var hits = groups[a].Members.Concat(groups[b].Members).Select(m => ads[m].HitId).Order().ToList();
                links.Add((new ClusterLink(LinkKind.Text, Similarity(similarity), hits), groups[a].Members[0]));
            }
        }

        return partners;
    }

    private static Dictionary<long, LinkSignals> Signals(
        LinkableAd[] ads, Dictionary<string, List<int>> contacts, List<(int Other, double Similarity)>[] partners, LinkingPolicy policy)
    {
        var shared = new List<SharedContactSignal>[ads.Length];
        var keysOf = new HashSet<string>[ads.Length];
        for (var i = 0; i < ads.Length; i++)
        {
            shared[i] = [];
            keysOf[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        foreach (var (key, members) in contacts.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var m in members)
            {
                keysOf[m].Add(key);
            }

            if (members.Count < 2)
            {
                continue;
            }

            var names = members.Select(m => LinkText.Fold(ads[m].Name)).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).Count();
            var ages = members.SelectMany(m => ads[m].Ages).Distinct().Count();
            var cities = members.Select(m => LinkText.Fold(ads[m].City)).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).Count();
            if (Math.Max(names, Math.Max(ages, cities)) < policy.SharedContactMinDistinct)
            {
                continue;
            }

            var signal = new SharedContactSignal(key, members.Select(m => ads[m].HitId).ToList(), names, ages, cities);
            foreach (var m in members)
            {
                shared[m].Add(signal);
            }
        }

        var result = new Dictionary<long, LinkSignals>(ads.Length);
        for (var i = 0; i < ads.Length; i++)
        {
            // A template with another contact: both ads name a (non-hub) contact and share none. Without a contact
            // on either side there is nothing to tell "another writer" from "the same one".
            var templates = keysOf[i].Count == 0
                ? []
                : partners[i]
                    .Where(p => keysOf[p.Other].Count > 0 && !keysOf[p.Other].Overlaps(keysOf[i]))
                    .GroupBy(p => p.Other)
                    .Select(g => new TemplateTextSignal(ads[g.Key].HitId, g.Max(p => p.Similarity)))
                    .OrderByDescending(t => t.Similarity).ThenBy(t => t.OtherHitId)
                    .ToList();
            result[ads[i].HitId] = shared[i].Count == 0 && templates.Count == 0 ? LinkSignals.None : new LinkSignals(shared[i], templates);
        }

        return result;
    }

    private static List<AdCluster> Clusters(LinkableAd[] ads, UnionFind sets, List<(ClusterLink Link, int Member)> links)
    {
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < ads.Length; i++)
        {
            var root = sets.Find(i);
            if (!members.TryGetValue(root, out var list))
            {
                members[root] = list = [];
            }

            list.Add(i);
        }

        // Ads are sorted by hit id, so each list is too and its first member has the lowest id.
        var clusters = members.Values.Where(m => m.Count > 1).OrderBy(m => m[0]).ToList();
        var linksByRoot = links.ToLookup(l => sets.Find(l.Member), l => l.Link);
        return clusters.Select((m, i) => new AdCluster(
                i + 1,
                m.Select(x => ads[x].HitId).ToList(),
                linksByRoot[sets.Find(m[0])]
                    .OrderBy(l => l.Kind).ThenBy(l => l.Value, StringComparer.Ordinal).ThenBy(l => l.HitIds[0])
                    .ToList()))
            .ToList();
    }

    private static string Similarity(double s) => s.ToString("'similarity '0.00", CultureInfo.InvariantCulture);

    private sealed class SignatureComparer : IEqualityComparer<ulong[]>
    {
        public static readonly SignatureComparer Instance = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] obj)
        {
            var h = new HashCode();
            foreach (var v in obj)
            {
                h.Add(v);
            }

            return h.ToHashCode();
        }
    }
}
