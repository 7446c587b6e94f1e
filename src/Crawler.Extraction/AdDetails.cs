using System.Globalization;
using System.Text.RegularExpressions;
using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>Stated ages and rates read from ad text (Dutch and English).</summary>
public static partial class AdDetails
{
    private static readonly string[] AgeUnits = ["years old", "year old", "years", "year", "jaar", "jr", "yo", "y/o", "jahre alt", "jahre", "jahren", "jährige", "j.", "ans", "an"];

    private static readonly string[] AgeCues = ["leeftijd", "ik ben", "i am", "i'm", "age", "âge", "alter", "ich bin", "je suis", "j'ai", "j’ai"];

    /// <summary>Words that make "16 jaar" a span of time, not an age: "al 16 jaar ervaring", "depuis 10 ans", "seit 5 Jahren".</summary>
    private static readonly string[] SpanWords = ["ervaring", "experience", "erfahrung", "expérience", "experience", "in het vak", "im geschäft", "dans le métier"];

    private static readonly string[] SpanCues = ["al", "sinds", "since", "for", "depuis", "seit", "voor", "over", "meer dan", "plus de", "mehr als", "über"];

    /// <summary>
    /// Ages the ad states about its subject: "24 jaar", "24yo", "age: 24", "Leeftijd 24", "I am 24". Read from the
    /// two-digit numbers outwards (a vectorised search for digits), not by trying a pattern at every letter.
    /// </summary>
    public static IReadOnlyList<int> Ages(string text) => Ages(text, null);

    /// <summary>
    /// Stated ages as <see cref="Ages(string)"/> reads them, and ages in brackets after a name ("Kim (28)", "Bo &amp; Noor
    /// (22 en 24)", "Chantal (33)"), unless the word before the bracket is one that <paramref name="counted"/> says is
    /// counted or measured ("Foto's (16)", "Maat (38)"): without it, bracketed numbers are not read.
    /// </summary>
    public static IReadOnlyList<int> Ages(string text, Func<string, bool>? counted)
    {
        var found = new List<(int At, int Age)>();
        if (counted is not null && text.Contains('(', StringComparison.Ordinal))
        {
            foreach (Match m in BracketedAges().Matches(text))
            {
                if (!counted(m.Groups["word"].Value))
                {
                    foreach (Capture c in m.Groups["age"].Captures)
                    {
                        found.Add((c.Index, int.Parse(c.Value, CultureInfo.InvariantCulture)));
                    }
                }
            }
        }

        var s = text.AsSpan();
        var i = 0;
        while (i < s.Length)
        {
            var next = s[i..].IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                break;
            }

            var at = i + next;
            var end = at;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }

            i = end;
            if (end - at != 2 || (at > 0 && IsWordChar(s[at - 1])))
            {
                continue;
            }

            var age = ((s[at] - '0') * 10) + (s[at + 1] - '0');

            // "18+" is an age limit, "16 jaar ervaring" a span of time: neither is anyone's age.
            if ((end < s.Length && s[end] == '+') || IsSpan(s, at, end))
            {
                continue;
            }

