using System.Globalization;
using Crawler.Core.Audit;
using Crawler.Core.Indicators;
using Crawler.Core.Linking;
using Crawler.Core.Mandates;

namespace Crawler.Service.Application;

public sealed record LinkingReport(long MandateId, LinkResult Result, int Rescored);

/// <summary>
/// Links a mandate's hits into clusters (shared contact pseudonyms, handles, near-duplicate text) and feeds
/// <c>shared-contact</c> and <c>template-text</c> back into their scores. Linking combines data, which the
/// mandate must allow (a Koops factor), and each cluster is a <c>combine</c> entry in the audit trail.
/// </summary>
public sealed class LinkingService(CrawlerContext context)
{
    public LinkingReport Link(long mandateId, string actor)
    {
        var mandate = context.Store.FindMandate(mandateId)
            ?? throw new Core.Yaml.InputException(new Core.Yaml.InputProblem("(command line)", 0, 0, "--mandate", $"no mandate with id {mandateId}"));
        if (!mandate.Spec.Linking)
        {
            var reason = $"mandate {mandateId} does not allow linking (linking: false); combining its hits needs an officer's approval of a mandate that does";
            context.Audit(new AuditRecord(actor, AuditOperation.Refuse, $"mandate:{mandateId}", "refused", reason, "mandate.linking",
                mandate.Id, mandate.Version, mandate.Spec.Case));
            throw new RefusalException("mandate.linking", reason);
        }

        // The versions of one mandate are one case: a renewal's hits link with the earlier ones.
        var versions = new MandateService(context).Versions(mandateId).Select(v => v.Id).ToHashSet();
        var hits = versions.SelectMany(id => context.Store.Hits(id)).Where(h => h.RestrictedAt is null).OrderBy(h => h.Id).ToList();
        var policy = context.Policy.Indicators;
        var result = AdLinker.Link(hits.Select(LinkableAd.FromHit).ToList(), policy.Linking);
        var rescored = 0;
        foreach (var hit in hits)
        {
            var score = IndicatorScorer.WithLinks(new IndicatorScore(hit.Score, hit.Indicators, hit.Escalated), policy, result.SignalsFor(hit.Id));
            if (score.Score != hit.Score || score.Fired.Count != hit.Indicators.Count || score.Escalated != hit.Escalated)
            {
                context.Store.UpdateHit(hit with { Score = score.Score, Indicators = score.Fired, Escalated = score.Escalated });
                rescored++;
            }
        }

        context.Store.SaveLinks(mandateId, result);
        var entries = result.Clusters.Select(c => new AuditRecord(actor, AuditOperation.Combine, $"cluster:{mandateId}:{c.Number}", "linked",
                $"hits {string.Join(", ", c.HitIds)} linked by {string.Join(", ", c.Links.Select(l => l.Kind.ToString().ToLowerInvariant()).Distinct())}",
                "linking.cluster", mandate.Id, mandate.Version, mandate.Spec.Case, DataSubject: DataSubject.Unknown))
            .Append(new AuditRecord(actor, AuditOperation.Combine, $"mandate:{mandateId}", "ok",
                string.Create(CultureInfo.InvariantCulture,
                    $"{hits.Count} hits linked into {result.Clusters.Count} clusters; {result.Hubs.Count} identifiers shared by {policy.Linking.HubThreshold} or more ads left out as hubs; {rescored} scores changed"),
                "linking.run", mandate.Id, mandate.Version, mandate.Spec.Case))
            .ToList();
        context.Audit(entries);
        return new LinkingReport(mandateId, result, rescored);
    }
}
