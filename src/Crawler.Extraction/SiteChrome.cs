using AngleSharp.Dom;

namespace Crawler.Extraction;

/// <summary>
/// The site's header, navigation and footer as text, asked whether they show a contact the ad region holds: the
/// site's own number or address, wherever else it appears, is never the advertiser's. Read only when the region
/// holds a contact, and compared by digits (a number's national digits among a chrome line's digits) rather than
/// parsed again, so a page's chrome costs one pass over its text.
/// </summary>
internal sealed class SiteChrome(List<IElement> chrome)
{
    private List<(string Text, string Digits)>? _lines;

    public bool ShowsPhone(string e164)
    {
        // Any written form holds the number's last four digits: most pages' chrome has none of them, and the number
        // need not be parsed for its national digits.
        var tail = e164[Math.Max(1, e164.Length - 4)..];
        if (!Lines().Exists(l => l.Digits.Contains(tail, StringComparison.Ordinal)))
        {
            return false;
        }

        var national = ContactReader.NationalDigits(e164);
        foreach (var (_, digits) in Lines())
        {
            if (digits.Contains(national, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool ShowsEmail(string address)
    {
        foreach (var (text, _) in Lines())
        {
            if (text.Contains(address, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private List<(string Text, string Digits)> Lines()
    {
        if (_lines is not null)
        {
            return _lines;
        }

        _lines = [];
        foreach (var root in chrome)
        {
            var text = new TextBuilder(1024);
            var links = new List<string>();
            var stack = new Stack<INode>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (node is IText t)
                {
                    text.Append(t.Data);
                    continue;
                }

                if (node is IElement e)
                {
                    text.Break();
                    if (e.GetAttribute("data-cfemail") is { } hex && Deobfuscation.DecodeCloudflareEmail(hex) is { } decoded)
                    {
                        links.Add(decoded);
                    }

                    if (e.LocalName == "a" && e.GetAttribute("href")?.Trim() is { } href &&
                        (href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)))
                    {
                        links.Add(Uri.UnescapeDataString(href));
                    }
                }

                // Children pushed last first, so the text comes out in document order.
                for (var i = node.ChildNodes.Length - 1; i >= 0; i--)
                {
                    stack.Push(node.ChildNodes[i]);
                }
            }

            foreach (var line in text.ToString().Split('\n').Concat(links))
            {
                _lines.Add((line, string.Concat(line.Where(char.IsAsciiDigit))));
            }
        }

        return _lines;
    }
}
