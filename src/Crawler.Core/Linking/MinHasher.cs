using Crawler.Core.Policy;

namespace Crawler.Core.Linking;

/// <summary>
/// MinHash signatures over word shingles. The hash family is derived from the policy's seed with SplitMix64 and
/// shingles are hashed with FNV-1a (never string.GetHashCode, which differs per process), so the same ads and
/// policy give the same signatures on every machine and every run.
/// </summary>
internal sealed class MinHasher
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly ulong[] _seeds;
    private readonly int _shingleWords;
    private readonly int _minWords;

    public MinHasher(LinkingPolicy policy)
    {
        _shingleWords = policy.ShingleWords;
        _minWords = policy.MinWords;
        _seeds = new ulong[policy.MinHashes];
        var state = (ulong)policy.Seed;
        for (var i = 0; i < _seeds.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            _seeds[i] = Mix(state);
        }
    }

    /// <summary>The signature of a normalised text, or null when it has too few words to compare.</summary>
    public ulong[]? Signature(string normalised)
    {
        var words = normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length < _minWords)
        {
            return null;
        }

        var width = Math.Min(_shingleWords, words.Length);
        var shingles = new HashSet<ulong>();
        for (var start = 0; start + width <= words.Length; start++)
        {
            var h = FnvOffset;
            for (var w = start; w < start + width; w++)
            {
                foreach (var c in words[w])
                {
                    h = (h ^ c) * FnvPrime;
                }

                h = (h ^ ' ') * FnvPrime;
            }

            shingles.Add(h);
        }

        var signature = new ulong[_seeds.Length];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var s in shingles)
        {
            for (var i = 0; i < _seeds.Length; i++)
            {
                var v = Mix(s ^ _seeds[i]);
                if (v < signature[i])
                {
                    signature[i] = v;
                }
            }
        }

        return signature;
    }

    /// <summary>The share of equal positions: an unbiased estimate of the Jaccard similarity of the two shingle sets.</summary>
    public static double Similarity(ulong[] a, ulong[] b)
    {
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return (double)equal / a.Length;
    }

    /// <summary>Hash of one LSH band: signatures that agree on every row of a band fall in the same bucket.</summary>
    public static ulong BandHash(ulong[] signature, int band, int rows)
    {
        var h = FnvOffset ^ (ulong)band;
        for (var i = band * rows; i < (band + 1) * rows; i++)
        {
            h = Mix(h ^ signature[i]);
        }

        return h;
    }

    // The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
