using Crawler.Core.Audit;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Documents;
using Crawler.Service.Access;
using Crawler.Service.Audit;

namespace Crawler.Service.Application;

/// <summary>Crawl targets: what a specialist says could be crawled (nothing is, without a mandate).</summary>
public sealed class TargetService(ITargetStore targets, ICrawlStateStore crawlState, AccessControl access, AuditTrail audit, PolicySet policy, Installation installation, TimeProvider time)
{
    public async Task<CrawlTarget> AddAsync(string file, string text, string? actingAs, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.TargetsWrite, "target:(new)", ct);
        var spec = TargetFile.Parse(file, text, policy, Scheduling.CronSchedule.IsValid, installation.Lab);
        if (await targets.FindByNameAsync(spec.Name, ct) is not null)
        {
            throw new InputException(new InputProblem(file, 0, 0, "name", $"a target named '{spec.Name}' already exists"));
        }

        var id = await targets.AddAsync(spec, user.Name, time.GetUtcNow(), ct);
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, $"target:{id}", "ok",
            $"added target '{spec.Name}' ({spec.Seeds.Count} seeds, hosts {string.Join(", ", spec.Scope.Hosts)})", "target.add"), ct);
        return (await targets.FindAsync(id, ct))!;
    }

    public async Task<IReadOnlyList<CrawlTarget>> ListAsync(CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.TargetsRead, "targets", ct);
        return await targets.ListAsync(ct);
    }

    public async Task<CrawlTarget> ShowAsync(long id, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.TargetsRead, $"target:{id}", ct);
        return await targets.FindAsync(id, ct)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no target with id {id} (see 'crawler target list')"));
    }

    /// <summary>
    /// What crawls have learned of the site templates of the target's hosts: pages seen, blocks and contacts that are
    /// template, and what was dropped from pages. Counts only: the hashes stay in the crawl state.
    /// </summary>
    public async Task<IReadOnlyList<HostTemplate>> TemplatesAsync(CrawlTarget target, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.TargetsRead, $"target:{target.Id}", ct);
        var learned = new List<HostTemplate>();
        foreach (var host in target.Spec.Scope.Hosts)
        {
            if (await crawlState.FindTemplateAsync(host, ct) is { } template)
            {
                learned.Add(template);
            }
        }

        return learned;
    }
}
