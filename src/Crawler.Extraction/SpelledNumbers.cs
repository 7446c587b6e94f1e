using System.Collections.Frozen;

namespace Crawler.Extraction;

/// <summary>
/// Numbers written as words in Dutch (and Flemish), German, French and English, read as the digits they stand for:
/// single digits ("nul", "null", "zéro", "zero"), teens ("zeventien", "siebzehn", "dix-sept", "seventeen"), tens, and
/// their compounds, which Dutch and German write unit first in one word ("vijfentwintig", "fünfundzwanzig") and French
/// and English tens first in several ("vingt-cinq", "quatre-vingt-huit", "soixante-dix-huit", "twenty five").
/// Only the words are read here; whether a run of them is a phone number is <see cref="Deobfuscation"/>'s decision.
/// </summary>
internal static class SpelledNumbers
{
    private static readonly FrozenDictionary<string, int> Words = Build();

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Tens words by value, to recognise the "tig"/"zig" half of a one-word compound.</summary>
    private static readonly FrozenSet<string> Tens = Words.Where(w => w.Value is >= 20 and <= 90 && w.Value % 10 == 0).Select(w => w.Key).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TensLookup = Tens.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Longest word a compound can be ("zweiundneunzig", "achtenveertig"), folded.</summary>
    private const int MaxWord = 16;

    private static FrozenDictionary<string, int> Build()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(int from, string words)
        {
            var value = from;
            foreach (var group in words.Split(' '))
            {
                foreach (var w in group.Split('/'))
                {
                    map[Fold(w)] = value;
                }

                value += from >= 20 ? 10 : 1;
            }
        }

        // Dutch (Flemish writes them the same).
        Add(0, "nul een/één twee drie vier vijf zes zeven acht negen");
        Add(10, "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien");
        Add(20, "twintig dertig veertig vijftig zestig zeventig tachtig negentig");

        // German: "eins" alone (the article "ein" is no digit), "zwo" as said on the phone.
        Add(0, "null eins zwei/zwo drei vier fünf sechs sieben acht neun");
        Add(10, "zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn");
        Add(20, "zwanzig dreißig/dreissig vierzig fünfzig sechzig siebzig achtzig neunzig");

        // French, with the Belgian and Swiss tens.
        Add(0, "zéro un/une deux trois quatre cinq six sept huit neuf");
        Add(10, "dix onze douze treize quatorze quinze seize");
        Add(20, "vingt trente quarante cinquante soixante septante huitante nonante");
        map["octante"] = 80;
        map["vingts"] = 20;

        // English.
        Add(0, "zero one two three four five six seven eight nine");
        map["oh"] = 0;
        Add(10, "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen");
        Add(20, "twenty thirty forty fifty sixty seventy eighty ninety");
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Lower case without diacritics ("Fünf" is "funf", "één" is "een"), for the few letters these words use.</summary>
    internal static string Fold(string word)
    {
        Span<char> buffer = stackalloc char[word.Length];
        var n = Fold(word, buffer);
        return buffer[..n].ToString();
    }

    private static int Fold(ReadOnlySpan<char> word, Span<char> into)
    {
        var n = 0;
        foreach (var c in word)
        {
            if (n == into.Length)
            {
                return -1;
            }

            into[n++] = char.ToLowerInvariant(c) switch
            {
                'ä' or 'à' or 'â' => 'a',
                'ë' or 'é' or 'è' or 'ê' => 'e',
                'ï' or 'î' => 'i',
                'ö' or 'ô' => 'o',
                'ü' or 'û' => 'u',
                'ß' => 's',
                var l => l,
            };
        }

        // 'ß' folds to one 's': "dreißig" and "dreissig" are both in the table, folded the same way.
        return n;
    }

    /// <summary>Whether a word is a number word of any of the languages (a unit, a teen, a ten, or a one-word compound).</summary>
    public static bool IsNumberWord(ReadOnlySpan<char> word) => Value(word) is not null;

