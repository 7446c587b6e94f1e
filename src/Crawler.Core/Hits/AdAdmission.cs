using Crawler.Core.Indicators;
using Crawler.Core.Mandates;

namespace Crawler.Core.Hits;

/// <summary>Whether an extracted page becomes a hit, and if not, why: the outcome, rule and reason of its discard entry.</summary>
public sealed record AdmissionVerdict(bool Admitted, string Outcome, string Rule, string Reason)
{
    public static AdmissionVerdict Admit { get; } = new(true, "admitted", "hit.admit", "");
}

/// <summary>
/// The pure decision between extraction and storage: a page that is not an ad, an unchanged ad already stored under
/// any version of the mandate, an ad outside the mandate's keywords, or one scoring below the threshold is not
/// stored. The checks run in that order, so the reason given is the first that applies.
/// </summary>
public static class AdAdmission
{
    /// <param name="ad">What extraction found.</param>
    /// <param name="sameHit">The hit already stored with this URL and content under any version of the mandate, if any, and a note on where.</param>
    /// <param name="mandate">The mandate's order: its keywords bind what is stored.</param>
    /// <param name="score">The ad's indicator score.</param>
    /// <param name="threshold">The policy's hit threshold.</param>
    public static AdmissionVerdict Decide(AdFeatures ad, (long Id, string Under)? sameHit, MandateSpec mandate, IndicatorScore score, double threshold)
    {
        if (!ad.IsAd)
        {
            return new(false, "not-an-ad", "extract.not-an-ad", ad.NotAdReason + "; nothing stored");
        }

        if (sameHit is { } same)
        {
            // A recrawl of an unchanged ad adds nothing, also after a renewal: storing it again would only collect more,
            // and would put a page already reviewed back in the queue as new.
            return new(false, "unchanged", "hit.unchanged", $"identical to hit {same.Id}{same.Under}; nothing stored, that hit and its review stand");
        }

        if (mandate.Keywords is { Count: > 0 } keywords && !keywords.Any(k => IndicatorScorer.FindWholeWord(ad.Text, k) >= 0))
        {
            // The mandate's execution method names keywords: an ad that mentions none is outside it.
            return new(false, "outside-keywords", "mandate.keywords",
                $"the ad mentions none of the mandate's keywords ({string.Join(", ", keywords)}); nothing stored");
        }

        return score.Score < threshold
            ? new(false, "below-threshold", "score.threshold", $"score {score.Score} is below the threshold {threshold}; nothing stored")
            : AdmissionVerdict.Admit;
    }
}
