using Crawler.Core.Audit;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Service.Audit;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Every side effect of a crawl on the trail, typed by what happened: a request refused, a response collected, a page
/// discarded, a hit stored. Each names the run's actor and the decision's mandate, case and policy version; a URL is
/// sealed to its keyed reference by the trail. A page's entries are acknowledged once applied: they are committed
/// with the page's completion, so a crash loses them only together with the page, which is then fetched again.
/// </summary>
internal sealed class CrawlAudit(AuditTrail trail, string actor, long mandateId, bool lab)
{
    public string Actor => actor;

    public Task RefusedAsync(Uri url, string reason, string rule, PolicyDecision decision, CancellationToken ct) =>
        RecordAsync(AuditOperation.Refuse, url, "refused", reason, rule, decision, null, null, ct);

    /// <summary>A response the response policy refused (outcome <c>not-public</c> or <c>refused</c>), with its status.</summary>
    public Task ResponseRefusedAsync(Uri url, string outcome, string reason, string rule, PolicyDecision decision, int status, CancellationToken ct) =>
        RecordAsync(AuditOperation.Refuse, url, outcome, reason, rule, decision, null, status, ct);

    public Task CollectedAsync(Uri url, string outcome, string reason, string rule, PolicyDecision decision, string? hash, int? status, CancellationToken ct) =>
        RecordAsync(AuditOperation.Collect, url, outcome, reason, rule, decision, hash, status, ct);

    public Task DiscardedAsync(Uri url, string outcome, string reason, string rule, PolicyDecision decision, string? hash, int? status, CancellationToken ct) =>
        RecordAsync(AuditOperation.Discard, url, outcome, reason, rule, decision, hash, status, ct);

    /// <summary>
    /// A hit's own entry, naming the hit rather than the URL, made ready for the hit store to append in the hit's
    /// transaction (see <see cref="Core.Storage.IHitStore.TryAddAsync"/>); <see cref="Stored"/> counts it once it is.
    /// </summary>
    public Task<Core.Storage.HitStoredEntry> PrepareStoredAsync(Uri url, double score, int removedRegions, Core.Mandates.Mandate mandate, string hash, int status,
        CancellationToken ct) =>
        trail.PrepareStoredAsync(new AuditRecord(actor, AuditOperation.Store, "hit:(new)", "stored",
            $"ad from {url} (score {score}, {removedRegions} third-party regions removed)", "hit.store",
            mandate.Id, mandate.Version, mandate.Spec.Case, ContentSha256: hash, HttpStatus: status, Lab: lab, DataSubject: DataSubject.Unknown), ct);

    /// <summary>A hit's entry was appended with it.</summary>
    public void Stored() => trail.Appended(1);

    /// <summary>A URL the run no longer tries: the process died while it was in flight, again and again.</summary>
    public Task QuarantinedAsync(Uri url, string reason, Core.Mandates.Mandate mandate, string policyVersion, CancellationToken ct) =>
        trail.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, url.ToString(), "quarantined", reason, QuarantineRule,
            mandate.Id, mandate.Version, mandate.Spec.Case, policyVersion, Lab: lab), ct);

    /// <summary>The rule of a URL given up because processes died while it was in flight.</summary>
    public const string QuarantineRule = "fetch.quarantined";

    /// <summary>An event of the run itself (start, end, a circuit breaker, a discard not about one URL).</summary>
    public Task RunEventAsync(string operation, string subject, string outcome, string reason, string? rule, Core.Mandates.Mandate? mandate, CancellationToken ct) =>
        trail.AppendAsync(new AuditRecord(actor, operation, subject, outcome, reason, rule, mandate?.Id ?? mandateId, mandate?.Version, mandate?.Spec.Case,
            Lab: lab), ct);

    private Task RecordAsync(string operation, Uri url, string outcome, string reason, string rule, PolicyDecision decision, string? hash, int? status,
        CancellationToken ct) =>
        trail.AppendAsync(new AuditRecord(actor, operation, url.ToString(), outcome, reason, rule, decision.MandateId, decision.MandateVersion,
            decision.Case, decision.PolicyVersion, hash, status, lab, DataSubject: hash is null ? null : DataSubject.Unknown), Durability.Applied, ct);
}
