using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Crawler.Core.Indicators;

/// <summary>
/// A word of the text: its span in the original text, its folded form in <see cref="TokenBuffer.Folded"/>, and
/// whether a clause boundary (full stop, comma, bracket, line break...) stands between it and the word before.
/// </summary>
internal struct TextToken
{
    public int Start;
    public int End;
    public int FoldStart;
    public int FoldLength;
    public bool BoundaryBefore;
    public bool Covered;
    public int Id;
    public uint Hash;
}

/// <summary>Reusable buffers for one tokenisation, so scoring a page allocates almost nothing.</summary>
internal sealed class TokenBuffer
{
    [ThreadStatic]
    private static TokenBuffer? t_cached;

    public char[] Folded = new char[4096];
    public TextToken[] Tokens = new TextToken[1024];
    public int Count;

    /// <summary>Takes this thread's buffer, or a new one when it is in use (a nested call).</summary>
    public static TokenBuffer Rent()
    {
        var b = t_cached ?? new TokenBuffer();
        t_cached = null;
        return b;
    }

    public static void Return(TokenBuffer b)
    {
        // A buffer grown by one huge page is not kept, so one odd page does not pin memory per thread.
        if (b.Folded.Length <= 1 << 20)
        {
            t_cached = b;
        }
    }

    public ReadOnlySpan<char> Text(in TextToken t) => Folded.AsSpan(t.FoldStart, t.FoldLength);
}

/// <summary>
/// Splits text into words for lexicon matching: letters and digits form words, folded to lower case without
/// diacritics ("Oekraïense" is "oekraiense", "ＨＯＴＥＬ" is "hotel"); "%", "/", "+", "&amp;", "#", "@" and
/// symbols such as emoji are words of their own, so "24/7" and "100%" can be terms; invisible characters
/// (zero-width spaces, soft hyphens, combining marks) are dropped without splitting a word, so "ho\u200Btel"
/// is still "hotel".
/// </summary>
internal static class TextTokenizer
{
    private enum CharClass : byte
    {
        Unknown = 0,
        Word,
        Invisible,
        Space,
        Boundary,
        Symbol,
        Expand,
        HighSurrogate,
    }

    // Class (high 16 bits) and folded character (low 16 bits) of each UTF-16 unit, computed on first sight and
    // cached; 0 means not yet computed. One int per entry makes each write atomic, and every thread computes the
    // same value, so the race between threads is harmless.
    private static readonly int[] Table = new int[65536];

    public const uint HashSeed = 2166136261;
    private const uint HashPrime = 16777619;

    /// <summary>FNV-1a over a folded word: computed while tokenising, so looking a word up costs no second pass.</summary>
    public static uint Hash(ReadOnlySpan<char> word)
    {
        var h = HashSeed;
        foreach (var c in word)
        {
            h = (h ^ c) * HashPrime;
        }

        return h;
    }

    public static void Tokenize(string text, TokenBuffer buffer)
    {
        buffer.Count = 0;
        EnsureFold(buffer, text.Length + 8);
        var folded = buffer.Folded;
        var f = 0;
        var boundary = false;
        var inWord = false;
        var current = default(TextToken);
        var h = HashSeed;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var entry = Table[c];
            if (entry == 0)
            {
                entry = Classify(c);
            }

            var cls = (CharClass)(entry >> 16);
            if (cls == CharClass.HighSurrogate && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // Outside the BMP: emoji are symbol words; mathematical letters and digits fold to plain ones.
                var pair = text.Substring(i, 2);
                var slow = FoldSlow(pair, CharUnicodeInfo.GetUnicodeCategory(pair, 0));
                if (slow.Class is CharClass.Expand)
                {
                    Open(ref inWord, ref current, ref h, i, f, ref boundary);
                    folded = Append(buffer, ref f, ref h, slow.Text, text.Length - i);
                    current.End = i + 2;
                }
                else
                {
                    Close(buffer, ref inWord, ref current, h, f);
                    if (slow.Class is CharClass.Symbol)
                    {
                        folded = Emit(buffer, ref f, text.AsSpan(i, 2), i, ref boundary);
                    }

                    boundary |= slow.Class is CharClass.Boundary;
                }

                i++;
                continue;
            }

            switch (cls)
            {
                case CharClass.Word:
                    {
                        Open(ref inWord, ref current, ref h, i, f, ref boundary);
                        var fc = (char)(entry & 0xFFFF);
                        folded[f++] = fc;
                        h = (h ^ fc) * HashPrime;

                        // Most words are plain lower-case ASCII: take them in a tight loop.
                        while (i + 1 < text.Length)
                        {
                            var n = text[i + 1];
                            if ((uint)(n - 'a') > 'z' - 'a' && (uint)(n - '0') > 9)
                            {
                                break;
                            }

                            folded[f++] = n;
                            h = (h ^ n) * HashPrime;
                            i++;
                        }

                        current.End = i + 1;
                        break;
                    }

                case CharClass.Invisible:
                    if (inWord)
                    {
                        current.End = i + 1;
                    }

                    break;
                case CharClass.Expand:
                    Open(ref inWord, ref current, ref h, i, f, ref boundary);
                    folded = Append(buffer, ref f, ref h, FoldSlow(c.ToString(), CharUnicodeInfo.GetUnicodeCategory(c)).Text, text.Length - i);
                    current.End = i + 1;
                    break;
                case CharClass.Symbol:
                    Close(buffer, ref inWord, ref current, h, f);
                    folded = Emit(buffer, ref f, text.AsSpan(i, 1), i, ref boundary);
                    break;
                case CharClass.Boundary:
                    Close(buffer, ref inWord, ref current, h, f);
                    boundary = true;
                    break;
                default:
                    Close(buffer, ref inWord, ref current, h, f);
                    break;
            }
        }

