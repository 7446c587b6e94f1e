using Crawler.Core.Audit;
using Crawler.Core.Mandates;
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
public sealed class TargetService(ITargetStore targets, IMandateStore mandates, ICrawlStateStore crawlState, AccessControl access, AuditTrail audit, PolicySet policy, Installation installation, TimeProvider time)
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

    /// <summary>
    /// Replaces a target's file with <paramref name="text"/>, checked as <see cref="AddAsync"/> checks a new one. The name
    /// cannot change (mandates name their targets); the entry says what the target was before.
    /// </summary>
    public async Task<CrawlTarget> EditAsync(long id, string file, string text, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(null, ct);
        await access.AuthorizeAsync(Permission.TargetsWrite, $"target:{id}", ct);
        var target = await FindAsync(id, ct);
        var spec = TargetFile.Parse(file, text, policy, Scheduling.CronSchedule.IsValid, installation.Lab);
        if (!string.Equals(spec.Name, target.Name, StringComparison.Ordinal))
        {
            throw new InputException(new InputProblem(file, 0, 0, "name", $"the name stays '{target.Name}': mandates name their targets (add a new target instead)"));
        }

        await RefuseWideningUnderMandateAsync(user.Name, target, spec, file, ct);
        await targets.UpdateAsync(target with { Spec = spec }, ct);
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, $"target:{id}", "ok",
            $"edited target '{spec.Name}': seeds {Describe(target.Spec)} -> {Describe(spec)}", "target.edit"), ct);
        return (await targets.FindAsync(id, ct))!;
    }

    /// <summary>
    /// A target named by a mandate that is requested, approved or suspended may narrow but not grow: the officer weighed
    /// what it reached (see <see cref="TargetReach"/>). The refusal is audited with the mandate it rests on.
    /// </summary>
    private async Task RefuseWideningUnderMandateAsync(string actor, CrawlTarget target, TargetSpec spec, string file, CancellationToken ct)
    {
        var widenings = TargetReach.Widenings(target.Spec, spec);
        if (widenings.Count == 0)
        {
            return;
        }

        var binding = (await mandates.ListAsync(ct))
            .Where(m => m.Covers(target.Name) && m.Status is MandateStatus.Requested or MandateStatus.Approved or MandateStatus.Suspended)
            .OrderBy(m => m.Id).FirstOrDefault();
        if (binding is null)
        {
            return;
        }

        var reason = $"target '{target.Name}' is named by mandate {binding.Id} ({binding.Status}); it may narrow but not grow: "
                     + string.Join("; ", widenings.Select(w => $"{w.Field} {w.Message}"));
        await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Refuse, $"target:{target.Id}", "refused", reason, WidenUnderMandateRule,
            MandateId: binding.Id, Case: binding.Spec.Case), ct);
        throw new InputException(widenings.Select(w => new InputProblem(file, 0, 0, w.Field,
            $"{w.Message}: mandate {binding.Id} weighed the target as it was; add a new target and request a mandate that names it")).ToList());
    }

    /// <summary>The rule an edit that widens a target under a mandate is refused by.</summary>
    public const string WidenUnderMandateRule = "target.widen-under-mandate";

    /// <summary>Disables a target with a reason: it is no longer crawled, by schedule or by hand.</summary>
    public async Task<CrawlTarget> DisableAsync(long id, string reason, CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(null, ct);
        await access.AuthorizeAsync(Permission.TargetsWrite, $"target:{id}", ct);
        var target = await FindAsync(id, ct);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "reason", "say why the target is disabled"));
        }

        if (target.Disabled is { } already)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "reason", $"target '{target.Name}' was already disabled by {already.By} at {already.At:O}"));
        }

        var disabled = target with { Disabled = new TargetDisabled(user.Name, time.GetUtcNow(), reason.Trim()) };
        await targets.UpdateAsync(disabled, ct);
        await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, $"target:{id}", "ok",
            $"disabled target '{target.Name}': {reason.Trim()}", "target.disable"), ct);
        return disabled;
    }

    public async Task<IReadOnlyList<CrawlTarget>> ListAsync(CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.TargetsRead, "targets", ct);
        return await targets.ListAsync(ct);
    }

    public async Task<CrawlTarget> ShowAsync(long id, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.TargetsRead, $"target:{id}", ct);
        return await FindAsync(id, ct);
    }

    private async Task<CrawlTarget> FindAsync(long id, CancellationToken ct) => await targets.FindAsync(id, ct)
        ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no target with id {id} (see 'crawler target list')"));

    private static string Describe(TargetSpec spec) =>
        $"{spec.Seeds.Count}, hosts {string.Join(", ", spec.Scope.Hosts)}, depth {spec.Scope.MaxDepth}, {spec.Scope.MaxPagesPerRun} pages a run, schedule {spec.Schedule ?? "none"}";

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
