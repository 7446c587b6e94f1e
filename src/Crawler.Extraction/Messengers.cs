using System.Text.RegularExpressions;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>
/// Messenger and social accounts: from links (<c>wa.me/31612345678</c>, <c>api.whatsapp.com/send?phone=</c>,
/// <c>t.me/lisa</c>, <c>snapchat.com/add/lisa</c>, <c>signal.me/#p/+316...</c>, <c>instagram.com/lisa</c>,
/// <c>onlyfans.com/lisa</c>), labels ("Telegram: @lisa") and text ("snap: lisa.xo", "tg @lisa"). A platform
/// word without a ':' or '@' before the handle is not enough: "via Telegram of WhatsApp" names no account.
/// </summary>
internal static partial class Messengers
{
    public const string WhatsApp = "whatsapp";
    public const string Telegram = "telegram";
    public const string Snapchat = "snapchat";
    public const string Signal = "signal";
    public const string Instagram = "instagram";
    public const string OnlyFans = "onlyfans";

    /// <summary>Words that follow "Telegram:" in prose but are no account.</summary>
    private static readonly HashSet<string> NotHandles = new(StringComparer.OrdinalIgnoreCase)
    {
        "ja", "yes", "nee", "no", "op", "via", "ook", "also", "only", "alleen", "mogelijk", "available", "beschikbaar", "bellen",
        "call", "app", "me", "mij", "mail", "of", "or", "en", "and", "privé", "prive", "private", "link", "profiel", "profile",
        "https", "http", "www",
    };

