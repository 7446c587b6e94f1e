using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stage 5, the response gate: a response that arrives after the mandate ended (revoked, suspended, superseded,
/// expired, no longer naming the target, or its hit cap reached while the request was in flight) is not ours to use;
/// otherwise the response policy decides on status, size, type and whether the page is public.
/// </summary>
internal sealed class ResponseGate(IMandateStore mandates, MandateWatch watch, CrawlTarget target, PolicySet policy, TimeProvider time)
{
    /// <summary>Why a response that just arrived may no longer be used, as the store has it now; null while it may.</summary>
    public async Task<string?> EndedInFlightAsync(bool page, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var usage = await mandates.UsageAsync(watch.MandateId, ct);
        var mandate = await watch.CurrentAsync(ct);
        if (mandate is null)
        {
            return $"mandate {watch.MandateId} no longer exists";
        }

        var state = mandate.StateAt(now);
        if (state != MandateState.Active)
        {
            var since = mandate.History.Count > 0 && state is MandateState.Revoked or MandateState.Suspended or MandateState.Superseded
                ? $" since {mandate.History[^1].At:O}"
                : state == MandateState.Expired ? $" since {mandate.Spec.ValidUntil:O}" : "";
            return $"the response arrived after mandate {mandate.Id} ended: it is {Application.MandateService.Describe(state)}{since}";
        }

        if (!mandate.Covers(target.Name))
        {
            return $"the response arrived after mandate {mandate.Id} stopped naming target '{target.Name}'";
        }

        return page && usage.HitsStored >= mandate.Spec.Limits.MaxHits
            ? $"the response arrived after mandate {mandate.Id} reached its cap of {mandate.Spec.Limits.MaxHits} hits"
            : null;
    }

    public ResponseVerdict Decide(Fetching.FetchResult result) =>
        ResponsePolicy.Decide(result.Status, result.MediaType, result.Body.LongLength, result.Truncated, policy.Fetch);
}
