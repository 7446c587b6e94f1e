using System.Globalization;
using System.Net;

namespace Crawler.Evidence;

/// <summary>
/// Checks on caller-supplied text before it lands between CRLF-delimited lines. A value holding CR or LF
/// could otherwise end its own field and start another (a forged WARC-Block-Digest, a second record), so it
/// is refused rather than escaped: an evidence file should hold what was seen or nothing.
/// </summary>
internal static class WarcSyntax
{
    public static void RequireSingleLine(string? value, string what, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{what} is null");
        }

        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException($"{what} contains CR, LF or NUL, which would break the record layout", paramName);
        }
    }

    /// <summary>A token in the sense of RFC 9110 section 5.6.2: field names and methods.</summary>
    public static void RequireToken(string? value, string what, string paramName)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{what} is empty", paramName);
        }

        foreach (var c in value)
        {
            if (!IsTokenChar(c))
            {
                throw new ArgumentException($"{what} '{Printable(value)}' holds a character not allowed in a field name or method", paramName);
            }
        }
    }

    /// <summary>A record id as written by this library or another tool: an URI in angle brackets.</summary>
    public static void RequireRecordId(string value, string paramName)
    {
        RequireSingleLine(value, "record id", paramName);
        if (value.Length < 3 || value[0] != '<' || value[^1] != '>' || value.AsSpan(1, value.Length - 2).IndexOfAny(" \t<>") >= 0)
        {
            throw new ArgumentException($"'{Printable(value)}' is not a WARC record id of the form <urn:...>", paramName);
        }
    }

    public static string TargetUri(Uri? uri, string paramName)
    {
        if (uri is null)
        {
            throw new ArgumentNullException(paramName, "target URI is null");
        }

        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("target URI must be absolute", paramName);
        }

        var text = uri.AbsoluteUri;
        RequireSingleLine(text, "target URI", paramName);
        if (text.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            throw new ArgumentException("target URI contains white space", paramName);
        }

        return text;
    }

    public static string IpAddress(string value, string paramName)
    {
        RequireSingleLine(value, "IP address", paramName);
        if (!IPAddress.TryParse(value, out _))
        {
            throw new ArgumentException($"'{Printable(value)}' is not an IP address", paramName);
        }

        return value;
    }

    /// <summary>WARC-Date: UTC, whole seconds, as the brief for court exports asks ("2026-11-28T21:03:04Z").</summary>
    public static string Date(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' ||
        "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    // Messages may end up in logs; control characters from hostile input are shown escaped.
    public static string Printable(string value)
    {
        var shown = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
