using System.Text;

namespace Crawler.Extraction;

/// <summary>
/// Builds visible text with a line break at every block boundary and at every newline of the source,
/// whitespace runs collapsed to one space, lines trimmed and empty lines left out, in one pass
/// (no split, no regular expression per line).
/// </summary>
internal sealed class TextBuilder
{
    private readonly StringBuilder _sb;
    private bool _lineHasText;
    private bool _pendingSpace;
    private bool _pendingBreak;

    public TextBuilder(int capacity = 1024) => _sb = new StringBuilder(capacity);

    public int Length => _sb.Length;

    public void Append(string text)
    {
        foreach (var c in text)
        {
            if (c == '\n')
            {
                Break();
            }
            else if (char.IsWhiteSpace(c))
            {
                Space();
            }
            else
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
                _sb.Append(c);
            }
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
}
