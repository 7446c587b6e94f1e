namespace Crawler.Extraction;

/// <summary>
/// A word of the text: where it is, whether a sentence or a clause (after a comma, colon or bracket) starts
/// with it, and whether it is written with a capital.
/// </summary>
internal readonly record struct Token(int Start, int Length, bool SentenceStart, bool ClauseStart, bool Capitalised);

/// <summary>
/// Text cut into words once, with a folded copy (lower case, Latin diacritics removed, same length as
/// the original) so every lexicon compares "Privéhuis", "privehuis" and "PRIVÉHUIS" alike without
/// allocating per word.
/// </summary>
internal sealed class TokenizedText
{
    private TokenizedText(string original, string folded, List<Token> tokens)
    {
        Original = original;
        Folded = folded;
        Tokens = tokens;
    }

    public string Original { get; }

    public string Folded { get; }

    public List<Token> Tokens { get; }

    public ReadOnlySpan<char> Word(int index) => Folded.AsSpan(Tokens[index].Start, Tokens[index].Length);

    public string OriginalWord(int index) => Original.Substring(Tokens[index].Start, Tokens[index].Length);

    public static TokenizedText Of(string text)
    {
        var folded = string.Create(text.Length, text, static (span, source) =>
        {
            // Vectorised lower-casing of the ASCII stretches; only the rest goes through Fold one by one.
            var i = 0;
            while (i < source.Length)
            {
                System.Text.Ascii.ToLower(source.AsSpan(i), span[i..], out var written);
                i += written;
                if (i < source.Length)
                {
                    span[i] = Fold(source[i]);
                    i++;
                }
            }
        });
        var tokens = new List<Token>(text.Length / 5);
        var boundary = true;
        var clause = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (!char.IsAsciiLetterOrDigit(c) && !IsWordStart(text, i))
            {
                if (c is '.' or '!' or '?' or ';' or '\n')
                {
                    boundary = true;
                }
                else if (c is ',' or ':' or '(' or ')' or '/' or '|' or '–' or '·' or '•')
                {
                    clause = true;
                }

                i++;
                continue;
            }

            var start = i;
            i++;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (IsApostrophe(text[i]) && i + 1 < text.Length &&
                                                                         char.IsLetter(text[i + 1]) && char.IsLetter(text[i - 1]))))
            {
                i++;
            }

            tokens.Add(new Token(start, i - start, boundary, boundary || clause, char.IsUpper(text[start]) || (IsApostrophe(text[start]) && i - start == 2)));
            boundary = false;
            clause = false;
        }

        return new TokenizedText(text, folded, tokens);
    }

    /// <summary>A letter or digit, or the apostrophe of "'s-Gravenhage" and "'t Harde".</summary>
    private static bool IsWordStart(string text, int i)
    {
        var c = text[i];
        if (char.IsLetterOrDigit(c))
        {
            return true;
        }

        return IsApostrophe(c) && i + 2 <= text.Length - 1 && text[i + 1] is 's' or 't' && !char.IsLetter(text[i + 2]) &&
               (i == 0 || !char.IsLetter(text[i - 1]));
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    /// <summary>Lower case without the diacritics Dutch and its neighbours use; every other character as it is.</summary>
    public static char Fold(char c)
    {
        if (c < 0x80)
        {
            return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        if (c == '\u2019')
        {
            return '\'';
        }

        var lower = char.ToLowerInvariant(c);
        return lower switch
        {
            'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' or 'ă' or 'ą' => 'a',
            'ç' or 'ć' or 'č' => 'c',
            'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ė' or 'ę' or 'ě' => 'e',
            'ì' or 'í' or 'î' or 'ï' or 'ī' or 'į' or 'ı' => 'i',
            'ñ' or 'ń' or 'ň' => 'n',
            'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' or 'ō' or 'ő' => 'o',
            'ù' or 'ú' or 'û' or 'ü' or 'ū' or 'ů' or 'ű' or 'ų' => 'u',
            'ý' or 'ÿ' => 'y',
            'ş' or 'ś' or 'š' or 'ș' => 's',
            'ţ' or 'ť' or 'ț' => 't',
            'ž' or 'ź' or 'ż' => 'z',
            'ł' => 'l',
            'ğ' => 'g',
            'ř' => 'r',
            'ď' => 'd',
            _ => lower,
        };
    }

    /// <summary>A phrase folded and cut into words the way the text is.</summary>
    public static string[] Words(string phrase)
    {
        var t = Of(phrase);
        var words = new string[t.Tokens.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = t.Word(i).ToString();
        }

        return words;
    }
}

/// <summary>
/// Phrases (one or more words) mapped to values, matched longest first at a word of a
/// <see cref="TokenizedText"/> with one dictionary look-up on the first word.
/// </summary>
internal sealed class PhraseTable<T>
{
    private readonly Dictionary<string, List<(string[] Words, T Value)>> _byFirst = new(StringComparer.Ordinal);

    /// <summary>
    /// Which (first letter, last letter, length) a first word can have: most words of a text are in no
    /// phrase, and this rules them out before the dictionary has to hash them.
    /// </summary>
    private readonly bool[] _shapes = new bool[32 * 32 * 32];
    private readonly Dictionary<string, List<(string[] Words, T Value)>>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private bool _frozen;

    public PhraseTable() => _lookup = _byFirst.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Adds a phrase; the value of a phrase added twice is combined by <paramref name="merge"/>.</summary>
    public void Add(string phrase, T value, Func<T, T, T>? merge = null)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("the table is in use");
        }

        var words = TokenizedText.Words(phrase);
        if (words.Length == 0)
        {
            return;
        }

        if (!_byFirst.TryGetValue(words[0], out var list))
        {
            list = [];
            _byFirst[words[0]] = list;
            _shapes[Shape(words[0])] = true;
        }

        var existing = list.FindIndex(e => e.Words.AsSpan().SequenceEqual(words));
        if (existing >= 0)
        {
            list[existing] = (words, merge is null ? value : merge(list[existing].Value, value));
            return;
        }

        list.Add((words, value));
        list.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
    }

    private static int Shape(ReadOnlySpan<char> word) => ((word[0] & 31) << 10) | ((word[^1] & 31) << 5) | Math.Min(word.Length, 31);

    /// <summary>Stops changes: lookups from several threads are safe from here on.</summary>
    public PhraseTable<T> Freeze()
    {
        _frozen = true;
        return this;
    }

    /// <summary>The longest phrase that starts at word <paramref name="index"/>, and how many words it covers.</summary>
    public bool TryMatch(TokenizedText text, int index, out T value, out int words)
    {
        var word = text.Word(index);
        if (_shapes[Shape(word)] && _lookup.TryGetValue(word, out var candidates))
        {
            foreach (var (phrase, v) in candidates)
            {
                if (index + phrase.Length > text.Tokens.Count)
                {
                    continue;
                }

                var all = true;
                for (var k = 1; k < phrase.Length && all; k++)
                {
                    all = text.Word(index + k).SequenceEqual(phrase[k]);
                }

                if (all)
                {
                    value = v;
                    words = phrase.Length;
                    return true;
                }
            }
        }

        value = default!;
        words = 0;
        return false;
    }
}
