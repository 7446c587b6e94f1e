using Crawler.Core.Hits;

namespace Crawler.Extraction;

/// <summary>What the lexicon found: each list in order of first mention, without repeats.</summary>
internal sealed class LexiconFindings
{
    /// <summary>The page's country (nl, be, de ...): a place name several countries share is read as this country's.</summary>
    public string? Country { get; init; }

    /// <summary>The page's language: a bilingual place is written as in this language ("Bruxelles" on a French page).</summary>
    public string? Language { get; init; }

    public List<StatedLocation> Locations { get; } = [];

    public List<string> Origins { get; } = [];

    public List<string> Languages { get; } = [];

    public List<string> Venues { get; } = [];

    public List<string> Services { get; } = [];

    public static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    public void AddLocation(string kind, string value)
    {
        foreach (var l in Locations)
        {
            if (l.Kind == kind && l.Value == value)
            {
                return;
            }
        }

        Locations.Add(new StatedLocation(kind, value));
    }
}

/// <summary>
/// Reads origins, spoken languages, places, venues and services from words, with the cues that make a
/// word mean something: "spreek"/"speaks" before a language, "uit"/"from" before a country, "in"/"regio"
/// before a place that is also a common word, a person noun after an adjective ("Roemeens meisje"), and a
/// negation shortly before ("geen escort", "no anal", "spreek geen Nederlands") or closing the clause after
/// ("anaal doe ik niet", "Escort: nee") that cancels the claim.
/// A label value is read without cues: the label says what it is.
/// </summary>
internal sealed class ProseReader(PhraseTable<Term[]> table)
{
    private const int NegationReach = 3;

