using System.Globalization;
using Crawler.Core.Hits;
using Crawler.Core.Linking;
using Crawler.Core.Policy;

namespace Crawler.Core.Indicators;

/// <summary>
/// The result of scoring: a ranking aid that orders work for a human reviewer, never a verdict. Every fired
/// indicator carries the text that fired it.
/// </summary>
public sealed record IndicatorScore(double Score, IReadOnlyList<IndicatorHit> Fired, bool Escalated);

/// <summary>Indicator ids the scorer feeds from extracted data or from linking, besides their lexicons.</summary>
public static class IndicatorIds
{
    /// <summary>A stated age under 18, or explicit minor terms: escalated at once, outside the score.</summary>
    public const string MinorAge = "minor-age";

    /// <summary>A phone number or address found only after de-obfuscation (<see cref="AdFeatures.Hidden"/>, <see cref="FoundPhone.Obfuscated"/>).</summary>
    public const string HiddenContact = "hidden-contact";

    /// <summary>A stated price per hour below the policy's <see cref="IndicatorDefinition.PerHourBelow"/>.</summary>
    public const string LowPrice = "low-price";

    /// <summary>From linking: this ad's contact is used under several names, ages or cities.</summary>
    public const string SharedContact = "shared-contact";

    /// <summary>From linking: this ad's text is a near-duplicate of an ad with another contact.</summary>
    public const string TemplateText = "template-text";

    /// <summary>The ids that may have no lexicon, because data other than the text fires them.</summary>
    public static IReadOnlyList<string> FedByData { get; } = [MinorAge, HiddenContact, LowPrice, SharedContact, TemplateText];
}

/// <summary>
/// Scores an ad against the indicator policy. Terms match whole words, case- and diacritics-insensitively; a
/// negation shortly before a term ("geen anaal", "no bareback") or closing its clause after it ("anaal doe ik
/// niet", "GFE is niet mogelijk") suppresses it unless the negation is part of a term itself ("geen nep",
/// "zonder condoom"). Each indicator counts once, with the first text that fired it.
/// The score is the sum of the fired indicators' weights: a ranking for review, never a verdict. Pure.
/// </summary>
public static class IndicatorScorer
{
    private const int EvidenceContext = 30;

    // Words that mark a number as an age, for showing where a stated age stands in the text.
    private static readonly HashSet<string> AgeCues = new(StringComparer.Ordinal)
    {
        "jaar", "jr", "j", "jarige", "lentes", "leeftijd", "ben", "age", "aged", "years", "year", "yrs", "yo", "y", "old", "am", "im",
    };

    [ThreadStatic]
    private static List<TermMatch>? t_matches;

    /// <summary>Scores text alone (no extracted data, no linking): the lexicons only.</summary>
    public static IndicatorScore Score(string text, IndicatorPolicy policy) =>
        Score(new AdFeatures(true, "", null, text, [], [], 0), policy);

    /// <summary>
    /// Scores an ad: the lexicons over its title and text, stated ages (under 18 escalates whatever the policy
    /// says), phones found only after de-obfuscation, prices per hour, and what linking found.
    /// </summary>
    public static IndicatorScore Score(AdFeatures ad, IndicatorPolicy policy, LinkSignals? links = null)
    {
        var definitions = policy.Indicators;
        var evidence = new string?[definitions.Count];
        string? minorEvidence = ad.StatesMinorAge ? StatedAgeEvidence(ad) : null;
        for (var i = 0; i < definitions.Count; i++)
        {
            evidence[i] = FromData(definitions[i], ad, links, minorEvidence);
        }

        var lexicon = CompiledLexicon.For(policy);
        Scan(ad.Title, lexicon, evidence);
        Scan(ad.Text, lexicon, evidence);

        var fired = new List<IndicatorHit>();
        var escalated = false;
        double score = 0;
        for (var i = 0; i < definitions.Count; i++)
        {
            if (evidence[i] is { } e)
            {
                fired.Add(new IndicatorHit(definitions[i].Id, definitions[i].Weight, e));
                score += definitions[i].Weight;
                escalated |= definitions[i].Escalates;
            }
        }

        if (minorEvidence is not null)
        {
            // A legal red line, not a policy choice: it escalates even under a policy that lacks minor-age.
            escalated = true;
            if (!fired.Any(f => f.Id == IndicatorIds.MinorAge))
            {
                fired.Add(new IndicatorHit(IndicatorIds.MinorAge, 0, minorEvidence));
            }
        }

        return new IndicatorScore(Math.Round(score, 3), fired, escalated);
    }

