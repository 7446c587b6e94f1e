using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Urls;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

/// <summary>A decision explained without fetching anything: what the gate would say now, and why.</summary>
public sealed record Explanation(PolicyDecision Decision, bool RobotsKnown, string RobotsSource);

public sealed class PolicyExplainer(CrawlerContext context, MandateService mandates)
{
    public Explanation Explain(long targetId, string url, int depth)
    {
        context.Authorize(Core.Users.Permission.PolicyExplain, $"target:{targetId}");
        var target = context.Store.FindTarget(targetId)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--target", $"no target with id {targetId} (see 'crawler target list')"));
        if (!CanonicalUrl.TryCreate(url, null, context.Policy.Urls, out var canonical, out var why))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "URL", $"'{url}' cannot be decided: {why}"));
        }

        var now = context.Now;

        // The active mandate if there is one; otherwise the latest that names the target, so the refusal says why.
        var mandate = mandates.FindCovering(target, now)
            ?? context.Store.Mandates().Where(m => m.Covers(target.Name)).OrderByDescending(m => m.Id).FirstOrDefault();
        var key = canonical.Scheme + "://" + canonical.Authority;
        var cached = context.Store.FindRobots(key);
        var robots = cached?.ToRules() ?? RobotsTxt.AllowAll("robots.txt of this host has not been fetched yet; a crawl reads it first");
        var usage = mandate is null ? MandateUsage.None : context.Store.Usage(mandate.Id);
        var decision = RequestPolicy.Decide(new RequestContext(canonical, depth, RequestPurpose.Page, now, target, mandate, usage, 0,
            context.Policy, context.Lab, robots));
        return new Explanation(decision, cached is not null, robots.Source);
    }
}
