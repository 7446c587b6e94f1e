using System.Text;
using Crawler.Core.Urls;

namespace Crawler.Core.Robots;

/// <summary>One allow or disallow line, with where it came from so a decision can cite it.</summary>
public sealed record RobotsRule(bool Allow, string Pattern, int Line)
{
    public override string ToString() => $"line {Line}: {(Allow ? "Allow" : "Disallow")}: {Pattern}";
}

/// <summary>Whether robots.txt lets us fetch a path, and the rule that said so.</summary>
public readonly record struct RobotsVerdict(bool Allowed, string Rule);

/// <summary>
/// robots.txt as RFC 9309 reads it: groups for our product token combined (else the '*' groups),
/// longest match wins, allow wins a tie, '*' and '$' in patterns, percent-encoding normalised
/// before comparison, and /robots.txt itself always allowed.
/// </summary>
public sealed class RobotsTxt
{
    /// <summary>RFC 9309 §2.5: parse at least 500 KiB; we parse up to this and ignore the rest.</summary>
    public const int MaxParsedBytes = 512 * 1024;

    private readonly List<Group> _groups;
    private RobotsRules? _lastRules;

    private RobotsTxt(List<Group> groups, string source)
    {
        _groups = groups;
        Source = source;
    }

    /// <summary>What this rule set was made from, e.g. "HTTP 200, 123 bytes" or "HTTP 503: disallow all".</summary>
    public string Source { get; }

    /// <summary>No robots.txt (a 4xx): no restrictions (RFC 9309 §2.3.1.3).</summary>
    public static RobotsTxt AllowAll(string why) => new([], "no restrictions: " + why);

    /// <summary>Unreachable or 5xx: complete disallow (RFC 9309 §2.3.1.4).</summary>
    public static RobotsTxt DisallowAll(string why) =>
        new([new Group(["*"], [new RobotsRule(false, "/", 0)], null)], "disallow all: " + why);

    public static RobotsTxt Parse(string content, string source = "robots.txt")
    {
        if (Encoding.UTF8.GetByteCount(content) > MaxParsedBytes)
        {
            content = TruncateUtf8(content, MaxParsedBytes);
        }

        // A byte-order mark would otherwise turn the first "User-agent" into an unknown field.
        content = content.TrimStart('\uFEFF');
        var groups = new List<Group>();
        Group? current = null;
        var lastWasAgent = false;
        var lineNo = 0;
        foreach (var rawLine in content.Split('\n'))
        {
            lineNo++;
            var line = rawLine;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent":
                    if (current is null || !lastWasAgent)
                    {
                        current = new Group([], [], null);
                        groups.Add(current);
                    }

                    current.Agents.Add(ProductToken(value));
                    lastWasAgent = true;
                    break;
                case "allow":
                case "disallow":
                    lastWasAgent = false;
                    if (current is null || value.Length == 0)
                    {
                        // Rules outside a group, and an empty Disallow, restrict nothing.
                        continue;
                    }

                    current.Rules.Add(new RobotsRule(key == "allow", NormalisePath(value), lineNo));
                    break;
                case "crawl-delay":
                    lastWasAgent = false;
                    if (current is not null && double.TryParse(value, System.Globalization.NumberStyles.Float,
                            System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    {
                        current.CrawlDelay = TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
                    }

                    break;
                default:
                    // Sitemap and unknown keys do not end a user-agent run of lines in practice.
                    break;
            }
        }

        return new RobotsTxt(groups, source);
    }

    /// <summary>The rules that apply to <paramref name="productToken"/>, compiled for fast matching (cached).</summary>
    public RobotsRules For(string productToken)
    {
        var cached = _lastRules;
        if (cached is not null && string.Equals(cached.ProductToken, productToken, StringComparison.Ordinal))
        {
            return cached;
        }

        var groups = GroupsFor(productToken).ToList();
        var delays = groups.Where(g => g.CrawlDelay is not null).Select(g => g.CrawlDelay!.Value).ToList();
        var rules = new RobotsRules(productToken, Source, groups.SelectMany(g => g.Rules).ToArray(), delays.Count == 0 ? null : delays.Max());
        _lastRules = rules;
        return rules;
    }

    /// <summary>Decides whether <paramref name="pathAndQuery"/> may be fetched by <paramref name="productToken"/>.</summary>
    public RobotsVerdict Evaluate(string productToken, string pathAndQuery)
    {
        var rules = For(productToken);
        var match = rules.Match(pathAndQuery);
        return new RobotsVerdict(match.Allowed, rules.Describe(match));
    }

    /// <summary>The largest Crawl-delay among the groups that apply to us, if any.</summary>
    public TimeSpan? CrawlDelay(string productToken) => For(productToken).CrawlDelay;

    private IEnumerable<Group> GroupsFor(string productToken)
    {
        var own = _groups.Where(g => g.Agents.Any(a => string.Equals(a, productToken, StringComparison.OrdinalIgnoreCase))).ToList();
        return own.Count > 0 ? own : _groups.Where(g => g.Agents.Contains("*"));
    }

    /// <summary>'*' matches any run of characters, a final '$' anchors the end; otherwise a prefix match.</summary>
    public static bool Matches(string pattern, string path) => new RobotsPattern(pattern).Matches(path);

    /// <summary>Percent-encoding per RFC 3986 so that '%7E' and '~', or 'é' and '%C3%A9', compare equal.</summary>
    public static string NormalisePath(string path)
    {
        if (IsPlainAscii(path))
        {
            return path;
        }

        var sb = new StringBuilder(path.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                sb.Append((char)rune.Value);
                continue;
            }

            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++)
            {
                sb.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return CanonicalUrl.NormalisePercent(sb.ToString());
    }

    // The common case (ASCII, no escapes) needs no copy: this keeps a decision allocation-free.
    private static bool IsPlainAscii(string s)
    {
        foreach (var c in s)
        {
            if (c >= 0x80 || c == '%')
            {
                return false;
            }
        }

        return true;
    }

    private static string ProductToken(string value)
    {
        var end = 0;
        while (end < value.Length && (char.IsAsciiLetter(value[end]) || value[end] is '_' or '-' or '*'))
        {
            end++;
        }

        return end == 0 ? value : value[..end];
    }

    private static string TruncateUtf8(string s, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return Encoding.UTF8.GetString(bytes, 0, maxBytes);
    }

    private sealed class Group(List<string> agents, List<RobotsRule> rules, TimeSpan? crawlDelay)
    {
        public List<string> Agents { get; } = agents;

        public List<RobotsRule> Rules { get; } = rules;

        public TimeSpan? CrawlDelay { get; set; } = crawlDelay;
    }
}

/// <summary>The index of the rule that decided (-1: none matched) and the verdict.</summary>
public readonly record struct RobotsMatch(bool Allowed, int RuleIndex);

/// <summary>The rules of the groups that apply to one product token, precompiled; matching allocates nothing.</summary>
public sealed class RobotsRules
{
    private readonly RobotsRule[] _rules;
    private readonly RobotsPattern[] _patterns;