        Close(buffer, ref inWord, ref current, h, f);
    }

    /// <summary>The folded words of a short text (a lexicon term, a name), with their boundary flags.</summary>
    public static List<(string Word, bool BoundaryBefore)> Words(string text)
    {
        var buffer = TokenBuffer.Rent();
        try
        {
            Tokenize(text, buffer);
            var words = new List<(string, bool)>(buffer.Count);
            for (var i = 0; i < buffer.Count; i++)
            {
                words.Add((buffer.Text(buffer.Tokens[i]).ToString(), i > 0 && buffer.Tokens[i].BoundaryBefore));
            }

            return words;
        }
        finally
        {
            TokenBuffer.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Open(ref bool inWord, ref TextToken current, ref uint h, int at, int f, ref bool boundary)
    {
        if (inWord)
        {
            return;
        }

        current = new TextToken { Start = at, End = at + 1, FoldStart = f, BoundaryBefore = boundary, Id = -1 };
        h = HashSeed;
        boundary = false;
        inWord = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Close(TokenBuffer buffer, ref bool inWord, ref TextToken current, uint h, int f)
    {
        if (!inWord)
        {
            return;
        }

        current.FoldLength = f - current.FoldStart;
        current.Hash = h;
        Add(buffer, current);
        inWord = false;
    }

    // Appends an expansion ("ĳ" is "ij"), keeping room for the rest of the text; returns the (maybe new) buffer.
    private static char[] Append(TokenBuffer buffer, ref int f, ref uint h, string chars, int rest)
    {
        EnsureFold(buffer, f + chars.Length + rest + 8);
        foreach (var c in chars)
        {
            buffer.Folded[f++] = c;
            h = (h ^ c) * HashPrime;
        }

        return buffer.Folded;
    }

    private static char[] Emit(TokenBuffer buffer, ref int f, ReadOnlySpan<char> chars, int start, ref bool boundary)
    {
        var at = f;
        var h = HashSeed;
        foreach (var c in chars)
        {
            buffer.Folded[f++] = c;
            h = (h ^ c) * HashPrime;
        }

        Add(buffer, new TextToken
        {
            Start = start, End = start + chars.Length, FoldStart = at, FoldLength = chars.Length, BoundaryBefore = boundary, Id = -1, Hash = h,
        });
        boundary = false;
        return buffer.Folded;
    }

    private static void Add(TokenBuffer buffer, in TextToken token)
    {
        if (buffer.Count == buffer.Tokens.Length)
        {
            Array.Resize(ref buffer.Tokens, buffer.Tokens.Length * 2);
        }

        buffer.Tokens[buffer.Count++] = token;
    }

    private static void EnsureFold(TokenBuffer buffer, int needed)
    {
        if (buffer.Folded.Length < needed)
        {
            Array.Resize(ref buffer.Folded, Math.Max(needed, buffer.Folded.Length * 2));
        }
    }

    private static int Classify(char c)
    {
        CharClass cls;
        var fold = c;
        if (c < 128)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                cls = CharClass.Word;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                cls = CharClass.Word;
                fold = (char)(c + 32);
            }
            else if (c is '%' or '/' or '+' or '&' or '#' or '@' or '$')
            {
                cls = CharClass.Symbol;
            }
            else if (c is '.' or ',' or ';' or ':' or '!' or '?' or '|' or '(' or ')' or '[' or ']' or '{' or '}' or '"' or '\n' or '\r' or '<' or '>')
            {
                cls = CharClass.Boundary;
            }
            else
            {
                cls = CharClass.Space;
            }
        }
        else if (char.IsHighSurrogate(c))
        {
            cls = CharClass.HighSurrogate;
        }
        else
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            var slow = FoldSlow(c.ToString(), category);
            cls = slow.Class;
            if (cls == CharClass.Word)
            {
                fold = slow.Text[0];
            }
        }

        var entry = ((int)cls << 16) | fold;
        Table[c] = entry;
        return entry;
    }

    private static (CharClass Class, string Text) FoldSlow(string s, UnicodeCategory category)
    {
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format:
                return (CharClass.Invisible, "");
            case UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.OtherSymbol:
                return (CharClass.Symbol, s);
            case UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                // Curly single quotes are apostrophes in "foto’s": they separate words but end no clause.
                return (s is "\u2018" or "\u2019" ? CharClass.Space : CharClass.Boundary, "");
            case UnicodeCategory.DashPunctuation:
                return (s is "\u2010" or "\u2011" ? CharClass.Space : CharClass.Boundary, "");
            case UnicodeCategory.OtherPunctuation:
                return (CharClass.Boundary, "");
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber:
                {
                    // Compatibility decomposition folds full-width, circled and mathematical forms and ligatures;
                    // dropping the marks it separates removes the diacritics.
                    var decomposed = s.Normalize(NormalizationForm.FormKD);
                    var sb = new StringBuilder(decomposed.Length);
                    foreach (var d in decomposed)
                    {
                        if (char.IsLetterOrDigit(d))
                        {
                            sb.Append(char.ToLowerInvariant(d));
                        }
                    }

                    return sb.Length switch
                    {
                        0 => (CharClass.Invisible, ""),
                        1 when s.Length == 1 => (CharClass.Word, sb.ToString()),
                        _ => (CharClass.Expand, sb.ToString()),
                    };
                }

            default:
                return (CharClass.Space, "");
        }
    }
}
