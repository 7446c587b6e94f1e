using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Urls;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Access;

namespace Crawler.Service.Application;

/// <summary>A decision explained without fetching anything: what the gate would say now, and why.</summary>
public sealed record Explanation(PolicyDecision Decision, bool RobotsKnown, string RobotsSource);

public sealed class PolicyExplainer(ITargetStore targets, IMandateStore mandateStore, IRobotsCache robotsCache, MandateService mandates,
    AccessControl access, PolicySet policy, Installation installation, TimeProvider time)
{
    public async Task<Explanation> ExplainAsync(long targetId, string url, int depth, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.PolicyExplain, $"target:{targetId}", ct);
        var target = await targets.FindAsync(targetId, ct)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--target", $"no target with id {targetId} (see 'crawler target list')"));
        if (!CanonicalUrl.TryCreate(url, null, policy.Urls, out var canonical, out var why))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "URL", $"'{url}' cannot be decided: {why}"));
        }

        var now = time.GetUtcNow();

        // The active mandate if there is one; otherwise the latest that names the target, so the refusal says why.
        var mandate = await mandates.FindCoveringAsync(target, now, ct)
            ?? (await mandateStore.ListAsync(ct)).Where(m => m.Covers(target.Name)).OrderByDescending(m => m.Id).FirstOrDefault();
        var key = canonical.Scheme + "://" + canonical.Authority;
        var cached = await robotsCache.FindAsync(key, ct);
        var robots = cached?.ToRules() ?? RobotsTxt.AllowAll("robots.txt of this host has not been fetched yet; a crawl reads it first");
        var usage = mandate is null ? MandateUsage.None : await mandateStore.UsageAsync(mandate.Id, ct);
        var decision = RequestPolicy.Decide(new RequestContext(canonical, depth, RequestPurpose.Page, now, target, mandate, usage, 0,
            policy, installation.Lab, robots));
        return new Explanation(decision, cached is not null, robots.Source);
    }
}
