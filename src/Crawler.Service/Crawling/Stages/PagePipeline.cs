using System.Security.Cryptography;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Extraction;
using Crawler.Fetching;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// What becomes of one response, in the order of the data flow: the response gate (5), extraction and the links it
/// finds (6), hit admission (7), minimisation (8), image digests (9) and recording (10). Every step that ends the
/// page's way records why.
/// </summary>
internal sealed class PagePipeline(
    ResponseGate responses,
    AdExtractor extractor,
    SiteTemplates templates,
    RunFrontier frontier,
    IHitStore hits,
    MandateWatch mandates,
    ImageDigests images,
    HitRecorder recorder,
    CrawlAudit audit,
    RunCounters counters,
    RunStop stop,
    long mandateId,
    IReadOnlyCollection<long> mandateChain,
    PolicySet policy)
{
    /// <summary>
    /// Takes a response to its end. A page whose response is in is finished even when the run is being stopped, so that a
    /// stop does not throw away what the site already served; only its image requests (new requests) heed
    /// <paramref name="stopping"/>: the ad of a stopping run is recorded without the digests not yet taken, and the trail says so.
    /// </summary>
    public async Task ProcessAsync(PageFetcher fetcher, FrontierItem item, Fetched page, CancellationToken stopping)
    {
        var ct = CancellationToken.None;
        var (url, result, decision) = page;
        var hash = Convert.ToHexStringLower(SHA256.HashData(result.Body));

        // 5. The request was allowed when it was sent; what comes back after the mandate ended is not ours to use.
        if (await responses.EndedInFlightAsync(page: true, ct) is { } ended)
        {
            await DiscardInFlightAsync(url, ended, decision, hash, result.Status, ct);
            return;
        }

        var verdict = responses.Decide(result);
        if (!verdict.Accepted)
        {
            await audit.ResponseRefusedAsync(url, verdict.NotPublic ? "not-public" : "refused", verdict.Reason, verdict.Rule, decision, result.Status, ct);
            counters.Refused(verdict.Rule);
            return;
        }

        // 6. Extraction, within the page budget, with what the host's pages have taught of its template; relative posting
        // dates ("2 dagen geleden") are read against the moment of fetching.
        var html = PageText.Decode(result.Body, result.Charset);
        if (policy.Fetch.Budget.Check(html) is { } over)
        {
            // A page too large or too deep to parse in bounded time: this page fails, the crawl goes on.
            counters.Failed(over.Rule);
            await audit.DiscardedAsync(url, "over-budget", over.Reason, over.Rule, decision, hash, result.Status, ct);
            return;
        }

        var extracted = await templates.ExtractAsync(extractor, html, url, ct);
        if (extracted.NotPublic)
        {
            await audit.DiscardedAsync(url, "not-public", extracted.NotPublicReason + "; content discarded", "response.not-public", decision, hash, result.Status, ct);
            counters.Discard();
            return;
        }

        // A fetch that relied on the mandate's robots override carries the override and its justification.
        var collectReason = decision.Rule == RequestPolicy.RobotsOverrideRule ? $"{decision.Reason}; {verdict.Reason}" : verdict.Reason;
        await audit.CollectedAsync(url, "fetched", collectReason, decision.Rule, decision, hash, result.Status, ct);
        var links = extracted.Links;
        if (links.Count > policy.Fetch.Budget.MaxLinks)
        {
            // The first links in the page's order are followed; the rest are not, and the trail says how many.
            await audit.DiscardedAsync(url, "links-capped",
                $"the page has {links.Count} links, more than the policy's {policy.Fetch.Budget.MaxLinks}: the first {policy.Fetch.Budget.MaxLinks} are followed, {links.Count - policy.Fetch.Budget.MaxLinks} are not",
                PageBudget.LinksRule, decision, hash, result.Status, ct);
            links = [.. links.Take(policy.Fetch.Budget.MaxLinks)];
        }

        await frontier.AddAsync(links.Select(l => (l.ToString(), item.Depth + 1)).ToList(), ct);

        // 7. Admission: an ad, not unchanged since a hit of any version of the mandate, within its keywords, above the threshold.
        var ad = extracted.Ad;
        var mandate = (await mandates.CurrentAsync(ct))!;
        var score = IndicatorScorer.Score(ad, policy.Indicators);
        var same = ad.IsAd ? await SameHitAsync(url, hash, ct) : null;
        var admission = AdAdmission.Decide(ad, same, mandate.Spec, score, policy.Indicators.HitThreshold);
        if (!admission.Admitted)
        {
            await audit.DiscardedAsync(url, admission.Outcome, admission.Reason, admission.Rule, decision, hash, result.Status, ct);
            counters.Discard();
            return;
        }

        // 8, 9. Minimised as the mandate says, with the digests of its images when the mandate keeps images.
        var content = recorder.Minimise(ad, score, mandate);
        var treatment = mandate.Spec.TreatmentOf(DataCategory.Images);
        var digests = treatment != Treatment.Drop && ad.Images is { Count: > 0 } pictures
            ? await images.DigestAsync(fetcher, url, decision, pictures, item.Depth, treatment, stopping)
            : [];

        // 10. One write of the final hit, with its "stored" entry on the trail.
        var entry = await audit.PrepareStoredAsync(url, score.Score, ad.RemovedThirdPartyRegions, mandate, hash, result.Status, ct);
        var stored = await recorder.RecordAsync(url, item.Id, hash, result, ad, score, content, digests, mandate, entry, ct);
        if (stored.RefusedRule == MandateCaps.EndedInFlightRule)
        {
            await DiscardInFlightAsync(url, await responses.EndedInFlightAsync(page: true, ct) ?? stored.Reason!, decision, hash, result.Status, ct);
            return;
        }

        if (stored.Id is null)
        {
            stop.Stop(stored.Reason!);
            await audit.RefusedAsync(url, stored.Reason + "; the hit was not stored", stored.RefusedRule!, decision, ct);
            return;
        }

        counters.Stored();
        audit.Stored();
    }

    /// <summary>The hit already stored for this URL and content under any version of the mandate, and where, if any.</summary>
    private async Task<(long Id, string Under)?> SameHitAsync(Uri url, string hash, CancellationToken ct)
    {
        if (await hits.FindSameAsync(mandateChain, url.ToString(), hash, ct) is not { } same)
        {
            return null;
        }

        var under = await hits.FindAsync(same, ct) is { } earlier && earlier.MandateId != mandateId
            ? $" (stored under mandate {earlier.MandateId}, version {earlier.MandateVersion}, an earlier version of this mandate)"
            : "";
        return (same, under);
    }

    /// <summary>Nothing of the response is used: not extracted, no links followed, no hit; the run stops.</summary>
    private Task DiscardInFlightAsync(Uri url, string reason, PolicyDecision decision, string hash, int status, CancellationToken ct)
    {
        stop.Stop(reason);
        counters.Discard();
        return audit.DiscardedAsync(url, "ended-in-flight", reason + "; the response was discarded unread", MandateCaps.EndedInFlightRule, decision, hash, status, ct);
    }
}
