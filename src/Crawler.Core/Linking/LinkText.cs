using System.Text;
using Crawler.Core.Indicators;

namespace Crawler.Core.Linking;

/// <summary>
/// Ad text as linking compares it: folded words (lower case, no diacritics) with contacts and the slots a
/// template fills in masked, so two ads from one template with different numbers, names, ages or prices still
/// read alike, and no contact ever becomes part of a text fingerprint.
/// </summary>
public static class LinkText
{
    public const string Contact = "#contact";
    public const string Url = "#url";
    public const string Number = "#num";
    public const string NameSlot = "#name";
    public const string CitySlot = "#city";

    // Phones written as words ("nul zes een twee ...") are runs of number words; "een" alone is an article, so
    // only runs of this length or longer are masked.
    private const int NumberWordRun = 4;

    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal) { Contact, Url, Number, NameSlot, CitySlot };

    private static readonly HashSet<string> NumberWords = new(StringComparer.Ordinal)
    {
        "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
        "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    };

    /// <summary>
    /// Masks e-mail addresses and @handles (<see cref="Contact"/>), links (<see cref="Url"/>), every word with
    /// a digit and every run of number words (<see cref="Number"/>), and the ad's own name and city; drops
    /// symbols and emoji. Applying it twice gives the same text.
    /// </summary>
    public static string Normalise(string text, string? name = null, string? city = null)
    {
        var nameWords = Set(name);
        var cityWords = Set(city);
        var words = new List<string>();
        var plain = new StringBuilder();
        foreach (var chunk in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var mask = Placeholders.Contains(chunk) ? chunk
                : chunk.Contains('@', StringComparison.Ordinal) ? Contact
                : chunk.Contains("://", StringComparison.Ordinal) || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? Url
                : null;
            if (mask is null)
            {
                // Plain chunks are tokenised together, once per stretch between masked ones.
                plain.Append(chunk).Append(' ');
                continue;
            }

            AddPlain(words, plain, nameWords, cityWords);
            Add(words, mask);
        }

        AddPlain(words, plain, nameWords, cityWords);
        MaskNumberWordRuns(words);
        return string.Join(' ', words);
    }

    private static void AddPlain(List<string> words, StringBuilder plain, HashSet<string> nameWords, HashSet<string> cityWords)
    {
        if (plain.Length == 0)
        {
            return;
        }

        foreach (var (word, _) in TextTokenizer.Words(plain.ToString()))
        {
            if (!char.IsLetterOrDigit(word[0]))
            {
                continue;
            }

            Add(words, word.Any(char.IsDigit) ? Number
                : nameWords.Contains(word) ? NameSlot
                : cityWords.Contains(word) ? CitySlot
                : word);
        }

        plain.Clear();
    }

    private static HashSet<string> Set(string? s) =>
        s is null ? [] : TextTokenizer.Words(s).Select(w => w.Word).Where(w => w.Length > 1 && char.IsLetter(w[0])).ToHashSet(StringComparer.Ordinal);

    // Consecutive masked numbers are one number: "06 12 34 56 78" is one contact, not five.
    private static void Add(List<string> words, string word)
    {
        if (word == Number && words.Count > 0 && words[^1] == Number)
        {
            return;
        }

        words.Add(word);
    }

    private static void MaskNumberWordRuns(List<string> words)
    {
        var result = new List<string>(words.Count);
        var i = 0;
        while (i < words.Count)
        {
            var j = i;
            while (j < words.Count && (NumberWords.Contains(words[j]) || words[j] == Number))
            {
                j++;
            }

            if (j - i >= NumberWordRun)
            {
                Add(result, Number);
                i = j;
            }
            else
            {
                Add(result, words[i]);
                i++;
            }
        }

        words.Clear();
        words.AddRange(result);
    }

    internal static string Fold(string? s) =>
        s is null ? "" : new StringBuilder().AppendJoin(' ', TextTokenizer.Words(s).Select(w => w.Word)).ToString();
}
