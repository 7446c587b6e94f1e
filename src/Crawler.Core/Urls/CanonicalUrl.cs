using System.Text;

namespace Crawler.Core.Urls;

/// <summary>
/// Canonical form of a URL, used before every decision and as the frontier's dedupe key:
/// lower-case scheme and host, IDN as punycode, no default port, no fragment, dot segments
/// resolved, percent-encoding normalised (unreserved characters decoded, hex upper-case),
/// and known tracking parameters removed.
/// </summary>
public static class CanonicalUrl
{
    public static bool TryCreate(string text, out Uri url, out string reason) =>
        TryCreate(text, null, UrlRules.Default, out url, out reason);

    public static bool TryCreate(string text, Uri? baseUrl, out Uri url, out string reason) =>
        TryCreate(text, baseUrl, UrlRules.Default, out url, out reason);

    /// <summary>Resolves <paramref name="text"/> against <paramref name="baseUrl"/> and canonicalises it.</summary>
    public static bool TryCreate(string text, Uri? baseUrl, UrlRules rules, out Uri url, out string reason)
    {
        url = null!;
        Uri? parsed;
        var ok = baseUrl is null
            ? Uri.TryCreate(text.Trim(), UriKind.Absolute, out parsed)
            : Uri.TryCreate(baseUrl, text.Trim(), out parsed);
        if (!ok || parsed is null)
        {
            reason = "not an absolute URL";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            reason = $"scheme '{parsed.Scheme}' is not http or https";
            url = parsed;
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Host))
        {
            reason = "no host";
            return false;
        }

        var sb = new StringBuilder(parsed.OriginalString.Length);
        sb.Append(parsed.Scheme).Append("://");
        if (parsed.UserInfo.Length > 0)
        {
            // Kept (not stripped) so that the credentials rule can refuse it visibly.
            sb.Append(parsed.UserInfo).Append('@');
        }

        // An ASCII DNS name is its own IDN form (Uri lower-cases it already); only others need the costlier IDN mapping.
        // An IPv6 literal keeps its brackets (IdnHost drops them, and the URL built from it would not parse).
        var host = parsed.HostNameType switch
        {
            UriHostNameType.IPv6 => parsed.Host,
            UriHostNameType.Dns when Ascii.IsValid(parsed.Host) => parsed.Host,
            _ => parsed.IdnHost,
        };
        sb.Append(host.ToLowerInvariant());
        if (!parsed.IsDefaultPort)
        {
            sb.Append(':').Append(parsed.Port);
        }

        sb.Append(NormalisePercent(parsed.AbsolutePath));
        var query = CleanQuery(parsed.Query, rules);
        if (query.Length > 0)
        {
            sb.Append('?').Append(query);
        }

        // Most links are canonical already: then the first parse read this very string, and a second is waste.
        var canonical = sb.ToString();
        url = string.Equals(canonical, parsed.OriginalString, StringComparison.Ordinal) ? parsed : new Uri(canonical, UriKind.Absolute);
        reason = "";
        return true;
    }

    public static Uri Create(string text) =>
        TryCreate(text, out var url, out var reason) ? url : throw new ArgumentException($"{text}: {reason}", nameof(text));

    private static string CleanQuery(string query, UrlRules rules)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        var parts = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !rules.IsTracking(p.Split('=', 2)[0]))
            .Select(NormalisePercent);
        return string.Join('&', parts);
    }

    /// <summary>Decodes percent-escapes of unreserved characters and upper-cases the others (RFC 3986 §6.2.2).</summary>
    public static string NormalisePercent(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                var b = (char)Convert.ToInt32(s.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(b) || b is '-' or '.' or '_' or '~')
                {
                    sb.Append(b);
                }
                else
                {
                    sb.Append('%').Append(char.ToUpperInvariant(s[i + 1])).Append(char.ToUpperInvariant(s[i + 2]));
                }

                i += 2;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }
}
