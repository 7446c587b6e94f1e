using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Pacing;
using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Urls;
using Crawler.Extraction;
using Crawler.Fetching;
using Crawler.Service.Application;

namespace Crawler.Service.Crawling;

/// <summary>
/// One run in progress: robots rules and pace per host, counters, and a dispatcher that keeps up
/// to the policy's number of requests in flight, never more per host than the target allows, and
/// books each host's request slots so that requests to a host start at least its delay apart.
/// Page caps count requests in flight, so running in parallel can never overshoot a cap.
/// <paramref name="mandateChain"/> holds the ids of every version of the mandate: a page unchanged since a hit
/// stored under any of them is that hit.
/// </summary>
internal sealed class CrawlSession(
    CrawlerContext context,
    CrawlTarget target,
    long mandateId,
    IReadOnlyCollection<long> mandateChain,
    CrawlRun run,
    string actor,
    IProgress<CrawlProgress>? progress,
    NetworkGuard guard)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Task<RobotsTxt?>> _robots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostPace> _pace = new(StringComparer.Ordinal);
    private readonly AdExtractor _extractor = new(context.Policy.Fetch.NotPublicSelectors, context.Policy.Urls, context.Policy.Profiles.Find(target.Spec.Profile));
    private int _runPages;
    private int _inFlight;
    private int _discarded;
    private volatile string? _stopReason;

    /// <summary>Refusals by these rules end the run: nothing after them could be allowed either.</summary>
    private static readonly HashSet<string> StopRules = new(StringComparer.Ordinal)
    {
        "mandate.present", "mandate.approved", "mandate.window", "mandate.covers-target",
        "mandate.page-cap", "mandate.hit-cap", "run.page-cap",
    };

    private enum ItemOutcome
    {
        Done,
        Requeued,
        Cancelled,
    }

    /// <summary>A URL the host pushed back on (429/503) is tried this many times in all.</summary>
    private const int MaxAttempts = 3;

    public CrawlRun Run { get; private set; } = run;

    public int Discarded => _discarded;

    /// <summary>Ends the run at its next request (the run lease was lost, say); requests in flight still finish.</summary>
    public void Stop(string reason) => _stopReason ??= reason;

    public async Task RunAsync(CancellationToken ct)
    {
        using var fetcher = new PageFetcher(context.Policy, guard, change =>
            context.Audit(new AuditRecord(actor, AuditOperation.Circuit, "host:" + change.Host, change.Opened ? "opened" : "closed",
                "circuit breaker " + change.Reason, change.Opened ? "host.circuit-open" : "host.circuit-closed", mandateId, Lab: context.Lab)));
        var globalCap = context.Policy.Fetch.MaxConcurrentRequests;
        var perHost = target.Spec.Politeness.MaxConcurrencyPerHost;
        var running = new Dictionary<Task<ItemOutcome>, FrontierItem>();
        var hostBusy = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            var stopping = ct.IsCancellationRequested || _stopReason is not null;
            if (!stopping && running.Count < globalCap && Pick(running, hostBusy, perHost) is { } pick)
            {
                var host = HostKey(new Uri(pick.Url));
                hostBusy[host] = hostBusy.GetValueOrDefault(host) + 1;
                running[RunItemAsync(fetcher, pick, ct)] = pick;
                continue;
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys);
            var item = running[finished];
            running.Remove(finished);
            hostBusy[HostKey(new Uri(item.Url))]--;
            if (await finished == ItemOutcome.Done && !ct.IsCancellationRequested)
            {
                context.Store.MarkDone(item.Id);
            }

            var snapshot = Snapshot();
            context.Store.SaveRun(snapshot);
            progress?.Report(new CrawlProgress(snapshot.Fetched, snapshot.Refused, snapshot.Hits, Discarded, item.Url));
        }
    }

    /// <summary>The pending item to start next: its host has room, and of those the host whose next slot comes first.</summary>
    private FrontierItem? Pick(Dictionary<Task<ItemOutcome>, FrontierItem> running, Dictionary<string, int> hostBusy, int perHost)
    {
        var busyIds = running.Values.Select(v => v.Id).ToHashSet();
        FrontierItem? best = null;
        var bestWait = TimeSpan.MaxValue;
        var now = context.Now;
        foreach (var candidate in context.Store.PendingBatch(Run.Id, 64 + running.Count))
        {
            if (busyIds.Contains(candidate.Id))
            {
                continue;
            }

            var host = HostKey(new Uri(candidate.Url));
            if (hostBusy.GetValueOrDefault(host) >= perHost)
            {
                continue;
            }

            TimeSpan wait;
            lock (_lock)
            {
                wait = _pace.TryGetValue(host, out var pace) ? pace.WaitAt(now) : TimeSpan.Zero;
            }

            if (wait < bestWait)
            {
                (best, bestWait) = (candidate, wait);
                if (wait == TimeSpan.Zero)
                {
                    break;
                }
            }
        }

        return best;
    }

    private async Task<ItemOutcome> RunItemAsync(PageFetcher fetcher, FrontierItem item, CancellationToken ct)
    {
        // Start on the thread pool, so the dispatcher goes on filling slots while this item waits.
        await Task.Yield();
        try
        {
            var requeued = await ProcessAsync(fetcher, item, ct);
            return ct.IsCancellationRequested ? ItemOutcome.Cancelled : requeued ? ItemOutcome.Requeued : ItemOutcome.Done;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped mid-request: the item stays pending and is fetched again on resume.
            return ItemOutcome.Cancelled;
        }
    }

    private CrawlRun Snapshot()
    {
        lock (_lock)
        {
            return Run;
        }
    }

    private void Bump(Func<CrawlRun, CrawlRun> change)
    {
        lock (_lock)
        {
            Run = change(Run);
        }
    }

    public void Finish(bool cancelled)
    {
        var failures = Run.FailureCount;
        var (state, reason) = (_stopReason, cancelled) switch
        {
            ({ } stop, _) => (RunState.Stopped, stop),
            (null, true) => (RunState.Interrupted, "interrupted; the next run resumes from the saved frontier"),
            _ when failures == 0 => (RunState.Completed, "the frontier is exhausted"),

            // Not one page answered: the site was not crawled, whatever the frontier says.
            _ when Run.Fetched == 0 => (RunState.Failed, $"nothing could be fetched: {DescribeFailures(Run.Failures!)}"),
            _ => (RunState.Partial, $"the frontier is exhausted, but {failures} URL{(failures == 1 ? "" : "s")} could not be fetched: {DescribeFailures(Run.Failures!)}"),
        };
        Run = Run with { State = state, EndReason = reason };
        context.Store.SaveRun(Run);
        var m = context.Store.FindMandate(mandateId);
        var failed = failures == 0 || state is RunState.Failed or RunState.Partial ? "" : $"; failures: {DescribeFailures(Run.Failures!)}";
        context.Audit(new AuditRecord(actor, AuditOperation.CrawlEnd, $"run:{Run.Id}", state.ToString().ToLowerInvariant(),
            $"{state.ToString().ToLowerInvariant()}: {reason}{failed} (fetched {Run.Fetched}, refused {Run.Refused}, hits {Run.Hits}, failed {failures})", null,
            mandateId, m?.Version, m?.Spec.Case, Lab: context.Lab));
    }

    private static string DescribeFailures(IReadOnlyDictionary<string, int> failures) =>
        string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));

    /// <summary>A URL that failed in transport or on a fetch guard: refused in the trail, and counted by rule for the run's outcome.</summary>
    private void Failed(Uri url, FetchResult result, PolicyDecision decision)
    {
        Record(AuditOperation.Refuse, url, "refused", result.FailureReason!, result.FailureRule!, decision, null, null);
        Bump(r =>
        {
            var failures = new Dictionary<string, int>(r.Failures ?? new Dictionary<string, int>(), StringComparer.Ordinal);
            failures[result.FailureRule!] = failures.GetValueOrDefault(result.FailureRule!) + 1;
            return r with { Refused = r.Refused + 1, Failures = failures };
        });
    }

    private async Task<bool> ProcessAsync(PageFetcher fetcher, FrontierItem item, CancellationToken ct)
    {
        var url = new Uri(item.Url);
        var chain = new List<string>();
        for (var hop = 0; ; hop++)
        {
            var robots = await RobotsForAsync(fetcher, url, ct);
            if (ct.IsCancellationRequested)
            {
                return false;
            }

            var decision = Decide(url, item.Depth, RequestPurpose.Page, robots);
            if (!decision.Allowed)
            {
                Refuse(decision, chain);
                return false;
            }

            await WaitPolitelyAsync(PaceFor(url, robots), ct);
            if (ct.IsCancellationRequested)
            {
                return false;
            }

            // Decided again after the politeness wait (the mandate may have ended meanwhile), and a page
            // of the caps reserved, so requests in flight at once can never overshoot a cap.
            decision = DecideAndReserve(url, item.Depth, robots);
            if (!decision.Allowed)
            {
                Refuse(decision, chain);
                return false;
            }

            var pace = PaceFor(url, robots);
            var result = await FetchReservedAsync(fetcher, url, pace, ct);

            if (result.Failed)
            {
                Failed(url, result, decision);
                return false;
            }

            lock (_lock)
            {
                _runPages++;
                Run = Run with { Fetched = Run.Fetched + 1 };
            }
            if (result.Status is 429 or 503)
            {
                // The host asks for less: slow the whole host, and try this URL again later, through the gate again.
                lock (_lock)
                {
                    pace.PushedBack(context.Now, result.RetryAfter);
                }

                var attempts = item.Attempts + 1;
                var again = attempts < MaxAttempts;
                Record(AuditOperation.Collect, url, "pushed-back",
                    $"HTTP {result.Status}{(result.RetryAfter is { } ra ? $", Retry-After {ra.TotalSeconds:0} s" : "")}: host slowed to one request per {pace.Delay.TotalSeconds:0.#} s; " +
                    (again ? $"retry {attempts} of {MaxAttempts - 1} later" : "giving up on this URL"),
                    "host.slow-down", decision, null, result.Status);
                if (again)
                {
                    context.Store.Requeue(item.Id);
                    return true;
                }

                return false;
            }

            lock (_lock)
            {
                pace.Answered();
            }

            if (result.RedirectLocation is { } location)
            {
                chain.Add($"{url} -> HTTP {result.Status}");
                Record(AuditOperation.Collect, url, "redirect", $"HTTP {result.Status} to {location}", "fetch.redirect", decision, null, result.Status);
                if (hop + 1 > context.Policy.Fetch.MaxRedirects)
                {
                    Record(AuditOperation.Refuse, location, "refused", $"more than {context.Policy.Fetch.MaxRedirects} redirects: {string.Join(" ; ", chain)}",
                        "fetch.max-redirects", decision, null, null);
                    Bump(r => r with { Refused = r.Refused + 1 });
                    return false;
                }

                if (!CanonicalUrl.TryCreate(location.ToString(), null, context.Policy.Urls, out var next, out var why))
                {
                    Record(AuditOperation.Refuse, location, "refused", $"redirect target unusable: {why}", "url.scheme", decision, null, null);
                    Bump(r => r with { Refused = r.Refused + 1 });
                    return false;
                }

                url = next;
                continue;
            }

            await HandleResponseAsync(fetcher, item, url, result, decision, ct);
            return false;
        }
    }

    private async Task HandleResponseAsync(PageFetcher fetcher, FrontierItem item, Uri url, FetchResult result, PolicyDecision decision, CancellationToken ct)
    {
        if (HandleResponse(item, url, result, decision) is { } stored && stored.Images is { Count: > 0 } images)
        {
            await DigestImagesAsync(fetcher, stored.HitId, images, item.Depth, ct);
        }
    }

    /// <summary>Fetches a request whose cap reservation is held, in the host's turn, and releases the reservation.</summary>
    private async Task<FetchResult> FetchReservedAsync(PageFetcher fetcher, Uri url, HostPace pace, CancellationToken ct)
    {
        FetchResult? result = null;
        try
        {
            await StartTurnAsync(pace, ct);
            result = await fetcher.GetAsync(url, context.Policy.Fetch.MaxBodyBytes, ct);
            return result;
        }
        finally
        {
            // Counting the page and releasing its reservation in one step: a decision in between
            // would otherwise see the page twice, or not at all.
            lock (_lock)
            {
                if (result is { Failed: false })
                {
                    context.Store.CountPage(mandateId);
                }

                _inFlight--;
                pace.Finished(context.Now);
            }
        }
    }

    private const int MaxImagesPerAd = 3;

    /// <summary>
    /// Fetches a stored ad's images only to compute their digests (linking by image), under the gate's image rules
    /// and the host's pace, counting against the page caps; the image itself is never kept.
    /// </summary>
    private async Task DigestImagesAsync(PageFetcher fetcher, long hitId, IReadOnlyList<Uri> images, int depth, CancellationToken ct)
    {
        var mandate = context.Store.FindMandate(mandateId)!;
        var treatment = mandate.Spec.TreatmentOf(DataCategory.Images);
        var digests = new List<ContactValue>();
        foreach (var image in images.Take(MaxImagesPerAd))
        {
            if (ct.IsCancellationRequested || !CanonicalUrl.TryCreate(image.ToString(), null, context.Policy.Urls, out var url, out _))
            {
                continue;
            }

            var robots = await RobotsForAsync(fetcher, url, ct);
            var decision = Decide(url, depth, RequestPurpose.Image, robots);
            if (!decision.Allowed)
            {
                Refuse(decision, []);
                continue;
            }

            var pace = PaceFor(url, robots);
            await WaitPolitelyAsync(pace, ct);
            decision = DecideAndReserve(url, depth, robots, RequestPurpose.Image);
            if (ct.IsCancellationRequested || !decision.Allowed)
            {
                if (!decision.Allowed)
                {
                    Refuse(decision, []);
                }
                else
                {
                    lock (_lock)
                    {
                        _inFlight--;
                    }
                }

                continue;
            }

            var result = await FetchReservedAsync(fetcher, url, pace, ct);

            if (result.Failed)
            {
                Failed(url, result, decision);
                continue;
            }

            if (result.Status != 200 || result.Truncated || result.MediaType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) != true)
            {
                Record(AuditOperation.Discard, url, "not-an-image",
                    $"HTTP {result.Status}, {result.MediaType ?? "no content type"}{(result.Truncated ? ", larger than the body cap" : "")}: no digest", "image.digest",
                    decision, null, result.Status);
                continue;
            }

            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.Body));
            Record(AuditOperation.Collect, url, "digested", $"image of hit {hitId}: only its digest is kept, the image is discarded", "image.digest",
                decision, digest[7..], result.Status);
            digests.Add(treatment == Treatment.Keep
                ? new ContactValue(digest, digest, null)
                : new ContactValue("image-digest •••", null, Minimiser.Pseudonym(context.Folder.PseudonymKey, "image-digest", digest)));
        }

        if (digests.Count > 0 && EndedInFlight(page: false) is { } ended)
        {
            // Digests of images that arrived after the mandate ended are not kept either.
            context.Audit(new AuditRecord(actor, AuditOperation.Discard, $"hit:{hitId}", "ended-in-flight",
                $"{ended}; {digests.Count} image digest{(digests.Count == 1 ? "" : "s")} discarded", EndedInFlightRule,
                mandateId, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
            return;
        }

        if (digests.Count > 0 && context.Store.FindHit(hitId) is { Description: { } description } hit)
        {
            context.Store.UpdateHit(hit with { Description = description with { ImageDigests = digests } });
        }
    }

    /// <summary>What was stored of a page, if anything: the hit, and the ad's images when the mandate keeps images.</summary>
    private sealed record StoredHit(long HitId, IReadOnlyList<Uri>? Images);

    private StoredHit? HandleResponse(FrontierItem item, Uri url, FetchResult result, PolicyDecision decision)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(result.Body));
        if (EndedInFlight() is { } ended)
        {
            // The request was allowed when it was sent; what comes back after the mandate ended is not ours to use.
            DiscardInFlight(url, ended, decision, hash, result.Status);
            return null;
        }

        var verdict = ResponsePolicy.Decide(result.Status, result.MediaType, result.Body.LongLength, result.Truncated, context.Policy.Fetch);
        if (!verdict.Accepted)
        {
            Record(AuditOperation.Refuse, url, verdict.NotPublic ? "not-public" : "refused", verdict.Reason, verdict.Rule, decision, null, result.Status);
            Bump(r => r with { Refused = r.Refused + 1 });
            return null;
        }

        var html = Decode(result.Body, result.Charset);
        // Relative posting dates ("2 dagen geleden") are read against the moment of fetching.
        var page = _extractor.Extract(html, url, context.Now);
        if (page.NotPublic)
        {
            Record(AuditOperation.Discard, url, "not-public", page.NotPublicReason + "; content discarded",
                "response.not-public", decision, hash, result.Status);
            Interlocked.Increment(ref _discarded);
            return null;
        }

        // A fetch that relied on the mandate's robots override carries the override and its justification.
        var collectReason = decision.Rule == RequestPolicy.RobotsOverrideRule ? $"{decision.Reason}; {verdict.Reason}" : verdict.Reason;
        Record(AuditOperation.Collect, url, "fetched", collectReason, decision.Rule, decision, hash, result.Status);
        foreach (var link in page.Links)
        {
            context.Store.Enqueue(Run.Id, link.ToString(), item.Depth + 1);
        }

        var ad = page.Ad;
        if (!ad.IsAd)
        {
            Record(AuditOperation.Discard, url, "not-an-ad", ad.NotAdReason + "; nothing stored", "extract.not-an-ad", decision, hash, result.Status);
            Interlocked.Increment(ref _discarded);
            return null;
        }

        var mandate = context.Store.FindMandate(mandateId)!;
        if (context.Store.FindSameHit(mandateChain, url.ToString(), hash) is { } same)
        {
            // A recrawl of an unchanged ad adds nothing, also after a renewal: storing it again would only collect
            // more, and would put a page already reviewed back in the queue as new.
            var under = context.Store.FindHit(same) is { } earlier && earlier.MandateId != mandateId
                ? $" (stored under mandate {earlier.MandateId}, version {earlier.MandateVersion}, an earlier version of this mandate)"
                : "";
            Record(AuditOperation.Discard, url, "unchanged", $"identical to hit {same}{under}; nothing stored, that hit and its review stand",
                "hit.unchanged", decision, hash, result.Status);
            Interlocked.Increment(ref _discarded);
            return null;
        }

        if (mandate.Spec.Keywords is { Count: > 0 } keywords && !keywords.Any(k => IndicatorScorer.FindWholeWord(ad.Text, k) >= 0))
        {
            // The mandate's execution method names keywords: an ad that mentions none is outside it.
            Record(AuditOperation.Discard, url, "outside-keywords", $"the ad mentions none of the mandate's keywords ({string.Join(", ", keywords)}); nothing stored",
                "mandate.keywords", decision, hash, result.Status);
            Interlocked.Increment(ref _discarded);
            return null;
        }

        // A stated age under 18 is escalated by the scorer whatever the score (indicators.md: a legal red line).
        var score = IndicatorScorer.Score(ad, context.Policy.Indicators);

        if (score.Score < context.Policy.Indicators.HitThreshold)
        {
            Record(AuditOperation.Discard, url, "below-threshold",
                $"score {score.Score} is below the threshold {context.Policy.Indicators.HitThreshold}; nothing stored", "score.threshold", decision, hash, result.Status);
            Interlocked.Increment(ref _discarded);
            return null;
        }

        var content = Minimiser.Apply(ad, score, mandate.Spec, context.Folder.PseudonymKey);
        var hit = new Hit(0, mandate.Id, mandate.Version, mandate.Spec.Case, target.Id, Run.Id, url.ToString(), context.Now, hash,
            content.Title, content.Text, content.Snippets, content.Phones, content.Emails, score.Score, score.Fired, score.Escalated,
            ad.RemovedThirdPartyRegions, context.Policy.Version, "unreviewed", null, content.Ages, content.Prices,
            HasSnapshot: mandate.Spec.Snapshots == true && result.Exchange is not null, Description: content.Description);
        // The mandate is read again with the hit's insertion, in one transaction: extraction took time, and a
        // revocation in between must win.
        var stored = context.Store.TryAddHit(hit, mandate.Spec.Limits.MaxHits, mandate.Spec.Limits.MaxContacts, activeAt: context.Now);
        if (stored.RefusedRule == EndedInFlightRule)
        {
            DiscardInFlight(url, EndedInFlight() ?? stored.Reason!, decision, hash, result.Status);
            return null;
        }

        if (stored.Id is not { } id)
        {
            _stopReason = stored.Reason;
            Record(AuditOperation.Refuse, url, "refused", stored.Reason + "; the hit was not stored", stored.RefusedRule!, decision, hash, result.Status);
            return null;
        }

        Bump(r => r with { Hits = r.Hits + 1 });
        if (hit.HasSnapshot)
        {
            // The raw exchange, kept only because the mandate allows snapshots: the evidence an export is made from.
            var x = result.Exchange!;
            context.Store.SaveSnapshot(new Snapshot(id, mandate.Id, url.ToString(), hit.FetchedAt, x.IpAddress, result.Status, x.ReasonPhrase,
                x.RequestHeaders, x.ResponseHeaders, result.Body, hash));
        }

        context.Audit(new AuditRecord(actor, AuditOperation.Store, $"hit:{id}", "stored",
            $"ad from {url} (score {score.Score}, {ad.RemovedThirdPartyRegions} third-party regions removed)", "hit.store",
            mandate.Id, mandate.Version, mandate.Spec.Case, ContentSha256: hash, HttpStatus: result.Status, Lab: context.Lab,
            DataSubject: DataSubject.Unknown));
        return new StoredHit(id, mandate.Spec.TreatmentOf(DataCategory.Images) == Treatment.Drop ? null : ad.Images);
    }

    private const string EndedInFlightRule = "mandate.ended-in-flight";

    /// <summary>
    /// Why a response that just arrived may no longer be used, read afresh from the store: the mandate was revoked,
    /// suspended, superseded or expired, or (for a page, which could become a hit) its hit cap was reached, while the
    /// request was in flight. Null while it may.
    /// </summary>
    private string? EndedInFlight(bool page = true)
    {
        var now = context.Now;
        var mandate = context.Store.FindMandate(mandateId);
        if (mandate is null)
        {
            return $"mandate {mandateId} no longer exists";
        }

        var state = mandate.StateAt(now);
        if (state != MandateState.Active)
        {
            var since = mandate.History.Count > 0 && state is MandateState.Revoked or MandateState.Suspended or MandateState.Superseded
                ? $" since {mandate.History[^1].At:O}"
                : state == MandateState.Expired ? $" since {mandate.Spec.ValidUntil:O}" : "";
            return $"the response arrived after mandate {mandate.Id} ended: it is {MandateService.Describe(state)}{since}";
        }

        if (!mandate.Covers(target.Name))
        {
            return $"the response arrived after mandate {mandate.Id} stopped naming target '{target.Name}'";
        }

        return page && context.Store.Usage(mandateId).HitsStored >= mandate.Spec.Limits.MaxHits
            ? $"the response arrived after mandate {mandate.Id} reached its cap of {mandate.Spec.Limits.MaxHits} hits"
            : null;
    }

    /// <summary>Nothing of the response is used: not extracted, no links followed, no hit; the run stops.</summary>
    private void DiscardInFlight(Uri url, string reason, PolicyDecision decision, string hash, int status)
    {
        _stopReason ??= reason;
        Record(AuditOperation.Discard, url, "ended-in-flight", reason + "; the response was discarded unread", EndedInFlightRule, decision, hash, status);
        Interlocked.Increment(ref _discarded);
    }

    private PolicyDecision Decide(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots)
    {
        lock (_lock)
        {
            return DecideLocked(url, depth, purpose, robots);
        }
    }

    private PolicyDecision DecideAndReserve(Uri url, int depth, RobotsTxt? robots, RequestPurpose purpose = RequestPurpose.Page)
    {
        lock (_lock)
        {
            var decision = DecideLocked(url, depth, purpose, robots);
            if (decision.Allowed)
            {
                _inFlight++;
            }

            return decision;
        }
    }

    // Pages in flight count against the caps as if already fetched.
    private PolicyDecision DecideLocked(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots)
    {
        var mandate = context.Store.FindMandate(mandateId);
        var usage = context.Store.Usage(mandateId);
        usage = usage with { PagesFetched = usage.PagesFetched + _inFlight };
        var ctx = new RequestContext(url, depth, purpose, context.Now, target, mandate, usage, _runPages + _inFlight,
            context.Policy, context.Lab, robots);
        return RequestPolicy.Decide(ctx);
    }

    private void Refuse(PolicyDecision decision, List<string> chain)
    {
        var reason = chain.Count == 0 ? decision.Reason : $"{decision.Reason} (redirect chain: {string.Join(" ; ", chain)})";
        Record(AuditOperation.Refuse, new Uri(decision.Url), "refused", reason, decision.Rule, decision, null, null);
        Bump(r => r with { Refused = r.Refused + 1 });
        if (StopRules.Contains(decision.Rule))
        {
            _stopReason = decision.Reason;
        }
    }

    private Task<RobotsTxt?> RobotsForAsync(PageFetcher fetcher, Uri url, CancellationToken ct)
    {
        var key = HostKey(url);
        lock (_lock)
        {
            if (!_robots.TryGetValue(key, out var task))
            {
                // One read per host, shared by every worker that needs it.
                task = LoadRobotsAsync(fetcher, url, key, ct);
                _robots[key] = task;
            }

            return task;
        }
    }

    private async Task<RobotsTxt?> LoadRobotsAsync(PageFetcher fetcher, Uri url, string key, CancellationToken ct)
    {
        await Task.Yield();
        var robotsUrl = new Uri($"{url.Scheme}://{url.Authority}/robots.txt");
        var decision = Decide(robotsUrl, 0, RequestPurpose.Robots, null);
        if (!decision.Allowed)
        {
            // The page decision will refuse for the same reason; nothing was sent.
            return null;
        }

        var maxAge = TimeSpan.FromHours(context.Policy.Fetch.RobotsCacheHours);
        if (context.Store.FindRobots(key) is { } cached && context.Now - cached.FetchedAt < maxAge)
        {
            // RFC 9309 §2.4: a cached copy is good for at most 24 hours; a restart does not fetch it again.
            var fromCache = cached.ToRules();
            return fromCache;
        }

        RobotsTxt robots;
        string? content = null;
        var disallowAll = false;
        string source;
        var current = robotsUrl;
        for (var hop = 0; ; hop++)
        {
            await WaitPolitelyAsync(PaceFor(current, null), ct);
            await StartTurnAsync(PaceFor(current, null), ct);
            var result = await fetcher.GetAsync(current, RobotsTxt.MaxParsedBytes, ct);
            lock (_lock)
            {
                PaceFor(current, null).Finished(context.Now);
            }

            if (result.Failed)
            {
                // Unreachable means disallow all (RFC 9309 §2.3.1.4); a network-guard refusal is logged as such.
                source = result.FailureReason!;
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
                Failed(current, result, decision);
                break;
            }

            if (result.RedirectLocation is { } next && hop < 5 &&
                CanonicalUrl.TryCreate(next.ToString(), null, context.Policy.Urls, out var nextUrl, out _) &&
                Decide(nextUrl, 0, RequestPurpose.Robots, null).Allowed)
            {
                Record(AuditOperation.Collect, current, "redirect", $"robots.txt HTTP {result.Status} to {nextUrl}", "robots.fetch", decision, null, result.Status);
                current = nextUrl;
                continue;
            }

            if (result.RedirectLocation is not null)
            {
                source = $"robots.txt redirects out of reach (HTTP {result.Status})";
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
            }
            else if (result.Status is >= 200 and < 300)
            {
                source = $"robots.txt HTTP {result.Status}";
                content = Decode(result.Body, result.Charset);
                robots = RobotsTxt.Parse(content, source);
            }
            else if (result.Status is >= 400 and < 500)
            {
                source = $"robots.txt HTTP {result.Status}";
                robots = RobotsTxt.AllowAll(source);
            }
            else
            {
                source = $"robots.txt HTTP {result.Status}";
                robots = RobotsTxt.DisallowAll(source);
                disallowAll = true;
            }

            Record(AuditOperation.Collect, current, "robots", robots.Source, "robots.fetch", decision,
                result.Body.Length > 0 ? Convert.ToHexStringLower(SHA256.HashData(result.Body)) : null, result.Status);
            break;
        }

        context.Store.SaveRobots(new CachedRobots(key, content, source, disallowAll, context.Now));
        return robots;
    }

    private HostPace PaceFor(Uri url, RobotsTxt? robots)
    {
        var key = HostKey(url);
        lock (_lock)
        {
            if (!_pace.TryGetValue(key, out var pace))
            {
                var floor = TimeSpan.FromMilliseconds(target.Spec.Politeness.MinDelayMs);
                if (!context.Lab)
                {
                    floor = Max(floor, TimeSpan.FromMilliseconds(context.Policy.Network.MinDelayMsPublic));
                }

                pace = new HostPace(floor);
                _pace[key] = pace;
            }

            if (robots?.CrawlDelay(context.Policy.ProductToken) is { } crawlDelay)
            {
                pace.RaiseFloor(crawlDelay);
            }

            return pace;
        }
    }

    /// <summary>Waits until the host's delay since its last actual request has passed, and marks this one as started.</summary>
    private async Task StartTurnAsync(HostPace pace, CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (pace.TryStart(context.Now, out wait))
                {
                    return;
                }
            }

            await Task.Delay(wait, context.Time, ct);
        }
    }

    /// <summary>Books this host's next request slot and waits for it.</summary>
    private async Task WaitPolitelyAsync(HostPace pace, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_lock)
        {
            wait = pace.Reserve(context.Now);
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, context.Time, ct);
            }
            catch (OperationCanceledException)
            {
                // Cancellation is handled by the caller, which saves the frontier.
            }
        }
    }

    private void Record(string operation, Uri url, string outcome, string reason, string rule, PolicyDecision decision, string? hash, int? status) =>
        context.Audit(new AuditRecord(actor, operation, url.ToString(), outcome, reason, rule, decision.MandateId, decision.MandateVersion,
            decision.Case, decision.PolicyVersion, hash, status, context.Lab, DataSubject: hash is null ? null : DataSubject.Unknown));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string HostKey(Uri url) => url.Scheme + "://" + url.Authority;

    private static string Decode(byte[] body, string? charset)
    {
        try
        {
            return (charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'))).GetString(body);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(body);
        }
    }
}
