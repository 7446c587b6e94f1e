using System.Net;
using Crawler.Storage;

namespace Crawler.Web;

/// <summary>
/// How the console is served: over which data folder, policies and keys, on which address, and for how long an idle
/// session lasts. The address is loopback by default: in production a reverse proxy with TLS stands in front (deploy/).
/// </summary>
public sealed record ConsoleOptions(string DataDirectory, string PoliciesDirectory, KeySource? Keys = null)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Where Kestrel listens: one or more absolute URLs separated by ';' (port 0: any free port).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Which database; null: as the environment says (CRAWLER_STORAGE).</summary>
    public Service.Hosting.StorageSettings? Storage { get; init; }

    /// <summary>A session ends after this long without a request (the sign-in token's own hours end it in any case).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Sign-in attempts accepted per minute from one address, before any account is looked at.</summary>
    public int SignInsPerMinute { get; init; } = 30;

    /// <summary>
    /// Why <paramref name="urls"/> cannot be listened on, or null when it can: absolute http or https URLs with a host and
    /// no path, and plain http only on a loopback address (anything else must come through a TLS reverse proxy).
    /// </summary>
    public static string? ProblemWith(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return "give at least one URL, such as " + DefaultUrls;
        }

        foreach (var text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                return $"'{text}' is not an http or https URL such as {DefaultUrls}";
            }

            if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            {
                return $"'{text}': give scheme, host and port only (no path, query or user)";
            }

            if (uri.Scheme == "http" && !IsLoopback(uri.Host))
            {
                return $"'{text}': plain http is served on a loopback address only (127.0.0.1, [::1], localhost); " +
                       "put a reverse proxy with TLS in front for other machines (see deploy/)";
            }
        }

        return null;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