    /// <summary>The value of one word: 0-99, or null.</summary>
    public static int? Value(ReadOnlySpan<char> word)
    {
        if (word.Length is < 2 or > MaxWord)
        {
            return null;
        }

        Span<char> folded = stackalloc char[MaxWord];
        var n = Fold(word, folded);
        if (n < 0)
        {
            return null;
        }

        var w = folded[..n];
        if (Lookup.TryGetValue(w, out var value))
        {
            return value;
        }

        // Unit first, joined by "en" (Dutch: "vijfentwintig", "tweeëntwintig") or "und" (German: "einundzwanzig").
        foreach (var joint in (ReadOnlySpan<string>)["en", "und"])
        {
            for (var at = JointFrom(w, joint, 2); at >= 0; at = JointFrom(w, joint, at + 1))
            {
                var unit = w[..at];
                var ten = w[(at + joint.Length)..];
                if (TensLookup.Contains(ten) && Lookup.TryGetValue(ten, out var tens) &&
                    (Lookup.TryGetValue(unit, out var u) || (unit.SequenceEqual("ein") && (u = 1) == 1)) && u is >= 1 and <= 9)
                {
                    return tens + u;
                }
            }
        }

        return null;
    }

    private static int JointFrom(ReadOnlySpan<char> w, string joint, int from)
    {
        var next = from > w.Length ? -1 : w[from..].IndexOf(joint, StringComparison.Ordinal);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>
    /// Reads the number phrase that starts at word <paramref name="at"/>: one word, or tens followed by a unit or
    /// teen ("twenty five", "vingt-cinq", "vingt et un", "soixante-dix-huit", "quatre-vingt-dix"). Returns its digits
    /// (one or two) and how many words it took, or null when the word is no number word.
    /// </summary>
    /// <param name="words">The words of the stretch.</param>
    /// <param name="at">Where the phrase starts.</param>
    /// <param name="joined">Whether word k and k+1 stand next to each other with only a separator between (no sentence end).</param>
    public static (string Digits, int Used)? Read(IReadOnlyList<string> words, int at, Func<int, bool> joined)
    {
        if (Value(words[at]) is not { } first)
        {
            return null;
        }

        var used = 1;
        var value = first;

        // "quatre-vingt(s)": four twenties.
        if (first == 4 && More(words, at, used, joined) && Value(words[at + used]) == 20)
        {
            value = 80;
            used++;
        }

        if (value is >= 20 and <= 90 && value % 10 == 0 && More(words, at, used, joined))
        {
            var k = at + used;
            var et = Fold(words[k]) == "et" && More(words, at, used + 1, joined);
            var next = Value(words[et ? k + 1 : k]);

            // "dix-sept" inside "soixante-dix-sept": a teen written as two words.
            var teenWords = 1;
            if (next == 10 && More(words, at, used + (et ? 2 : 1), joined) && Value(words[at + used + (et ? 2 : 1)]) is { } unit and >= 7 and <= 9)
            {
                next = 10 + unit;
                teenWords = 2;
            }

            // Units follow any ten; teens only the French tens that count by twenty (60 + 17, 80 + 12).
            if (next is >= 1 and <= 9 || (next is >= 10 and <= 19 && value is 60 or 80))
            {
                value += next.Value;
                used += (et ? 1 : 0) + teenWords;
            }
        }
        else if (value == 10 && More(words, at, used, joined) && Value(words[at + 1]) is { } teenUnit and >= 7 and <= 9 && IsFrenchTen(words[at]))
        {
            value = 10 + teenUnit;
            used++;
        }

        return (value.ToString(System.Globalization.CultureInfo.InvariantCulture), used);
    }

    private static bool IsFrenchTen(string word) => Fold(word) == "dix";

    private static bool More(IReadOnlyList<string> words, int at, int used, Func<int, bool> joined) =>
        at + used < words.Count && joined(at + used - 1);
}
