using Crawler.Core.Hits;
using Crawler.Core.Policy;

namespace Crawler.Core.Indicators;

/// <summary>The result of scoring: a ranking aid for a human reviewer, never a verdict.</summary>
public sealed record IndicatorScore(double Score, IReadOnlyList<IndicatorHit> Fired, bool Escalated);

/// <summary>Matches the policy's lexicons against the ad text, whole words only, and keeps the evidence.</summary>
public static class IndicatorScorer
{
    private const int EvidenceContext = 30;

    public static IndicatorScore Score(string text, IndicatorPolicy policy)
    {
        var fired = new List<IndicatorHit>();
        var escalated = false;
        double score = 0;
        foreach (var indicator in policy.Indicators)
        {
            foreach (var term in indicator.Terms)
            {
                var at = FindWholeWord(text, term);
                if (at < 0)
                {
                    continue;
                }

                fired.Add(new IndicatorHit(indicator.Id, indicator.Weight, Evidence(text, at, term.Length)));
                score += indicator.Weight;
                escalated |= indicator.Escalates;
                break;
            }
        }

        return new IndicatorScore(Math.Round(score, 3), fired, escalated);
    }

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
}
