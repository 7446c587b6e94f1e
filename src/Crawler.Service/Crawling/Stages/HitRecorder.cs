using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Fetching;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stages 8 and 10, minimisation and recording: the ad reduced to what the mandate keeps, then the final hit (with its
/// image digests, and the raw exchange when the mandate allows snapshots) written once, in one transaction that reads
/// the mandate, its caps and its contacts again, so a revocation or cap reached meanwhile wins.
/// </summary>
internal sealed class HitRecorder(IHitStore hits, Pseudonymiser pseudonymiser, CrawlTarget target, long runId, PolicySet policy, TimeProvider time)
{
    public MinimisedContent Minimise(AdFeatures ad, IndicatorScore score, Mandate mandate) => pseudonymiser.Minimise(ad, score, mandate.Spec);

    public async Task<HitStoreResult> RecordAsync(Uri url, long pageItem, string hash, FetchResult result, AdFeatures ad, IndicatorScore score,
        MinimisedContent content, IReadOnlyList<ContactValue> imageDigests, Mandate mandate, HitStoredEntry stored, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var description = imageDigests.Count > 0 && content.Description is { } d ? d with { ImageDigests = imageDigests } : content.Description;
        var snapshots = mandate.Spec.Snapshots == true && result.Exchange is not null;
        var hit = new Hit(0, mandate.Id, mandate.Version, mandate.Spec.Case, target.Id, runId, url.ToString(), now, hash,
            content.Title, content.Text, content.Snippets, content.Phones, content.Emails, score.Score, score.Fired, score.Escalated,
            ad.RemovedThirdPartyRegions, policy.Version, "unreviewed", null, content.Ages, content.Prices,
            HasSnapshot: snapshots, Description: description);

        // The raw exchange, kept only because the mandate allows snapshots: the evidence an export is made from.
        var snapshot = snapshots
            ? new Snapshot(0, mandate.Id, url.ToString(), now, result.Exchange!.IpAddress, result.Status, result.Exchange.ReasonPhrase,
                result.Exchange.RequestHeaders, result.Exchange.ResponseHeaders, result.Body, hash)
            : null;
        return await hits.TryAddAsync(hit, pseudonymiser.ContactKeys(hit),
            (stored, usage, known, fresh) => MandateCaps.AdmitHit(stored, mandate.Id, target.Name, now, usage, known, fresh), snapshot, Durability.Applied, pageItem, stored, ct);
    }
}
