using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Pacing;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Urls;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Extraction;
using Crawler.Fetching;
using Crawler.Service.Application;

namespace Crawler.Service.Crawling;

/// <summary>Live counters for a progress display.</summary>
public sealed record CrawlProgress(int Fetched, int Refused, int Hits, int Discarded, string? CurrentUrl);

/// <summary>How a crawl run ended.</summary>
public sealed record CrawlSummary(
    long RunId,
    long TargetId,
    long MandateId,
    bool Resumed,
    int Fetched,
    int Refused,
    int Hits,
    int Discarded,
    string State,
    string? EndReason);

/// <summary>
/// Runs one crawl of a target under the mandate that covers it. Every request is put to the
/// policy gate at the instant it would be sent, with the mandate read afresh from the store, so
/// revocation, expiry or a cap stops the crawl before its next request.
/// </summary>
/// <param name="context">The data folder, policy and clock.</param>
/// <param name="mandates">Finds the mandate that covers a target.</param>
/// <param name="resolve">Name resolution for the network guard; the system resolver unless a test supplies answers it cannot get here.</param>
public sealed class CrawlService(CrawlerContext context, MandateService mandates, Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve = null)
{
    /// <summary>Refusals by these rules end the run: nothing after them could be allowed either.</summary>
    private static readonly HashSet<string> StopRules = new(StringComparer.Ordinal)
    {
        "mandate.present", "mandate.approved", "mandate.window", "mandate.covers-target",
        "mandate.page-cap", "mandate.hit-cap", "run.page-cap",
    };

    public const string ServiceActor = "crawler-service";

