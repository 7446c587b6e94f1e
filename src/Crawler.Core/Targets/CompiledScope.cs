using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Crawler.Core.Urls;

namespace Crawler.Core.Targets;

/// <summary>
/// A target's scope made ready for many decisions: host patterns in an array and path patterns as
/// non-backtracking regular expressions, which run in linear time whatever the pattern, so a
/// careless or hostile pattern cannot stall the crawler.
/// </summary>
public sealed class CompiledScope
{
    public const RegexOptions PatternOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly ConditionalWeakTable<CrawlTarget, CompiledScope> Cache = [];

    private readonly string[] _hosts;
    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    private CompiledScope(CrawlScope scope)
    {
        _hosts = [.. scope.Hosts];
        _include = scope.Include.Select(p => new Regex(p, PatternOptions)).ToArray();
        _exclude = scope.Exclude.Select(p => new Regex(p, PatternOptions)).ToArray();
    }

    public static CompiledScope Of(CrawlTarget target) => Cache.GetValue(target, t => new CompiledScope(t.Spec.Scope));

    public bool HostAllowed(string host)
    {
        foreach (var h in _hosts)
        {
            if (HostPattern.Matches(h, host))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index of the first exclude pattern that matches, or -1.</summary>
    public int ExcludedBy(string pathAndQuery)
    {
        for (var i = 0; i < _exclude.Length; i++)
        {
            if (_exclude[i].IsMatch(pathAndQuery))
            {
                return i;
            }
        }

        return -1;
    }

    public bool HasIncludes => _include.Length > 0;

    public bool Included(string pathAndQuery)
    {
        foreach (var r in _include)
        {
            if (r.IsMatch(pathAndQuery))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Null when <paramref name="pattern"/> is usable; otherwise why not.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            _ = new Regex(pattern, PatternOptions);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }
    }
}
