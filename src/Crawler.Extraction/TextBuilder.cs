using System.Buffers;
using System.Text;

namespace Crawler.Extraction;

/// <summary>
/// Builds visible text with a line break at every block boundary and at every newline of the source,
/// whitespace runs collapsed to one space, lines trimmed and empty lines left out, in one pass
/// (no split, no regular expression per line).
/// </summary>
internal sealed class TextBuilder
{
    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> accepts.</summary>
    private static readonly SearchValues<char> Whitespace = SearchValues.Create(
        "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000");

    private readonly StringBuilder _sb;
    private bool _lineHasText;
    private bool _pendingSpace;
    private bool _pendingBreak;

    public TextBuilder(int capacity = 1024) => _sb = new StringBuilder(capacity);

    public int Length => _sb.Length;

    public void Append(string text)
    {
        var rest = text.AsSpan();
        while (rest.Length > 0)
        {
            // Copy the run up to the next whitespace in one go; whitespace only sets what comes before the next run.
            var ws = rest.IndexOfAny(Whitespace);
            var run = ws < 0 ? rest : rest[..ws];
            if (run.Length > 0)
            {
                if (_pendingBreak)
                {
                    _sb.Append('\n');
                }
                else if (_pendingSpace)
                {
                    _sb.Append(' ');
                }

                _pendingBreak = false;
                _pendingSpace = false;
                _lineHasText = true;
                _sb.Append(run);
            }

            if (ws < 0)
            {
                break;
            }

            if (rest[ws] == '\n')
            {
                Break();
            }
            else
            {
                Space();
            }

            rest = rest[(ws + 1)..];
        }
    }

    /// <summary>A block boundary: what follows starts a new line (if anything was written on this one).</summary>
    public void Break()
    {
        if (_lineHasText)
        {
            _pendingBreak = true;
            _lineHasText = false;
        }
    }

    public void Space()
    {
        if (_lineHasText)
        {
            _pendingSpace = true;
        }
    }

    public override string ToString() => _sb.ToString();

    /// <summary>The text on one line: every run of white space (line breaks too) one space, trimmed.</summary>
    public static string OneLine(string text)
    {
        var b = new TextBuilder(text.Length);
        b.Append(text.Replace('\n', ' '));
        return b.ToString();
    }
}
