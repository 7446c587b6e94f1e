using System.Globalization;
using Crawler.Core.Audit;
using Crawler.Core.Indicators;
using Crawler.Core.Linking;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Service.Audit;

namespace Crawler.Service.Application;

public sealed record LinkingReport(long MandateId, LinkResult Result, int Rescored);

/// <summary>
/// Links a mandate's hits into clusters (shared contact pseudonyms, handles, near-duplicate text) and feeds
/// <c>shared-contact</c> and <c>template-text</c> back into their scores. Linking combines data, which the
/// mandate must allow (a Koops factor), and each cluster is a <c>combine</c> entry in the audit trail.
/// The caller has decided who may ask for it.
/// </summary>
public sealed class LinkingService(IMandateStore mandates, IHitStore hits, AuditTrail audit, PolicySet policy)
{
    public async Task<LinkingReport> LinkAsync(long mandateId, string actor, CancellationToken ct = default)
    {
        var mandate = await mandates.FindAsync(mandateId, ct)
            ?? throw new Core.Yaml.InputException(new Core.Yaml.InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {mandateId} (see 'crawler mandate list')"));
        if (!mandate.Spec.Linking)
        {
            var reason = $"mandate {mandateId} does not allow linking (linking: false); combining its hits needs an officer's approval of a mandate that does";
            await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"mandate:{mandateId}", "refused", reason, "mandate.linking",
                mandate.Id, mandate.Version, mandate.Spec.Case), ct);
            throw new RefusalException("mandate.linking", reason);
        }

        // The versions of one mandate are one case: a renewal's hits link with the earlier ones.
        var versions = MandateLifecycle.Lineage(mandateId, await mandates.ListAsync(ct)).Select(v => v.Id).ToList();
        var all = new List<Core.Hits.Hit>();
        foreach (var id in versions)
        {
            all.AddRange(await hits.ListAsync(id, ct));
        }

        var linkable = all.Where(h => h.RestrictedAt is null).OrderBy(h => h.Id).ToList();
        var indicators = policy.Indicators;
        var result = AdLinker.Link(linkable.Select(LinkableAd.FromHit).ToList(), indicators.Linking);
        var rescored = 0;
        foreach (var hit in linkable)
        {
            var score = IndicatorScorer.WithLinks(new IndicatorScore(hit.Score, hit.Indicators, hit.Escalated), indicators, result.SignalsFor(hit.Id));
            if (score.Score != hit.Score || score.Fired.Count != hit.Indicators.Count || score.Escalated != hit.Escalated)
            {
                await hits.UpdateAsync(hit with { Score = score.Score, Indicators = score.Fired, Escalated = score.Escalated }, ct);
                rescored++;
            }
        }

        await hits.SaveLinksAsync(mandateId, result, ct);
        var entries = result.Clusters.Select(c => new AuditRecord(actor, AuditOperation.Combine, $"cluster:{mandateId}:{c.Number}", "linked",
                $"hits {string.Join(", ", c.HitIds)} linked by {string.Join(", ", c.Links.Select(l => l.Kind.ToString().ToLowerInvariant()).Distinct())}",
                "linking.cluster", mandate.Id, mandate.Version, mandate.Spec.Case, DataSubject: DataSubject.Unknown))
            .Append(new AuditRecord(actor, AuditOperation.Combine, $"mandate:{mandateId}", "ok",
                string.Create(CultureInfo.InvariantCulture,
                    $"{linkable.Count} hits linked into {result.Clusters.Count} clusters; {result.Hubs.Count} identifiers shared by {indicators.Linking.HubThreshold} or more ads left out as hubs; {rescored} scores changed"),
                "linking.run", mandate.Id, mandate.Version, mandate.Spec.Case))
            .ToList();
        await audit.AppendAsync(entries, ct);
        return new LinkingReport(mandateId, result, rescored);
    }
}