    /// <summary>
    /// Adds what linking found to a score computed before linking ran (linking works on stored hits, after the
    /// page itself is gone). Earlier linking indicators are replaced, so running it again changes nothing.
    /// </summary>
    public static IndicatorScore WithLinks(IndicatorScore score, IndicatorPolicy policy, LinkSignals links)
    {
        var fired = score.Fired.Where(f => f.Id is not (IndicatorIds.SharedContact or IndicatorIds.TemplateText)).ToList();
        var escalated = score.Escalated;
        foreach (var definition in policy.Indicators)
        {
            if (definition.Id is IndicatorIds.SharedContact or IndicatorIds.TemplateText &&
                FromData(definition, null, links, null) is { } e)
            {
                fired.Add(new IndicatorHit(definition.Id, definition.Weight, e));
                escalated |= definition.Escalates;
            }
        }

        var order = policy.Indicators.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        fired = [.. fired.OrderBy(f => order.GetValueOrDefault(f.Id, int.MaxValue))];
        return new IndicatorScore(Math.Round(fired.Sum(f => f.Weight), 3), fired, escalated);
    }

    /// <summary>Where <paramref name="term"/> occurs in <paramref name="text"/> as a whole word (case-insensitive), or -1.</summary>
    public static int FindWholeWord(string text, string term)
    {
        var from = 0;
        while (from <= text.Length - term.Length)
        {
            var at = text.IndexOf(term, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }

            var beforeOk = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + term.Length;
            var afterOk = end >= text.Length || !char.IsLetterOrDigit(text[end]);
            if (beforeOk && afterOk)
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    /// <summary>The matched words with a little context, cut at word boundaries.</summary>
    public static string Evidence(string text, int at, int length)
    {
        var start = Math.Max(0, at - EvidenceContext);
        var end = Math.Min(text.Length, at + length + EvidenceContext);
        while (start > 0 && start < at && !char.IsWhiteSpace(text[start - 1]))
        {
            start++;
        }

        while (end < text.Length && end > at + length && !char.IsWhiteSpace(text[end]))
        {
            end--;
        }

        return (start > 0 ? "…" : "") + text[start..end].Trim() + (end < text.Length ? "…" : "");
    }

    private static string? FromData(IndicatorDefinition definition, AdFeatures? ad, LinkSignals? links, string? minorEvidence)
    {
        switch (definition.Id)
        {
            case IndicatorIds.MinorAge:
                return minorEvidence;
            case IndicatorIds.HiddenContact when ad?.Hidden is { Count: > 0 } hidden:
                {
                    var written = hidden[0].Written;
                    var at = ad.Text.IndexOf(written, StringComparison.Ordinal);
                    return at >= 0 ? Evidence(ad.Text, at, written.Length) : written;
                }

            case IndicatorIds.HiddenContact when ad?.Phones.FirstOrDefault(p => p.Obfuscated) is { } phone:
                {
                    var at = phone.Raw.Length == 0 ? -1 : ad.Text.IndexOf(phone.Raw, StringComparison.Ordinal);
                    return at >= 0 ? Evidence(ad.Text, at, phone.Raw.Length) : phone.Raw;
                }

            case IndicatorIds.LowPrice when definition.PerHourBelow is { } limit &&
                                            ad?.Prices?.FirstOrDefault(p => p.PerHour < limit && IsEuro(p.Currency)) is { } price:
                return string.Create(CultureInfo.InvariantCulture, $"{price.Evidence} (= {price.PerHour:0.##} {price.Currency} per hour)");
            case IndicatorIds.SharedContact when links is { SharedContacts.Count: > 0 } l:
                return l.SharedContacts[0].Describe() + More(l.SharedContacts.Count, "contact");
            case IndicatorIds.TemplateText when links is { TemplateTexts.Count: > 0 } l:
                return l.TemplateTexts[0].Describe() + More(l.TemplateTexts.Count, "hit");
            default:
                return null;
        }
    }

    private static string More(int count, string what) => count > 1 ? $" (and {count - 1} more {what}{(count > 2 ? "s" : "")})" : "";

    private static bool IsEuro(string currency) => currency.Equals("EUR", StringComparison.OrdinalIgnoreCase);

    private static void Scan(string? text, CompiledLexicon lexicon, string?[] evidence)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var buffer = TokenBuffer.Rent();
        var matches = t_matches ?? [];
        t_matches = null;
        try
        {
            TextTokenizer.Tokenize(text, buffer);
            lexicon.Identify(buffer);
            matches.Clear();
            lexicon.Match(buffer, matches);
            var tokens = buffer.Tokens;
            foreach (var m in matches)
            {
                // Words inside a term are no negation of another term: "geen nep" does not negate the term after
                // it, nor "niet bellen" the term before it.
                for (var t = m.First; t <= m.Last; t++)
                {
                    tokens[t].Covered = true;
                }
            }

            foreach (var m in matches)
            {
                foreach (var indicator in m.Indicators)
                {
                    // A red line is not talked away afterwards: "ik ben 17 en rook niet" still escalates.
                    if (evidence[indicator] is null && !Negated(tokens, m.First, lexicon) &&
                        (lexicon.Escalates(indicator) || !NegatedAfter(tokens, buffer.Count, m.Last, lexicon)))
                    {
                        evidence[indicator] = Evidence(text, tokens[m.First].Start, tokens[m.Last].End - tokens[m.First].Start);
                    }
                }
            }
        }
        finally
        {
            TokenBuffer.Return(buffer);
            t_matches = matches;
        }
    }

    private static bool Negated(TextToken[] tokens, int first, CompiledLexicon lexicon)
    {
        var window = Math.Max(lexicon.Window, 1);
        for (var distance = 1; distance <= window; distance++)
        {
            var j = first - distance;
            if (j < 0 || tokens[j + 1].BoundaryBefore)
            {
                return false;
            }

            if (!tokens[j].Covered && lexicon.IsNegation(tokens[j].Id, distance))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a negation closes the term's clause after it: at most the window's words, the negation, then the end
    /// of the clause or one completion and the end ("anaal doe ik niet", "anal is not possible"). Only an answer (the
    /// negation, with at most its completion) may stand across the boundary right after the term ("Anaal: nee",
    /// "Kussen? Niet mogelijk"): other words there begin another statement.
    /// </summary>
    private static bool NegatedAfter(TextToken[] tokens, int count, int last, CompiledLexicon lexicon)
    {
        if (!lexicon.HasAfter)
        {
            return false;
        }

        var limit = Math.Min(count - 1, last + 1 + lexicon.AfterWindow);
        for (var k = last + 1; k <= limit; k++)
        {
            var crossed = tokens[k].BoundaryBefore;
            if (crossed && k > last + 1)
            {
                return false;
            }

            if (!tokens[k].Covered && lexicon.IsNegationAfter(tokens[k].Id) && ClauseEndsAfter(tokens, count, k, lexicon))
            {
                return true;
            }

            if (tokens[k].Covered || !lexicon.MayStandBetween(tokens[k].Id))
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

    private static bool ClauseEndsAfter(TextToken[] tokens, int count, int negation, CompiledLexicon lexicon)
    {
        var next = negation + 1;
        if (next == count || tokens[next].BoundaryBefore)
        {
            return true;
        }

        return lexicon.IsCompletion(tokens[next].Id) && (next + 1 == count || tokens[next + 1].BoundaryBefore);
    }

    /// <summary>The youngest stated age under 18 where it stands in the text, or in words when extraction found it elsewhere.</summary>
    private static string StatedAgeEvidence(AdFeatures ad)
    {
        var age = ad.Ages!.Where(a => a < 18).Min();
        var digits = age.ToString(CultureInfo.InvariantCulture);
        foreach (var text in new[] { ad.Title, ad.Text })
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var buffer = TokenBuffer.Rent();
            try
            {
                if (FindAge(text, buffer, digits) is { } found)
                {
                    return found;
                }
            }
            finally
            {
                TokenBuffer.Return(buffer);
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"stated age {age}");
    }

    private static string? FindAge(string text, TokenBuffer buffer, string digits)
    {
        TextTokenizer.Tokenize(text, buffer);
        for (var i = 0; i < buffer.Count; i++)
        {
            var word = buffer.Text(buffer.Tokens[i]);
            if (word.StartsWith(digits, StringComparison.Ordinal) &&
                (word.Length == digits.Length ? HasCue(buffer, i) : AgeCues.Contains(word[digits.Length..].ToString())))
            {
                var from = word.Length == digits.Length ? Math.Max(0, i - 2) : i;
                var to = word.Length == digits.Length ? Math.Min(buffer.Count - 1, i + 2) : i;
                var start = buffer.Tokens[from].Start;
                return Evidence(text, start, buffer.Tokens[to].End - start);
            }
        }

        return null;
    }

    private static bool HasCue(TokenBuffer buffer, int at)
    {
        for (var i = Math.Max(0, at - 2); i <= Math.Min(buffer.Count - 1, at + 2); i++)
        {
            if (i != at && AgeCues.Contains(buffer.Text(buffer.Tokens[i]).ToString()))
            {
                return true;
            }
        }

        return false;
    }
}