    public void Read(TokenizedText text, LexiconFindings into, LabelKind label = LabelKind.Other)
    {
        var tokens = text.Tokens;
        var languageContext = label == LabelKind.Languages;
        var negatedUntil = -1;
        var placeCueEnd = -1;
        var originCueEnd = -1;
        var selfCueEnd = -1;
        var sentenceLanguages = new List<string>();
        var i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (token.SentenceStart && i > 0 && label == LabelKind.Other)
            {
                languageContext = false;
                sentenceLanguages.Clear();
            }

            if (token.ClauseStart)
            {
                negatedUntil = -1;
            }

            // "3511 BJ", "1234 ZC": the letters of a postcode are no words.
            if (IsPostcodeLetters(text, i) || !table.TryMatch(text, i, out var terms, out var length))
            {
                i++;
                continue;
            }

            var end = i + length;
            var place = ChoosePlace(terms, into.Country);
            var negated = i <= negatedUntil || (Negatable(terms) && NegatedAfter(text, end));
            foreach (var term in terms)
            {
                switch (term.Kind)
                {
                    case TermKind.Negation:
                        negatedUntil = end - 1 + NegationReach;
                        break;
                    case TermKind.Contrast:
                        negatedUntil = -1;
                        break;
                    case TermKind.LanguageCue:
                        languageContext = true;
                        break;
                    case TermKind.LanguageAfterCue:
                        foreach (var l in sentenceLanguages)
                        {
                            LexiconFindings.AddOnce(into.Languages, l);
                        }

                        break;
                    case TermKind.PlaceCue:
                        placeCueEnd = end;
                        break;
                    case TermKind.OriginCue:
                        originCueEnd = end;
                        break;
                    case TermKind.SelfCue:
                        selfCueEnd = end;
                        break;
                    case TermKind.Language when !negated:
                        if (languageContext)
                        {
                            LexiconFindings.AddOnce(into.Languages, term.Codes[0]);
                        }
                        else if (token.Capitalised)
                        {
                            sentenceLanguages.Add(term.Codes[0]);
                        }

                        break;
                    case TermKind.OriginAdjective when !negated && !languageContext:
                        if (label == LabelKind.Origin ||
                            (token.Capitalised && (IsPersonNoun(text, end) || SelfCueBefore(text, i, selfCueEnd))))
                        {
                            LexiconFindings.AddOnce(into.Origins, term.Codes[0]);
                        }

                        break;
                    case TermKind.OriginWord when !negated && !languageContext:
                        // "Thaise massage" names a style of massage, not where the masseuse is from.
                        if ((label == LabelKind.Origin || token.Capitalised) && !IsService(text, end))
                        {
                            LexiconFindings.AddOnce(into.Origins, term.Codes[0]);
                        }

                        break;
                    case TermKind.Country when !negated && !languageContext:
                        if (label == LabelKind.Origin || (token.Capitalised && originCueEnd >= i - 1 && originCueEnd <= i))
                        {
                            LexiconFindings.AddOnce(into.Origins, term.Codes[0]);
                        }

                        break;
                    case TermKind.Venue when !negated && label is LabelKind.Other or LabelKind.Incall or LabelKind.Outcall or LabelKind.Services:
                        foreach (var code in term.Codes)
                        {
                            LexiconFindings.AddOnce(into.Venues, code);
                        }

                        break;
                    case TermKind.Service when !negated && label is LabelKind.Other or LabelKind.Services:
                        LexiconFindings.AddOnce(into.Services, term.Codes[0]);
                        break;
                    case TermKind.Place when term == place:
                        // A place of another country than the page's ("Kiel" on a Belgian page) needs a cue, as a common word does.
                        var capital = i + term.CapitalAt < tokens.Count && tokens[i + term.CapitalAt].Capitalised;
                        var needsCue = term.Ambiguous || (into.Country is { } country && term.Place is { } p && p.Country != country);
                        if (label == LabelKind.Place || (capital && (!needsCue || placeCueEnd == i)))
                        {
                            into.AddLocation(StatedLocation.City, term.Place?.CanonicalIn(into.Language) ?? term.Codes[0]);
                            if (Postcodes.NextToPlace(text.Original, tokens[i].Start, tokens[end - 1].Start + tokens[end - 1].Length,
                                    term.Place?.Country ?? "nl") is { } postcode)
                            {
                                into.AddLocation(StatedLocation.PostcodeArea, postcode);
                            }
                        }

                        break;
                }
            }

            i = end;
        }
    }

    /// <summary>A spelling several countries share ("Bergen") is the place of the page's country, else of the first gazetteer.</summary>
    private static Term? ChoosePlace(Term[] terms, string? country)
    {
        Term? first = null;
        foreach (var t in terms)
        {
            if (t.Kind != TermKind.Place)
            {
                continue;
            }

            if (t.Place?.Country == country)
            {
                return t;
            }

            first ??= t;
        }

        return first;
    }

    private static bool IsPostcodeLetters(TokenizedText text, int i)
    {
        var token = text.Tokens[i];
        if (i == 0 || token.Length != 2 || text.Tokens[i - 1].Length != 4 || token.Start - (text.Tokens[i - 1].Start + 4) > 1 ||
            !char.IsAsciiLetterUpper(text.Original[token.Start]) || !char.IsAsciiLetterUpper(text.Original[token.Start + 1]))
        {
            return false;
        }

        foreach (var c in text.Word(i - 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // Places and cue words, most of the terms a text holds, are never negated: they skip the look-ahead.
    private static bool Negatable(Term[] terms)
    {
        foreach (var t in terms)
        {
            if (t.Kind is TermKind.Language or TermKind.OriginAdjective or TermKind.OriginWord or TermKind.Country or TermKind.Venue or TermKind.Service)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a negation closes the clause of the term that ends before word <paramref name="next"/>, the rule of
    /// <c>negation.after</c> in policies/indicators.yaml: at most <see cref="Vocabulary.NegationAfterWindow"/>
    /// words, the negation, then the end of the clause or one completion and the end ("anaal doe ik niet", "escort
    /// is niet mogelijk"; "hotelbezoek is niet duur" keeps its hotel). A label-like term may be answered with a bare
    /// negation across the boundary right after it ("Escort: nee"); words there begin another statement ("home, no
    /// incall").
    /// </summary>
    private bool NegatedAfter(TokenizedText text, int next)
    {
        var tokens = text.Tokens;
        var limit = Math.Min(tokens.Count - 1, next + Vocabulary.NegationAfterWindow);
        var inPhraseUntil = -1;
        for (var k = next; k <= limit; k++)
        {
            var crossed = tokens[k].ClauseStart;
            if (crossed && k > next)
            {
                return false;
            }

            // A word of a longer phrase is no negation: "no" in "no condom", "no limits".
            if (k > inPhraseUntil && table.TryMatch(text, k, out _, out var length) && length > 1)
            {
                inPhraseUntil = k + length - 1;
            }

            if (k > inPhraseUntil && Vocabulary.IsOneOf(text.Word(k), Vocabulary.NegationsAfter) && ClauseEndsAfter(text, k))
            {
                return true;
            }

            if (k <= inPhraseUntil || !Vocabulary.IsOneOf(text.Word(k), Vocabulary.NegationBetween))
            {
                return false;
            }

            if (crossed)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ClauseEndsAfter(TokenizedText text, int negation)
    {
        var tokens = text.Tokens;
        var next = negation + 1;
        if (next == tokens.Count || tokens[next].ClauseStart)
        {
            return true;
        }

        return Vocabulary.IsOneOf(text.Word(next), Vocabulary.NegationCompletions) && (next + 1 == tokens.Count || tokens[next + 1].ClauseStart);
    }

    private bool IsPersonNoun(TokenizedText text, int at) => Has(text, at, TermKind.PersonNoun);

    private bool IsService(TokenizedText text, int at) => Has(text, at, TermKind.Service);

    private bool Has(TokenizedText text, int at, TermKind kind)
    {
        if (at >= text.Tokens.Count || text.Tokens[at].SentenceStart || !table.TryMatch(text, at, out var terms, out _))
        {
            return false;
        }

        foreach (var t in terms)
        {
            if (t.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"ik ben Roemeens", "I am a Romanian", "I'm 100% Romanian": the self cue at most two words before.</summary>
    private static bool SelfCueBefore(TokenizedText text, int at, int selfCueEnd) =>
        selfCueEnd >= 0 && at - selfCueEnd <= 2 && !HasBoundary(text, selfCueEnd, at);

    private static bool HasBoundary(TokenizedText text, int from, int to)
    {
        for (var k = from + 1; k <= to && k < text.Tokens.Count; k++)
        {
            if (text.Tokens[k].SentenceStart)
            {
                return true;
            }
        }

        return false;
    }
}