    /// <summary>A link to a messenger or social account, or null. <paramref name="phone"/>: the number for WhatsApp/Signal number links.</summary>
    public static MessengerContact? FromLink(string href, out string? phone)
    {
        phone = null;
        if (!Uri.TryCreate(href.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        var first = path.Split('/')[0];
        switch (host)
        {
            case "wa.me":
                phone = DigitsOf(first);
                return phone is null ? null : new MessengerContact(WhatsApp, phone, href);
            case "api.whatsapp.com" or "web.whatsapp.com" or "whatsapp.com":
                phone = DigitsOf(QueryValue(uri.Query, "phone") ?? "");
                return phone is null ? null : new MessengerContact(WhatsApp, phone, href);
            case "t.me" or "telegram.me" or "telegram.dog":
                return Handle(Telegram, first, href);
            case "snapchat.com":
                return path.StartsWith("add/", StringComparison.OrdinalIgnoreCase) ? Handle(Snapchat, path[4..].Split('/')[0], href) : null;
            case "signal.me":
                // signal.me/#p/+31612345678 (number) or signal.me/#eu/... (username link, opaque).
                var fragment = Uri.UnescapeDataString(uri.Fragment);
                if (fragment.StartsWith("#p/", StringComparison.Ordinal))
                {
                    phone = DigitsOf(fragment[3..]);
                    return phone is null ? null : new MessengerContact(Signal, phone, href);
                }

                return null;
            case "instagram.com":
                return Handle(Instagram, first, href);
            case "onlyfans.com":
                return Handle(OnlyFans, first, href);
            default:
                return null;
        }
    }

    /// <summary>A handle in the value of a label such as "Telegram" or "Snapchat". <paramref name="phone"/>: a number given instead.</summary>
    public static MessengerContact? FromLabel(LabelKind kind, string value, out string? phone)
    {
        phone = null;
        var platform = PlatformOf(kind);
        if (platform is null)
        {
            return null;
        }

        var v = value.Trim();
        var first = v.Split(' ', 2)[0];
        if (first.Contains('/', StringComparison.Ordinal) && first.Contains('.', StringComparison.Ordinal))
        {
            // "t.me/lisa" or "https://t.me/lisa": a link written out.
            return FromLink(first.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? first : "https://" + first, out phone);
        }

        if (platform is WhatsApp or Signal || v.Count(char.IsAsciiDigit) >= 8)
        {
            // A number: its E.164 form is decided by the phone reader; the number as written is handed back.
            var number = NumberInLabel().Match(v);
            phone = number.Success ? number.Value : null;
            return null;
        }

        var m = LabelHandle().Match(v);
        return m.Success ? Handle(platform, m.Groups[1].Value, value) : null;
    }

    /// <summary>"snap: lisa.xo", "Telegram @lisa_nl", "insta: @lisa": a platform word, then ':' or '@', then the handle.</summary>
    public static void FromText(string text, List<MessengerContact> into)
    {
        // A handle needs a ':' or '@' after the platform word: lines without either are not searched.
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var (start, length) = range.GetOffsetAndLength(text.Length);
            if (text.AsSpan(start, length).IndexOfAny(':', '@') >= 0)
            {
                FromLine(text.Substring(start, length), into);
            }
        }
    }

    private static void FromLine(string text, List<MessengerContact> into)
    {
        foreach (Match m in TextHandle().Matches(text))
        {
            var platform = m.Groups["p"].Value.ToLowerInvariant() switch
            {
                "telegram" or "tg" => Telegram,
                "snapchat" or "snap" or "sc" => Snapchat,
                "signal" => Signal,
                "instagram" or "insta" or "ig" => Instagram,
                "onlyfans" => OnlyFans,
                _ => null,
            };
            // "Telegram: t.me/lisa" is a link, read from its anchor; the text before the '/' is no handle.
            var after = m.Index + m.Length;
            var isAddress = after < text.Length && text[after] is '/' or ':';
            if (platform is not null && !isAddress && Handle(platform, m.Groups["h"].Value, m.Value) is { } contact)
            {
                Add(into, contact);
            }
        }
    }

    public static void Add(List<MessengerContact> into, MessengerContact contact)
    {
        foreach (var c in into)
        {
            if (c.Platform == contact.Platform && c.Handle == contact.Handle)
            {
                return;
            }
        }

        into.Add(contact);
    }

    private static string? PlatformOf(LabelKind kind) => kind switch
    {
        LabelKind.WhatsApp => WhatsApp,
        LabelKind.Telegram => Telegram,
        LabelKind.Snapchat => Snapchat,
        LabelKind.Signal => Signal,
        LabelKind.Instagram => Instagram,
        LabelKind.OnlyFans => OnlyFans,
        _ => null,
    };

    private static MessengerContact? Handle(string platform, string handle, string raw)
    {
        var h = handle.Trim().TrimStart('@').TrimEnd('.', ',', ')', ';', ':', '!', '?').ToLowerInvariant();
        if (h.Length is < 3 or > 32 || NotHandles.Contains(h) || !HandleShape().IsMatch(h) || h.All(char.IsAsciiDigit))
        {
            return null;
        }

        return new MessengerContact(platform, h, raw.Trim());
    }

    /// <summary>The number of a wa.me link as written there (international, without '+'), made dialable with '+'.</summary>
    private static string? DigitsOf(string s)
    {
        var digits = new string(s.Where(char.IsAsciiDigit).ToArray());
        return digits.Length is >= 8 and <= 15 ? "+" + digits : null;
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair[..eq].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    [GeneratedRegex(@"\+?\d[\d \-.()]{6,}\d")]
    private static partial Regex NumberInLabel();

    [GeneratedRegex(@"^@?([A-Za-z0-9][A-Za-z0-9._]{2,31})")]
    private static partial Regex LabelHandle();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._]*[a-z0-9_]$|^[a-z0-9]{3}$")]
    private static partial Regex HandleShape();

    [GeneratedRegex(@"(?<![\w@./])(?<p>telegram|tg|snapchat|snap|sc|signal|instagram|insta|ig|onlyfans)\s*(?::\s*@?|-\s*@|@|\s+@)(?<h>[A-Za-z0-9][A-Za-z0-9._]{2,31})", RegexOptions.IgnoreCase)]
    private static partial Regex TextHandle();
}
