using System.Globalization;

namespace Crawler.Core.Urls;

/// <summary>Host allow-list entries: an exact host, or '*.domain' for the domain's subdomains (not the domain itself).</summary>
public static class HostPattern
{
    private static readonly IdnMapping Idn = new();

    public static bool TryNormalise(string text, out string pattern)
    {
        pattern = "";
        var t = text.Trim().TrimEnd('.');
        var wildcard = t.StartsWith("*.", StringComparison.Ordinal);
        var host = wildcard ? t[2..] : t;
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal) ||
            host.Contains(':', StringComparison.Ordinal) || host.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            host = Idn.GetAscii(host).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return false;
        }

        pattern = wildcard ? "*." + host : host;
        return true;
    }

    public static bool Matches(string pattern, string host)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
