using System.Globalization;
using System.Reflection;

namespace Crawler.Extraction;

/// <summary>
/// The registrable domain of a host ("www.site.co.uk" is "site.co.uk") by the Public Suffix List
/// (<c>policies/public_suffix_list.dat</c>, compiled in; MPL 2.0). An address on the crawled site's own registrable
/// domain is the site's (webmaster, support, moderation), never an advertiser's. No NuGet package of the list is
/// served here, so the list is shipped as data and read by the algorithm publicsuffix.org describes.
/// </summary>
public static class SiteDomain
{
    public const string ResourceName = "public_suffix_list.dat";

    private static readonly IdnMapping Idn = new();

    private static readonly Lazy<(HashSet<string> Rules, HashSet<string> Wildcards, HashSet<string> Exceptions)> List = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>The list's rules: plain suffixes, wildcards ("*.ck" kept as "ck") and exceptions ("!www.ck" kept as "www.ck").</summary>
    internal static (HashSet<string> Rules, HashSet<string> Wildcards, HashSet<string> Exceptions) Parse(string text)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            // A rule ends at the first white space.
            var space = line.IndexOfAny([' ', '\t']);
            if (space > 0)
            {
                line = line[..space];
            }

            line = Ascii(line.ToLowerInvariant());
            if (line.StartsWith('!'))
            {
                exceptions.Add(line[1..]);
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards.Add(line[2..]);
            }
            else
            {
                rules.Add(line);
            }
        }

        return (rules, wildcards, exceptions);
    }

    /// <summary>
    /// The registrable domain (the public suffix and one label more), lower case in ASCII; the host itself when it is
    /// an IP address or has a single label; null for an empty host.
    /// </summary>
    public static string? Registrable(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var h = Ascii(host.Trim().TrimEnd('.').ToLowerInvariant());
        if (System.Net.IPAddress.TryParse(h.Trim('[', ']'), out _) || !h.Contains('.', StringComparison.Ordinal))
        {
            return h;
        }

        var labels = h.Split('.');
        var (rules, wildcards, exceptions) = List.Value;

        // The longest matching rule wins; an exception rule's suffix is the rule minus its first label; with no
        // match the rule is "*" (the last label).
        var suffixLabels = 1;
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join('.', labels, i, labels.Length - i);
            if (exceptions.Contains(candidate))
            {
                suffixLabels = labels.Length - i - 1;
                break;
            }

            if (rules.Contains(candidate))
            {
                suffixLabels = Math.Max(suffixLabels, labels.Length - i);
                break;
            }

            if (i + 1 < labels.Length && wildcards.Contains(string.Join('.', labels, i + 1, labels.Length - i - 1)))
            {
                suffixLabels = Math.Max(suffixLabels, labels.Length - i);
                break;
            }
        }

        return suffixLabels >= labels.Length ? null : string.Join('.', labels, labels.Length - suffixLabels - 1, suffixLabels + 1);
    }

    /// <summary>Whether an e-mail address's domain lies on <paramref name="registrable"/> (itself or a subdomain).</summary>
    public static bool IsOnDomain(string email, string? registrable)
    {
        if (registrable is null)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var domain = Ascii(email[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant());
        return domain == registrable || domain.EndsWith("." + registrable, StringComparison.Ordinal);
    }

    private static string Ascii(string host)
    {
        try
        {
            return host.Any(c => c > 0x7F) ? Idn.GetAscii(host) : host;
        }
        catch (ArgumentException)
        {
            return host;
        }
    }
}
