using System.Text.RegularExpressions;

namespace Crawler.Extraction;

/// <summary>
/// The advertised working name: from a label ("Naam: Lisa"), structured data, the ad's own words ("ik ben
/// Lisa", "my name is Lisa") or the title ("Lisa, nieuw in Utrecht", "Massage door Eva in Rotterdam",
/// "Gezelschap in Eindhoven: Fleur"). A capitalised word that the lexicon knows (a place, an origin, a
/// service) or that ads often capitalise ("Nieuw", "Sexy") is not a name.
/// </summary>
internal static partial class WorkingNames
{
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "nieuw", "new", "hier", "here", "een", "a", "an", "de", "het", "the", "available", "beschikbaar", "terug", "back", "weer",
        "again", "op", "in", "er", "jouw", "your", "je", "zeer", "very", "echt", "really", "niet", "not", "graag", "gewoon", "just",
        "ook", "also", "sexy", "hot", "mooi", "lekker", "jong", "young", "open", "discreet", "discrete", "vandaag", "today", "nog",
        "still", "erg", "so", "zo", "heel", "always", "altijd", "now", "nu", "online", "ready", "klaar", "blij", "happy", "vrij",
        "free", "single", "getrouwd", "married", "student", "studente", "escort", "model", "massage", "masseuse", "dame", "lady",
        "girl", "meid", "vrouw", "woman", "welkom", "welcome", "hallo", "hello", "hoi", "hi", "hey", "ik", "i", "me", "mij", "we",
        "wij", "ons", "our", "onze", "deze", "this", "die", "that", "dat", "wat", "what", "waar", "where", "bel", "call", "app",
        "mail", "contact", "privé", "prive", "private", "gezellig", "lief", "sweet", "nice", "leuk", "fun", "klein", "small",
        "groot", "tall", "slank", "slim", "blond", "blonde", "brunette", "afspraak", "appointment", "tarief", "rate", "rates",
        "over", "about", "profiel", "profile", "companionship", "gezelschap", "relaxing", "ontspannende", "relaxed", "rustige",
        "ontspanning", "quiet", "home", "thuis", "foto", "photo", "photos", "fotos", "ad", "advertentie",
    };

    /// <summary>The first plausible name in a label value: "Lisa", "Lisa (22)", "Anna-Maria".</summary>
    public static string? FromValue(string value, Func<string, bool> isLexiconWord)
    {
        var m = NameWord().Match(value);
        return m.Success && IsName(m.Value, isLexiconWord) ? m.Value : null;
    }

    public static string? FromProse(string text, Func<string, bool> isLexiconWord)
    {
        foreach (Match m in SelfIntroduction().Matches(text))
        {
            var name = m.Groups["name"].Value;
            if (IsName(name, isLexiconWord))
            {
                return name;
            }
        }

        return null;
    }

    public static string? FromTitle(string title, Func<string, bool> isLexiconWord)
    {
        foreach (var pattern in new[] { TitleLead(), TitleBy(), TitleTail() })
        {
            var m = pattern.Match(title);
            if (m.Success && IsName(m.Groups["name"].Value, isLexiconWord))
            {
                return m.Groups["name"].Value;
            }
        }

        return null;
    }

    private static bool IsName(string word, Func<string, bool> isLexiconWord) =>
        word.Length is >= 2 and <= 24 && !NotNames.Contains(word) && !isLexiconWord(word);

    [GeneratedRegex(@"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?")]
    private static partial Regex NameWord();

    [GeneratedRegex(@"(?i:\b(?:ik\s+ben|ik\s+heet|mijn\s+naam\s+is|my\s+name\s+is|i\s+am|i'm|i’m|call\s+me|noem\s+me|this\s+is|hier\s+is|it's|it’s))\s+(?<name>\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\b")]
    private static partial Regex SelfIntroduction();

    /// <summary>"Lisa, nieuw in Utrecht", "Noor (21) – ...", "Anouk in Den Haag ...", "Maud deze weken in Zwolle".</summary>
    [GeneratedRegex(@"^\s*(?<name>\p{Lu}\p{Ll}+)(?:\s*,|\s*\(\d|\s+[–—-]\s|\s+(?:in|uit|deze|this|is|terug|back|nieuw|new|from)\b)")]
    private static partial Regex TitleLead();

    /// <summary>"Massage door Eva in Rotterdam", "Relaxing massage by Lotte".</summary>
    [GeneratedRegex(@"\b(?:door|by|met|with)\s+(?<name>\p{Lu}\p{Ll}+)\b")]
    private static partial Regex TitleBy();

    /// <summary>"Gezelschap in Eindhoven: Fleur", "Companionship in Den Haag: Kim".</summary>
    [GeneratedRegex(@":\s*(?<name>\p{Lu}\p{Ll}+)\s*$")]
    private static partial Regex TitleTail();
}
