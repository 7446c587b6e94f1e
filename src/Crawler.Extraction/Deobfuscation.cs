using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Crawler.Extraction;

/// <summary>
/// Undoes the ways posters hide contact data, so that a second search finds what the first could
/// not (the ISI-style two-pass run: a number found only after de-obfuscation was hidden on
/// purpose, itself a strong indicator). Conservative by design: number words are read only inside
/// stretches already dense with digits ("een" is also the Dutch article), and letters become
/// digits only next to digits.
/// </summary>
public static partial class Deobfuscation
{
    private static readonly SearchValues<char> Latin1Numbers = SearchValues.Create("²³¹¼½¾");

    /// <summary>Cyrillic and Greek letters that look like Latin ones.</summary>
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ј'] = 'j', ['ѕ'] = 's',
        ['к'] = 'k', ['м'] = 'm', ['т'] = 't', ['в'] = 'b', ['н'] = 'h', ['г'] = 'r', ['ԁ'] = 'd', ['ո'] = 'n', ['ս'] = 'u',
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C', ['Т'] = 'T', ['Х'] = 'X',
        ['α'] = 'a', ['ο'] = 'o', ['ρ'] = 'p', ['ν'] = 'v', ['ι'] = 'i', ['κ'] = 'k', ['τ'] = 't', ['υ'] = 'u',
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N', ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
    };

    /// <summary>Unicode folding: NFKC, any other decimal digit to ASCII, keycap marks removed, look-alike letters to Latin.</summary>
    public static string FoldUnicode(string text)
    {
        // Accented letters and common punctuation ("privé", "–", "€") fold to themselves: no normalisation needed.
        if (!HasFoldableChars(text))
        {
            return text;
        }

        var nfkc = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        foreach (var rune in nfkc.EnumerateRunes())
        {
            var v = rune.Value;
            if (v is 0xFE0F or 0x20E3 or 0x200B or 0x200C or 0x200D or 0x2060 or 0xAD)
            {
                continue;
            }

            if (rune.IsBmp && LookAlikes.TryGetValue((char)v, out var latin))
            {
                sb.Append(latin);
                continue;
            }

            // Circled, negative-circled, dingbat and other digits that NFKC leaves alone (e.g. U+1F10B, U+24FF).
            if (v > 0x7F && !Rune.IsLetter(rune) && Rune.GetNumericValue(rune) is var n && n is >= 0 and <= 9 && n == Math.Floor(n))
            {
                sb.Append((char)('0' + (int)n));
                continue;
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whether <see cref="ForPhones"/> could change the line at all: characters outside ASCII, a number word,
    /// a look-alike letter (O, o, l, I) within two characters of a digit, single digits apart by separators
    /// ("0 6 1 ..."), or a short group starting with 0 followed by a word ("06 en dan ..."). Most lines with numbers
    /// are plain dates, prices and sizes; they skip the costly pass.
    /// </summary>
    public static bool MayBeObfuscated(ReadOnlySpan<char> line)
    {
        if (HasFoldableChars(line))
        {
            return true;
        }

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is 'O' or 'o' or 'l' or 'I')
            {
                for (var k = Math.Max(0, i - 2); k <= Math.Min(line.Length - 1, i + 2); k++)
                {
                    if (char.IsAsciiDigit(line[k]))
                    {
                        return true;
                    }
                }
            }
            else if (char.IsAsciiDigit(c) && i + 4 < line.Length && !char.IsAsciiDigit(line[i + 1]) && char.IsAsciiDigit(line[i + 2]) &&
                     !char.IsAsciiDigit(line[i + 3]) && char.IsAsciiDigit(line[i + 4]) && (i == 0 || !char.IsAsciiDigit(line[i - 1])))
            {
                return true;
            }
            else if (c == '0' && (i == 0 || !char.IsAsciiDigit(line[i - 1])) && PrefixThenWord(line[i..]))
            {
                return true;
            }
        }

        return CountNumberWords(line, 1) > 0;
    }

    /// <summary>Two to four digits, a space, then a letter: a prefix the words after it may break off from its number.</summary>
    private static bool PrefixThenWord(ReadOnlySpan<char> s)
    {
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        return digits is >= 2 and <= 4 && digits + 1 < s.Length && s[digits] == ' ' && char.IsLetter(s[digits + 1]);
    }

    /// <summary>
    /// Characters Latin-1 letters, ASCII and common typography ("–", "’", "€", "•") leave out, which folding may change:
    /// compatibility and full-width forms, circled and keycap digits, look-alike letters, invisible joiners, ¹²³¼½¾.
    /// </summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\t\n\u000B\u000C\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007F" +
        "¡¢£¤¥¦§¨©«¬®¯°±´¶·¸»¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ" +
        "\u2013\u2014\u2018\u2019\u201A\u201C\u201D\u201E\u2022\u2026\u2030\u2039\u203A\u20AC\u2122");

    private static bool HasFoldableChars(ReadOnlySpan<char> text) => text.ContainsAnyExcept(Plain);

    /// <summary>The text as a phone search should see it after undoing every hiding family it knows.</summary>
    public static string ForPhones(string text)
    {
        var t = FoldUnicode(text);
        t = ReadNumberWords(t);
        t = LettersNextToDigits().Replace(t, m => m.Value.Replace('O', '0').Replace('o', '0').Replace('l', '1').Replace('I', '1'));
        t = SpacedDigits().Replace(t, m => new string(m.Value.Where(char.IsAsciiDigit).ToArray()));

        // "06 en dan 2392 8055", "0176 und dann 123 4567": a prefix, a few short words, the rest of the number.
        t = WordsInsideNumber().Replace(t, m => m.Groups["prefix"].Value + " " + m.Groups["rest"].Value);
        return t;
    }

    /// <summary>
    /// Whether a line could hold a phone number at all: five digits or more, a run of number words,
    /// or digit-like characters outside ASCII (which folding turns into digits). Cheap, so most prose is skipped.
    /// </summary>
    public static bool MayHideNumber(ReadOnlySpan<char> line)
    {
        // Latin-1 holds no digit-like character but ² ³ ¹ ¼ ½ ¾: accented letters alone need no closer look.
        if (line.ContainsAnyExceptInRange('\u0000', '\u00FF') || line.ContainsAny(Latin1Numbers))
        {
            // Only digit-like characters matter here (circled, full-width, keycaps), not accented letters.
            foreach (var rune in line.EnumerateRunes())
            {
                if (rune.Value > 0x7F && (rune.Value == 0x20E3 || (!Rune.IsLetter(rune) && Rune.GetNumericValue(rune) >= 0)))
                {
                    return true;
                }
            }
        }

        var digits = 0;
        var at = line.IndexOfAnyInRange('0', '9');
        while (at >= 0)
        {
            if (++digits >= 5)
            {
                return true;
            }

            var next = line[(at + 1)..].IndexOfAnyInRange('0', '9');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return CountNumberWords(line, 3) >= 3;
    }

    /// <summary>
    /// Number words standing as words ("een", not the "een" of "geen"; "vijfentwintig", "zwanzig"), counted up to
    /// <paramref name="enough"/>. One scalar pass; only words whose first letter begins some number word are looked up.
    /// </summary>
    private static int CountNumberWords(ReadOnlySpan<char> line, int enough)
    {
        var words = 0;
        var i = 0;
        while (i < line.Length)
        {
            if (!char.IsLetter(line[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < line.Length && char.IsLetter(line[i]))
            {
                i++;
            }

            if (NumberWordStart(line[start]) && SpelledNumbers.IsNumberWord(line[start..i]) && ++words >= enough)
            {
                break;
            }
        }

        return words;
    }

    /// <summary>
    /// Whether a line could hold an e-mail address, plainly or hidden. Accented Latin letters ("privéhuis")
    /// are no reason to look closer; look-alike scripts, full-width and compatibility forms are.
    /// </summary>
    public static bool MayHideEmail(ReadOnlySpan<char> line) =>
        line.Contains('@') || HasLookAlikeForms(line) || line.ContainsAny(AtWords);

    private static readonly SearchValues<string> AtWords =
        SearchValues.Create(["at)", "at]", "at}", "apenstaartje", "at-sign", "arobase", "klammeraffe"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The first letters of the number words of the four languages: words starting otherwise are not looked up.</summary>
    private static bool NumberWordStart(char c) =>
        (c | 0x20) is 'n' or 'e' or 't' or 'd' or 'v' or 'z' or 'a' or 'o' or 's' or 'f' or 'u' or 'q' or 'c' or 'h' || c is 'é' or 'É';

    /// <summary>Greek, Cyrillic, full-width, small, circled or mathematical forms (not Latin-1 accents, not punctuation).</summary>
    private static bool HasLookAlikeForms(ReadOnlySpan<char> line)
    {
        var i = line.IndexOfAnyExceptInRange('\u0000', '\u036F');
        while (i >= 0)
        {
            var c = line[i];
            if (c is < '\u2000' or > '\u206F')
            {
                return true;
            }

            var next = line[(i + 1)..].IndexOfAnyExceptInRange('\u0000', '\u036F');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>The text as an e-mail search should see it: "(at)", "apenstaartje", "[punt]", spaced letters.</summary>
    public static string ForEmails(string text)
    {
        var t = FoldUnicode(text);
        t = AtWord().Replace(t, "@");
        t = DotWord().Replace(t, ".");
        t = SpacedLetters().Replace(t, m => m.Value.Replace(" ", "", StringComparison.Ordinal));
        return t;
    }

    /// <summary>Decodes a Cloudflare-protected address: the first byte is the key, XORed into every following byte.</summary>
    public static string? DecodeCloudflareEmail(string hex)
    {
        if (hex.Length < 4 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit))
        {
            return null;
        }

        var key = Convert.ToByte(hex[..2], 16);
        var bytes = new byte[(hex.Length / 2) - 1];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(Convert.ToByte(hex.Substring(2 + (i * 2), 2), 16) ^ key);
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Number words become digits only in a run of at least four numbers that are all digits or number words (one
    /// word, or a compound such as "vingt-cinq") and hold at least one word: "nul zes een twee ...", "null eins sieben
    /// acht", "nul vier negen drie, vijfentwintig, zeventien" but not "een mooie dame".
    /// </summary>
    private static string ReadNumberWords(string text)
    {
        var tokens = Token().Matches(text).ToList();
        if (tokens.Count == 0)
        {
            return text;
        }

        var values = tokens.ConvertAll(t => t.Value);
        bool Joined(int k) => OnlySeparators(text, tokens[k], tokens[k + 1]);

        var sb = new StringBuilder(text.Length);
        var last = 0;
        var i = 0;
        while (i < tokens.Count)
        {
            // The run from token i: each number a run of digits or a spelled phrase, next to the one before.
            var numbers = new List<(int Token, string Digits, bool Word)>();
            var j = i;
            while (j < tokens.Count && (j == i || Joined(j - 1)))
            {
                if (values[j].All(char.IsAsciiDigit))
                {
                    numbers.Add((j, values[j], false));
                    j++;
                }
                else if (SpelledNumbers.Read(values, j, Joined) is { } phrase)
                {
                    numbers.Add((j, phrase.Digits, true));
                    j += phrase.Used;
                }
                else
                {
                    break;
                }
            }

            // "24/7 zero six one ...": digits before a spelled-out leading zero belong to something else.
            var firstWord = numbers.FindIndex(n => n.Word);
            var split = firstWord > 0 && numbers[firstWord].Digits == "0" && numbers.Count - firstWord >= 4;
            if (split)
            {
                numbers.RemoveRange(0, firstWord);
            }

            if (numbers.Count >= 4 && numbers.Exists(n => n.Word))
            {
                sb.Append(text, last, tokens[numbers[0].Token].Index - last);
                if (split)
                {
                    // Kept apart from the digits before, or "24/7 0 6 1 ..." would read as one spaced-out number.
                    sb.Append("; ");
                }

                sb.AppendJoin(' ', numbers.Select(n => n.Digits));
                last = tokens[j - 1].Index + tokens[j - 1].Length;
                i = j;
            }
            else
            {
                i = Math.Max(j, i + 1);
            }
        }

        sb.Append(text, last, text.Length - last);
        return sb.ToString();
    }

    /// <summary>Only separators between two words: at most three of spaces, hyphens, dashes, dots, commas and slashes.</summary>
    private static bool OnlySeparators(string text, Match a, Match b)
    {
        var between = text.AsSpan(a.Index + a.Length, b.Index - a.Index - a.Length);
        return between.Length <= 3 && between.Trim(" -\u2013\u2014.,/\u00A0").IsEmpty;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Token();

    /// <summary>A stretch of at least eight digits, separators and O/o/l/I, not touching other letters, holding at least three digits.</summary>
    [GeneratedRegex(@"(?<![\p{L}\d])(?=[0-9OolI \-.]*\d[0-9OolI \-.]*\d[0-9OolI \-.]*\d)[0-9+OolI][0-9OolI \-.]{6,}[0-9OolI](?![\p{L}\d])")]
    private static partial Regex LettersNextToDigits();

    /// <summary>Single digits each separated by one separator, at least nine of them: "0-6-1-2-3-4-5-6-7-8".</summary>
    [GeneratedRegex(@"(?<![\d])\d(?:[ .\-/_*|]\d){8,}(?![\d])")]
    private static partial Regex SpacedDigits();

    /// <summary>
    /// A trunk or country prefix alone (after a space, not "05:00"), one to three words of up to seven letters, then at least six more
    /// digits: the words are there to break the number. What comes of joining them still has to be a valid number to count.
    /// </summary>
    [GeneratedRegex(@"(?<=^|[\s(])(?<prefix>0[1-9]\d{0,2}|\+\d{2,3})[ \t\u00A0]+(?:\p{L}{1,7}[ \t\u00A0,:]+){1,3}(?<rest>\d(?:[ \-.]?\d){5,8})(?![\d\p{L}])")]
    private static partial Regex WordsInsideNumber();

    [GeneratedRegex(@"\s*[\(\[\{]\s*(?:at|apenstaartje|arobase|arobas|klammeraffe|@)\s*[\)\]\}]\s*|\s+(?:apenstaartje|at-sign|arobase|klammeraffe)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AtWord();

    [GeneratedRegex(@"\s*[\(\[\{]\s*(?:punt|dot|point|punkt)\s*[\)\]\}]\s*|(?<=@[\w.-]+)\s+(?:punt|dot|point|punkt)\s+(?=\w)", RegexOptions.IgnoreCase)]
    private static partial Regex DotWord();

    /// <summary>Single characters separated by single spaces, around an '@': "l i s a @ e x a m p l e . n l".</summary>
    [GeneratedRegex(@"(?<!\S)(?:[\w.\-] ){2,}@(?: [\w.\-]){3,}(?!\S)")]
    private static partial Regex SpacedLetters();
}
