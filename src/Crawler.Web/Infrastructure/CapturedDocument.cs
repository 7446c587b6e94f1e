using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// A captured page made inert before a reviewer's browser sees it. A request from an officer's browser to the site
/// tells its operator that the police are looking, and from where; so nothing in the document may point anywhere but
/// at itself: no script or handler, no refresh or base, no frame, object or link element, links shown as text, and
/// every resource address (src, srcset, poster, CSS url(), @import, image-set) removed unless it is a data: URL. The
/// frame's own CSP and sandbox stop whatever this misses; this is the first of the two walls, not the only one.
/// </summary>
public static partial class CapturedDocument
{
    /// <summary>The capture frame's policy: nothing but inline styles and images from itself or data: URLs.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

    /// <summary>Elements dropped with everything in them: they run code, load something, or redirect.</summary>
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "portal", "noembed",
        "template", "audio", "video", "source", "track", "animate", "animatemotion", "animatetransform", "set", "foreignobject",
        "handler", "listener",
    };

    /// <summary>Attributes that name another resource or place (besides on* handlers, which all go).</summary>
    private static readonly HashSet<string> Addresses = new(StringComparer.OrdinalIgnoreCase)
    {
        "src", "srcset", "href", "xlink:href", "action", "formaction", "poster", "background", "data", "codebase", "cite",
        "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "imagesrcset", "imagesizes", "usemap", "http-equiv", "content",
        "archive", "classid", "profile", "itemtype", "itemid", "srcdoc", "attributionsrc",
    };

    /// <summary>The page of a snapshot, made inert, as UTF-8 HTML; the parser detects the page's own encoding.</summary>
    public static string FromSnapshot(byte[] body, string language)
    {
        using var stream = new MemoryStream(body, writable: false);
        var document = new HtmlParser().ParseDocument(stream);
        foreach (var element in document.All.ToList())
        {
            Defuse(element);
        }

        if (document.DocumentElement is { } root && !root.HasAttribute("lang"))
        {
            root.SetAttribute("lang", language);
        }

        return "<!DOCTYPE html>" + (document.DocumentElement?.OuterHtml ?? "");
    }

    /// <summary>A hit's minimised text as a document of its own: encoded, so a title or text of markup stays text.</summary>
    public static string FromText(string title, string? text, string language)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder();
        body.Append("<!DOCTYPE html><html lang=\"").Append(html.Encode(language)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(html.Encode(title)).Append("</title></head><body><main><p style=\"white-space: pre-wrap; font-family: sans-serif; overflow-wrap: anywhere\">")
            .Append(html.Encode(text ?? "")).Append("</p></main></body></html>");
        return body.ToString();
    }

    private static void Defuse(IElement element)
    {
        if (Dropped.Contains(element.LocalName))
        {
            element.Remove();
            return;
        }

        if (element.LocalName == "style")
        {
            // Read escapes could spell </style> and open markup after it: a < in a style sheet is escaped again.
            element.TextContent = DefuseCss(element.TextContent).Replace("<", "\\3c ", StringComparison.Ordinal);
        }

        var href = element.GetAttribute("href") ?? element.GetAttribute("xlink:href");
        foreach (var attribute in element.Attributes.ToList())
        {
            var name = attribute.Name;
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || (Addresses.Contains(name) && !IsInlineImage(name, attribute.Value)))
            {
                element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
                element.RemoveAttribute(name);
            }
            else if (name.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                element.SetAttribute(name, DefuseCss(attribute.Value));
            }
        }

        // A link is shown as text: the words, then where it pointed, never something to follow.
        if (element.LocalName == "a" && !string.IsNullOrWhiteSpace(href) && element.Owner is { } owner)
        {
            element.AppendChild(owner.CreateTextNode($" [{href.Trim()}]"));
        }
    }

    /// <summary>An image embedded in the page itself (a data: URL on src) reaches no one and may stay.</summary>
    private static bool IsInlineImage(string attribute, string value) =>
        attribute.Equals("src", StringComparison.OrdinalIgnoreCase) && value.TrimStart().StartsWith("data:image/", StringComparison.OrdinalIgnoreCase);

    /// <summary>CSS with every way to load something removed: @import rules, url() and image-set() that are not data: URLs.</summary>
    public static string DefuseCss(string css)
    {
        // An escape can spell url( or @import in ways no pattern sees: escapes are read first, the frame's policy covers the rest.
        var withoutImports = ImportRule().Replace(Unescape(css), "");
        var withoutSets = ImageSet().Replace(withoutImports, "none");
        return Url().Replace(withoutSets, m => m.Groups["target"].Value.TrimStart('\'', '"', ' ').StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? m.Value : "none");
    }

    /// <summary>CSS escapes (a hexadecimal code point, or any other character after a backslash) as the characters they stand for.</summary>
    private static string Unescape(string css) => Escape().Replace(css, m => m.Groups["hex"].Success
        ? int.TryParse(m.Groups["hex"].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF)
            ? char.ConvertFromUtf32(code) : "\uFFFD"
        : m.Groups["char"].Value);

    [GeneratedRegex(@"\\(?:(?<hex>[0-9a-fA-F]{1,6})\s?|(?<char>[^\r\n0-9a-fA-F]))")]
    private static partial Regex Escape();

    [GeneratedRegex(@"@import[^;]*;?", RegexOptions.IgnoreCase)]
    private static partial Regex ImportRule();

    [GeneratedRegex(@"(-webkit-)?image-set\((?:[^()]|\([^()]*\))*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ImageSet();

    [GeneratedRegex(@"url\s*\((?<target>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