            if (UnitAfter(s, end))
            {
                found.Add((at, age));
            }
            else if ((end == s.Length || !IsWordChar(s[end])) && CueBefore(s, at) is var cue and >= 0)
            {
                found.Add((cue, age));
            }
        }

        found.Sort((a, b) => a.At.CompareTo(b.At));
        var ages = new List<int>();
        foreach (var (_, age) in found)
        {
            if (age is >= 12 and <= 80 && !ages.Contains(age))
            {
                ages.Add(age);
            }
        }

        return ages;
    }

    private static bool IsSpan(ReadOnlySpan<char> s, int at, int end)
    {
        var after = s[end..Math.Min(s.Length, end + 40)];
        foreach (var w in SpanWords)
        {
            if (after.Contains(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var before = s[Math.Max(0, at - 12)..at].TrimEnd();
        foreach (var cue in SpanCues)
        {
            if (before.EndsWith(cue, StringComparison.OrdinalIgnoreCase) && (before.Length == cue.Length || !IsWordChar(before[^(cue.Length + 1)])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"jaar", "years old", "yo" after optional white space, as a whole word.</summary>
    private static bool UnitAfter(ReadOnlySpan<char> s, int from)
    {
        var k = from;
        while (k < s.Length && char.IsWhiteSpace(s[k]))
        {
            k++;
        }

        foreach (var unit in AgeUnits)
        {
            if (StartsWithWords(s[k..], unit, out var length) && (k + length == s.Length || !IsWordChar(s[k + length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where "leeftijd", "age", "ik ben", "I am" or "I'm" starts, when it stands as a word before the number (white space and one ':' between); else -1.</summary>
    private static int CueBefore(ReadOnlySpan<char> s, int number)
    {
        var k = number;
        while (k > 0 && char.IsWhiteSpace(s[k - 1]))
        {
            k--;
        }

        if (k > 0 && s[k - 1] == ':')
        {
            k--;
            while (k > 0 && char.IsWhiteSpace(s[k - 1]))
            {
                k--;
            }
        }

        foreach (var cue in AgeCues)
        {
            var start = k - cue.Length;
            if (start >= 0 && s[start..k].Equals(cue, StringComparison.OrdinalIgnoreCase) && (start == 0 || !IsWordChar(s[start - 1])))
            {
                return start;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="s"/> starts with <paramref name="words"/>, the space between words being any white space.</summary>
    private static bool StartsWithWords(ReadOnlySpan<char> s, string words, out int length)
    {
        var space = words.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            length = words.Length;
            return s.StartsWith(words, StringComparison.OrdinalIgnoreCase);
        }

        length = 0;
        if (!s.StartsWith(words.AsSpan(0, space), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var k = space;
        while (k < s.Length && char.IsWhiteSpace(s[k]))
        {
            k++;
        }

        var rest = words.AsSpan(space + 1);
        if (k == space || !s[k..].StartsWith(rest, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        length = k + rest.Length;
        return true;
    }

    /// <summary>What a regular expression's \w matches.</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || c == '_' ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// The ages a value labelled as age gives: "24", "24 jaar", "22 &amp; 23", "24 / 26", "26 en 31"; not a range ("25-30")
    /// and not an age limit ("18+").
    /// </summary>
    public static IReadOnlyList<int> AgesIn(string labelValue)
    {
        var ages = new List<int>();
        var m = AgeList().Match(labelValue);
        if (m.Success)
        {
            foreach (Capture c in m.Groups["age"].Captures)
            {
                var age = int.Parse(c.Value, CultureInfo.InvariantCulture);
                if (age is >= 12 and <= 80 && !ages.Contains(age))
                {
                    ages.Add(age);
                }
            }
        }

        return ages;
    }

    /// <summary>A capitalised word, then two-digit numbers in brackets joined by "&amp;", "/", ",", "+" or "and" in four languages.</summary>
    [GeneratedRegex(@"(?<word>\p{Lu}[\p{L}\p{M}'’]*)\s*\(\s*(?<age>\d{2})(?:\s*(?:&|\+|/|,|\ben\b|\band\b|\bund\b|\bet\b)\s*(?<age>\d{2})){0,5}\s*\)")]
    private static partial Regex BracketedAges();

    /// <summary>The whole of a label's value: two-digit numbers joined as above, with an optional unit after each.</summary>
    [GeneratedRegex(@"^\s*(?<age>\d{2})(?!\s*\+)(?:\s*(?:jaar|jr\.?|years?|yrs|y/o|yo|jahre|ans))?(?:\s*(?:&|/|,|\ben\b|\band\b|\bund\b|\bet\b)\s*(?<age>\d{2})(?!\s*\+)(?:\s*(?:jaar|jr\.?|years?|yrs|y/o|yo|jahre|ans))?){0,7}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AgeList();

    /// <summary>
    /// Rates in either order and four languages: "€ 150 per uur", "80 euro per half uur", "€ 100 / 30 min", "250 EUR for
    /// 2 hours", "100€ de l'heure", "50 € la demi-heure", "100 € pro Stunde"; duration first: "1 Std. 150 €", "30 Min. 80 €",
    /// "half uur 40 euro, uur 70", "1 uur: 80"; lists on a line and durations with their amounts on the next line
    /// (<see cref="RateReader"/>).
    /// </summary>
    public static IReadOnlyList<StatedPrice> Prices(string text) => RateReader.Read(text);
}