    /// <param name="targetId">The target to crawl.</param>
    /// <param name="startedBy">The person who starts the crawl; null when the schedule does.</param>
    /// <param name="progress">Receives counters after each page.</param>
    /// <param name="cancellationToken">Stops the crawl between requests; the run is then resumable.</param>
    public async Task<CrawlSummary> RunAsync(long targetId, string? startedBy, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        var target = context.Store.FindTarget(targetId)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--target", $"no target with id {targetId}"));
        var now = context.Now;
        var mandate = mandates.FindCovering(target, now);
        string actor;
        if (startedBy is not null)
        {
            var user = context.RequireUser(startedBy);
            context.RequireRole(user, "crawl-run", $"target:{targetId}", Role.Specialist);
            actor = $"{ServiceActor} for {user.Name}";
        }
        else
        {
            actor = $"{ServiceActor} (schedule) for {mandate?.RequestedBy ?? "nobody"}";
        }

        if (mandate is null)
        {
            var reason = $"no approved mandate covers target '{target.Name}' now: {mandates.WhyNotCovered(target, now)}";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"target:{targetId}", "refused", reason, "mandate.present", Lab: context.Lab));
            throw new RefusalException("mandate.present", reason);
        }

        var run = context.Store.UnfinishedRun(targetId);
        var resumed = run is not null && run.MandateId == mandate.Id;
        if (!resumed)
        {
            if (run is not null)
            {
                context.Store.SaveRun(run with { State = RunState.Stopped, EndReason = "superseded: a new mandate covers the target" });
            }

            run = context.Store.StartRun(targetId, mandate.Id, actor, now);
        }
        else
        {
            run = run! with { State = RunState.Running };
            context.Store.SaveRun(run);
        }

        context.Audit(new AuditRecord(actor, AuditOperation.CrawlStart, $"run:{run.Id}", resumed ? "resumed" : "started",
            $"crawl of target '{target.Name}' under mandate {mandate.Id}", null, mandate.Id, mandate.Version, mandate.Spec.Case, Lab: context.Lab));
        foreach (var seed in target.Spec.Seeds)
        {
            context.Store.Enqueue(run.Id, seed, 0);
        }

        var session = new CrawlSession(context, target, mandate.Id, run, actor, progress, new NetworkGuard(context.Lab, context.Policy.Network.AllowLoopbackInLab, resolve));
        try
        {
            await session.RunAsync(cancellationToken);
        }
        finally
        {
            session.Finish(cancellationToken.IsCancellationRequested);
        }

        var final = session.Run;
        return new CrawlSummary(final.Id, targetId, mandate.Id, resumed, final.Fetched, final.Refused, final.Hits, session.Discarded,
            final.State.ToString().ToLowerInvariant(), final.EndReason);
    }

    /// <summary>The state of one run in progress: robots rules, politeness clocks and counters.</summary>
    private sealed class CrawlSession(
        CrawlerContext context,
        CrawlTarget target,
        long mandateId,
        CrawlRun run,
        string actor,
        IProgress<CrawlProgress>? progress,
        NetworkGuard guard)
    {
        private readonly Dictionary<string, RobotsTxt> _robots = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HostPace> _pace = new(StringComparer.Ordinal);
        private readonly AdExtractor _extractor = new(context.Policy.Fetch.NotPublicSelectors, context.Policy.Urls);
        private int _runPages;
        private string? _stopReason;
        private bool _requeued;

        /// <summary>A URL the host pushed back on (429/503) is tried this many times in all.</summary>
        private const int MaxAttempts = 3;

        public CrawlRun Run { get; private set; } = run;

        public int Discarded { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            using var fetcher = new PageFetcher(context.Policy, guard, change =>
                context.Audit(new AuditRecord(actor, AuditOperation.Circuit, "host:" + change.Host, change.Opened ? "opened" : "closed",
                    "circuit breaker " + change.Reason, change.Opened ? "host.circuit-open" : "host.circuit-closed", mandateId, Lab: context.Lab)));
            while (!ct.IsCancellationRequested && _stopReason is null)
            {
                var item = context.Store.NextPending(Run.Id);
                if (item is null)
                {
                    break;
                }

                try
                {
                    await ProcessAsync(fetcher, item, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Stopped mid-request: the item stays pending and is fetched again on resume.
                    break;
                }

                if (!ct.IsCancellationRequested && !_requeued)
                {
                    context.Store.MarkDone(item.Id);
                }

                _requeued = false;

                context.Store.SaveRun(Run);
                progress?.Report(new CrawlProgress(Run.Fetched, Run.Refused, Run.Hits, Discarded, item.Url));
            }
        }

        public void Finish(bool cancelled)
        {
            var (state, reason) = (_stopReason, cancelled) switch
            {
                ({ } stop, _) => (RunState.Stopped, stop),
                (null, true) => (RunState.Interrupted, "interrupted; the next run resumes from the saved frontier"),
                _ => (RunState.Completed, "the frontier is exhausted"),
            };
            Run = Run with { State = state, EndReason = reason };
            context.Store.SaveRun(Run);
            var m = context.Store.FindMandate(mandateId);
            context.Audit(new AuditRecord(actor, AuditOperation.CrawlEnd, $"run:{Run.Id}", state.ToString().ToLowerInvariant(),
                $"{reason} (fetched {Run.Fetched}, refused {Run.Refused}, hits {Run.Hits})", null, mandateId, m?.Version, m?.Spec.Case, Lab: context.Lab));
        }

        private async Task ProcessAsync(PageFetcher fetcher, FrontierItem item, CancellationToken ct)
        {
            var url = new Uri(item.Url);
            var chain = new List<string>();
            for (var hop = 0; ; hop++)
            {
                var robots = await RobotsForAsync(fetcher, url, ct);
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                var decision = Decide(url, item.Depth, RequestPurpose.Page, robots);
                if (!decision.Allowed)
                {
                    Refuse(decision, chain);
                    return;
                }

                await WaitPolitelyAsync(PaceFor(url, robots), ct);
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                // Checked again after the politeness wait: the mandate may have ended meanwhile.
                decision = Decide(url, item.Depth, RequestPurpose.Page, robots);
                if (!decision.Allowed)
                {
                    Refuse(decision, chain);
                    return;
                }

                var pace = PaceFor(url, robots);
                pace.Sent(context.Now);
                var result = await fetcher.GetAsync(url, context.Policy.Fetch.MaxBodyBytes, ct);
                if (result.Failed)
                {
                    Record(AuditOperation.Refuse, url, "refused", result.FailureReason!, result.FailureRule!, decision, null, null);
                    Run = Run with { Refused = Run.Refused + 1 };
                    return;
                }

                context.Store.CountPage(mandateId);
                _runPages++;
                Run = Run with { Fetched = Run.Fetched + 1 };
                if (result.Status is 429 or 503)
                {
                    // The host asks for less: slow the whole host, and try this URL again later, through the gate again.
                    pace.PushedBack(context.Now, result.RetryAfter);
                    var attempts = item.Attempts + 1;
                    var again = attempts < MaxAttempts;
                    Record(AuditOperation.Collect, url, "pushed-back",
                        $"HTTP {result.Status}{(result.RetryAfter is { } ra ? $", Retry-After {ra.TotalSeconds:0} s" : "")}: host slowed to one request per {pace.Delay.TotalSeconds:0.#} s; " +
                        (again ? $"retry {attempts} of {MaxAttempts - 1} later" : "giving up on this URL"),
                        "host.slow-down", decision, null, result.Status);
                    if (again)
                    {
                        context.Store.Requeue(item.Id);
                        _requeued = true;
                    }

                    return;
                }

                pace.Answered();
                if (result.RedirectLocation is { } location)
                {
                    chain.Add($"{url} -> HTTP {result.Status}");
                    Record(AuditOperation.Collect, url, "redirect", $"HTTP {result.Status} to {location}", "fetch.redirect", decision, null, result.Status);
                    if (hop + 1 > context.Policy.Fetch.MaxRedirects)
                    {
                        Record(AuditOperation.Refuse, location, "refused", $"more than {context.Policy.Fetch.MaxRedirects} redirects: {string.Join(" ; ", chain)}",
                            "fetch.max-redirects", decision, null, null);
                        Run = Run with { Refused = Run.Refused + 1 };
                        return;
                    }

                    if (!CanonicalUrl.TryCreate(location.ToString(), null, context.Policy.Urls, out var next, out var why))
                    {
                        Record(AuditOperation.Refuse, location, "refused", $"redirect target unusable: {why}", "url.scheme", decision, null, null);
                        Run = Run with { Refused = Run.Refused + 1 };
                        return;
                    }

                    url = next;
                    continue;
                }

                await HandleResponseAsync(item, url, result, decision);
                return;
            }
        }

        private Task HandleResponseAsync(FrontierItem item, Uri url, FetchResult result, PolicyDecision decision)
        {
            var verdict = ResponsePolicy.Decide(result.Status, result.MediaType, result.Body.LongLength, result.Truncated, context.Policy.Fetch);
            var hash = Convert.ToHexStringLower(SHA256.HashData(result.Body));
            if (!verdict.Accepted)
            {
                Record(AuditOperation.Refuse, url, verdict.NotPublic ? "not-public" : "refused", verdict.Reason, verdict.Rule, decision, null, result.Status);
                Run = Run with { Refused = Run.Refused + 1 };
                return Task.CompletedTask;
            }

            var html = Decode(result.Body, result.Charset);
            var page = _extractor.Extract(html, url);
            if (page.NotPublic)
            {
                Record(AuditOperation.Discard, url, "not-public", page.NotPublicReason + "; content discarded",
                    "response.not-public", decision, hash, result.Status);
                Discarded++;
                return Task.CompletedTask;
            }

            Record(AuditOperation.Collect, url, "fetched", verdict.Reason, decision.Rule, decision, hash, result.Status);
            foreach (var link in page.Links)
            {
                context.Store.Enqueue(Run.Id, link.ToString(), item.Depth + 1);
            }

            var ad = page.Ad;
            if (!ad.IsAd)
            {
                Record(AuditOperation.Discard, url, "not-an-ad", ad.NotAdReason + "; nothing stored", "extract.not-an-ad", decision, hash, result.Status);
                Discarded++;
                return Task.CompletedTask;
            }

            var mandate = context.Store.FindMandate(mandateId)!;
            if (context.Store.FindSameHit(mandateId, url.ToString(), hash) is { } same)
            {
                // A recrawl of an unchanged ad adds nothing: storing it again would only collect more.
                Record(AuditOperation.Discard, url, "unchanged", $"identical to hit {same}; nothing stored", "hit.unchanged", decision, hash, result.Status);
                Discarded++;
                return Task.CompletedTask;
            }

            var score = IndicatorScorer.Score(ad.Text, context.Policy.Indicators);
            if (score.Score < context.Policy.Indicators.HitThreshold)
            {
                Record(AuditOperation.Discard, url, "below-threshold",
                    $"score {score.Score} is below the threshold {context.Policy.Indicators.HitThreshold}; nothing stored", "score.threshold", decision, hash, result.Status);
                Discarded++;
                return Task.CompletedTask;
            }

            var content = Minimiser.Apply(ad, score, mandate.Spec, context.Folder.PseudonymKey);
            var hit = new Hit(0, mandate.Id, mandate.Version, mandate.Spec.Case, target.Id, Run.Id, url.ToString(), context.Now, hash,
                content.Title, content.Text, content.Snippets, content.Phones, content.Emails, score.Score, score.Fired, score.Escalated,
                ad.RemovedThirdPartyRegions, context.Policy.Version, "unreviewed");
            var id = context.Store.TryAddHit(hit, mandate.Spec.Limits.MaxHits);
            if (id is null)
            {
                _stopReason = $"mandate {mandate.Id} has stored its {mandate.Spec.Limits.MaxHits} hits";
                Record(AuditOperation.Refuse, url, "refused", _stopReason + "; the hit was not stored", "mandate.hit-cap", decision, hash, result.Status);
                return Task.CompletedTask;
            }

            Run = Run with { Hits = Run.Hits + 1 };
            context.Audit(new AuditRecord(actor, AuditOperation.Store, $"hit:{id}", "stored",
                $"ad from {url} (score {score.Score}, {ad.RemovedThirdPartyRegions} third-party regions removed)", "hit.store",
                mandate.Id, mandate.Version, mandate.Spec.Case, ContentSha256: hash, HttpStatus: result.Status, Lab: context.Lab));
            return Task.CompletedTask;
        }

        private PolicyDecision Decide(Uri url, int depth, RequestPurpose purpose, RobotsTxt? robots)
        {
            var mandate = context.Store.FindMandate(mandateId);
            var ctx = new RequestContext(url, depth, purpose, context.Now, target, mandate,
                context.Store.Usage(mandateId), _runPages, context.Policy, context.Lab, robots);
            return RequestPolicy.Decide(ctx);
        }

        private void Refuse(PolicyDecision decision, List<string> chain)
        {
            var reason = chain.Count == 0 ? decision.Reason : $"{decision.Reason} (redirect chain: {string.Join(" ; ", chain)})";
            Record(AuditOperation.Refuse, new Uri(decision.Url), "refused", reason, decision.Rule, decision, null, null);
            Run = Run with { Refused = Run.Refused + 1 };
            if (StopRules.Contains(decision.Rule))
            {
                _stopReason = decision.Reason;
            }
        }

        private async Task<RobotsTxt?> RobotsForAsync(PageFetcher fetcher, Uri url, CancellationToken ct)
        {
            var key = HostKey(url);
            if (_robots.TryGetValue(key, out var known))
            {
                return known;
            }

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
                var fromCache = cached.DisallowAll
                    ? RobotsTxt.DisallowAll($"{cached.Source} (cached {cached.FetchedAt:O})")
                    : cached.Content is null
                        ? RobotsTxt.AllowAll($"{cached.Source} (cached {cached.FetchedAt:O})")
                        : RobotsTxt.Parse(cached.Content, $"{cached.Source} (cached {cached.FetchedAt:O})");
                _robots[key] = fromCache;
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
                PaceFor(current, null).Sent(context.Now);
                var result = await fetcher.GetAsync(current, RobotsTxt.MaxParsedBytes, ct);
                if (result.Failed)
                {
                    // Unreachable means disallow all (RFC 9309 §2.3.1.4); a network-guard refusal is logged as such.
                    source = result.FailureReason!;
                    robots = RobotsTxt.DisallowAll(source);
                    disallowAll = true;
                    Record(AuditOperation.Refuse, current, "refused", result.FailureReason!, result.FailureRule!, decision, null, null);
                    Run = Run with { Refused = Run.Refused + 1 };
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
            _robots[key] = robots;
            return robots;
        }

        private HostPace PaceFor(Uri url, RobotsTxt? robots)
        {
            var key = HostKey(url);
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

        private async Task WaitPolitelyAsync(HostPace pace, CancellationToken ct)
        {
            var wait = pace.WaitAt(context.Now);
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
                decision.Case, decision.PolicyVersion, hash, status, context.Lab));

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
}