    internal RobotsRules(string productToken, string source, RobotsRule[] rules, TimeSpan? crawlDelay)
    {
        ProductToken = productToken;
        Source = source;
        _rules = rules;
        _patterns = rules.Select(r => new RobotsPattern(r.Pattern)).ToArray();
        CrawlDelay = crawlDelay;
    }

    public string ProductToken { get; }

    public string Source { get; }

    public TimeSpan? CrawlDelay { get; }

    public RobotsMatch Match(string pathAndQuery)
    {
        if (pathAndQuery is "/robots.txt")
        {
            return new RobotsMatch(true, -2);
        }

        var path = RobotsTxt.NormalisePath(pathAndQuery.Length == 0 ? "/" : pathAndQuery);
        var best = -1;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (!_patterns[i].Matches(path))
            {
                continue;
            }

            if (best < 0 || _rules[i].Pattern.Length > _rules[best].Pattern.Length ||
                (_rules[i].Pattern.Length == _rules[best].Pattern.Length && _rules[i].Allow && !_rules[best].Allow))
            {
                best = i;
            }
        }

        return best < 0 ? new RobotsMatch(true, -1) : new RobotsMatch(_rules[best].Allow, best);
    }

    /// <summary>The deciding rule in words, for the decision's reason and for explanations.</summary>
    public string Describe(RobotsMatch match) => match.RuleIndex switch
    {
        -2 => "/robots.txt is always allowed (RFC 9309 §2.2.2)",
        -1 => $"no matching rule ({Source})",
        var i => $"{_rules[i]} ({Source})",
    };
}

/// <summary>A robots.txt path pattern split at its wildcards once, so matching needs no allocation.</summary>
internal readonly struct RobotsPattern
{
    private readonly string[] _parts;
    private readonly bool _anchored;

    public RobotsPattern(string pattern)
    {
        _anchored = pattern.EndsWith('$');
        _parts = (_anchored ? pattern[..^1] : pattern).Split('*');
    }

    public bool Matches(string path)
    {
        var span = path.AsSpan();
        var first = _parts[0];
        if (!span.StartsWith(first, StringComparison.Ordinal))
        {
            return false;
        }

        var pos = first.Length;
        if (_parts.Length == 1)
        {
            return !_anchored || pos == span.Length;
        }

        for (var i = 1; i < _parts.Length; i++)
        {
            var part = _parts[i];
            if (i == _parts.Length - 1 && _anchored)
            {
                return span.Length - part.Length >= pos && span.EndsWith(part, StringComparison.Ordinal);
            }

            var found = span[pos..].IndexOf(part, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            pos += found + part.Length;
        }

        return true;
    }
}
