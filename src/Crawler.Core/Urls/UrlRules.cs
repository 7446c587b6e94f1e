using System.Collections.Frozen;

namespace Crawler.Core.Urls;

/// <summary>Policy for URLs themselves: which query parameters are tracking noise, which file types are never fetched.</summary>
public sealed class UrlRules
{
    private readonly FrozenSet<string> _trackingNames;
    private readonly string[] _trackingPrefixes;
    private readonly FrozenSet<string> _denied;

    public UrlRules(IEnumerable<string> trackingParameters, IEnumerable<string> deniedExtensions,
        int maxLength = 2048, int maxPathSegments = 20, int maxQueryParameters = 16, int maxSegmentRepeats = 3)
    {
        MaxLength = maxLength;
        MaxPathSegments = maxPathSegments;
        MaxQueryParameters = maxQueryParameters;
        MaxSegmentRepeats = maxSegmentRepeats;
        var tracking = trackingParameters.ToList();
        TrackingParameters = tracking;
        _trackingNames = tracking.Where(t => !t.EndsWith('*')).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _trackingPrefixes = tracking.Where(t => t.EndsWith('*')).Select(t => t[..^1]).ToArray();
        DeniedExtensions = deniedExtensions.Select(e => e.TrimStart('.').ToLowerInvariant()).ToList();
        _denied = DeniedExtensions.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public static UrlRules Default { get; } = new(["utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "_ga", "igshid"], []);

    /// <summary>Longer URLs are refused: crawler traps and session ids make them grow without end.</summary>
    public int MaxLength { get; }

    public int MaxPathSegments { get; }

    public int MaxQueryParameters { get; }

    /// <summary>A path segment repeated more often than this (/a/b/a/b/a/b/...) is a loop, not a page.</summary>
    public int MaxSegmentRepeats { get; }

    public IReadOnlyList<string> TrackingParameters { get; }

    public IReadOnlyList<string> DeniedExtensions { get; }

    public bool IsTracking(string name)
    {
        if (_trackingNames.Contains(name))
        {
            return true;
        }

        foreach (var p in _trackingPrefixes)
        {
            if (name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsDenied(ReadOnlySpan<char> extension) =>
        _denied.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension);

    /// <summary>The extension of the last path segment, without the dot; empty when there is none.</summary>
    public static ReadOnlySpan<char> Extension(string path)
    {
        var span = path.AsSpan();
        var slash = span.LastIndexOf('/');
        var segment = slash < 0 ? span : span[(slash + 1)..];
        var dot = segment.LastIndexOf('.');
        return dot <= 0 || dot == segment.Length - 1 ? [] : segment[(dot + 1)..];
    }

    public static int CountSegments(string path)
    {
        var n = 0;
        foreach (var c in path)
        {
            if (c == '/')
            {
                n++;
            }
        }

        return n;
    }

    public static int CountQueryParameters(string query)
    {
        if (query.Length <= 1)
        {
            return 0;
        }

        var n = 1;
        foreach (var c in query)
        {
            if (c == '&')
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The most times any one non-empty path segment occurs; allocation-free.</summary>
    public static int MaxRepeats(string path)
    {
        var span = path.AsSpan();
        var max = 0;
        var start = 0;
        while (start < span.Length)
        {
            var next = span[start..].IndexOf('/');
            var end = next < 0 ? span.Length : start + next;
            var segment = span[start..end];
            if (segment.Length > 0)
            {
                var count = 0;
                var rest = span;
                int at;
                while ((at = rest.IndexOf(segment, StringComparison.Ordinal)) >= 0)
                {
                    var before = at == 0 || rest[at - 1] == '/';
                    var afterIdx = at + segment.Length;
                    var after = afterIdx == rest.Length || rest[afterIdx] == '/';
                    if (before && after)
                    {
                        count++;
                    }

                    rest = rest[afterIdx..];
                }

                max = Math.Max(max, count);
            }

            start = end + 1;
        }

        return max;
    }
}
