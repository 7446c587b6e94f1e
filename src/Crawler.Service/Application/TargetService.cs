using Crawler.Core.Audit;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

public sealed class TargetService(CrawlerContext context)
{
    public CrawlTarget Add(string file, string text, string? actingAs)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.TargetsWrite, "target:(new)");
        var spec = TargetFile.Parse(file, text, context.Policy, Scheduling.CronSchedule.IsValid);
        if (context.Store.FindTargetByName(spec.Name) is not null)
        {
            throw new InputException(new InputProblem(file, 0, 0, "name", $"a target named '{spec.Name}' already exists"));
        }

        var id = context.Store.AddTarget(spec, user.Name, context.Now);
        context.Audit(new AuditRecord(user.Name, AuditOperation.Configure, $"target:{id}", "ok",
            $"added target '{spec.Name}' ({spec.Seeds.Count} seeds, hosts {string.Join(", ", spec.Scope.Hosts)})", "target.add"));
        return context.Store.FindTarget(id)!;
    }

    public IReadOnlyList<CrawlTarget> List()
    {
        context.Authorize(Permission.TargetsRead, "targets");
        return context.Store.Targets();
    }

    public CrawlTarget Show(long id)
    {
        context.Authorize(Permission.TargetsRead, $"target:{id}");
        return context.Store.FindTarget(id)
            ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no target with id {id} (see 'crawler target list')"));
    }
}
