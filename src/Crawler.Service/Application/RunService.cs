using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Crawler.Service.Crawling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crawler.Service.Application;

/// <summary>A run as the console and the API show it: its counters beside the caps of the mandate it ran under (caps count over every run of the mandate).</summary>
public sealed record RunView(CrawlRun Run, string TargetName, MandateLimits? Caps);

/// <summary>
/// Crawl runs: the list per target, one run, and "run now". Runs hold counters, names of targets and times, no personal
/// data, so reading them is authorised (the mandates' readers) but is not a consultation in the trail; starting one
/// is the crawl service's, with its own authorisation and audit entries.
/// </summary>
public sealed class RunService(ICrawlStateStore runs, ITargetStore targets, IMandateStore mandates, AccessControl access)
{
    public async Task<IReadOnlyList<RunView>> ListAsync(long? targetId, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.MandatesRead, "runs", ct);
        var found = await runs.RunsAsync(targetId, ct);

        // Many runs share a target and a mandate: each is read once for the list, not once per run.
        var names = new Dictionary<long, string>();
        var caps = new Dictionary<long, MandateLimits?>();
        var views = new List<RunView>(found.Count);
        foreach (var run in found.OrderByDescending(r => r.Id))
        {
            if (!names.TryGetValue(run.TargetId, out var name))
            {
                names[run.TargetId] = name = await TargetNameAsync(run, ct);
            }

            if (!caps.TryGetValue(run.MandateId, out var limits))
            {
                caps[run.MandateId] = limits = await CapsAsync(run, ct);
            }

            views.Add(new RunView(run, name, limits));
        }

        return views;
    }

    public async Task<RunView> ShowAsync(long runId, CancellationToken ct = default)
    {
        await access.AuthorizeAsync(Permission.MandatesRead, $"run:{runId}", ct);
        var run = await runs.FindRunAsync(runId, ct)
                  ?? throw new InputException(new InputProblem("(command line)", 0, 0, "ID", $"no run with id {runId}"));
        return new RunView(run, await TargetNameAsync(run, ct), await CapsAsync(run, ct));
    }

    private async Task<string> TargetNameAsync(CrawlRun run, CancellationToken ct) => (await targets.FindAsync(run.TargetId, ct))?.Name ?? $"#{run.TargetId}";

    private async Task<MandateLimits?> CapsAsync(CrawlRun run, CancellationToken ct) => (await mandates.FindAsync(run.MandateId, ct))?.Spec.Limits;
}

/// <summary>
/// "Run now" from the console and the API: the same <see cref="CrawlService.RunAsync"/> as <c>crawler crawl run</c> and
/// the schedule, started in the host (a crawl outlives the request that asked for it) as the person who asked. The
/// caller waits until the run has started (its id is known) or was refused (the refusal is thrown, already audited).
/// Stopping the host stops the crawls at their next request, the frontier saved for a resume.
/// </summary>
public sealed partial class CrawlLauncher(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<CrawlLauncher> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];

    /// <summary>Starts a crawl of <paramref name="targetId"/> as <paramref name="principal"/>; the run once it has started.</summary>
    public async Task<CrawlRun> StartAsync(Principal principal, long targetId, CancellationToken ct = default)
    {
        var started = new TaskCompletionSource<CrawlRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        var crawl = Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<AccessControl>().ActAs(principal);
            var service = scope.ServiceProvider.GetRequiredService<CrawlService>();
            var summary = await service.RunAsync(targetId, principal.Name, null, lifetime.ApplicationStopping, started: run => started.TrySetResult(run));
            LogEnded(logger, targetId, summary.RunId, summary.State);
        }, CancellationToken.None);
        Track(crawl, targetId);

        var first = await Task.WhenAny(started.Task, crawl).WaitAsync(ct);
        if (first == started.Task)
        {
            return await started.Task;
        }

        // Ended before it started: a refusal (no mandate, already running, the interval) or an input error, thrown to the caller.
        await crawl;
        throw new InvalidOperationException("the crawl ended without starting");
    }

    private void Track(Task crawl, long targetId)
    {
        lock (_gate)
        {
            _running.Add(crawl);
        }

        _ = crawl.ContinueWith(t =>
        {
            lock (_gate)
            {
                _running.Remove(t);
            }

            if (t.Exception?.GetBaseException() is { } ex and not RefusalException and not InputException and not OperationCanceledException)
            {
                LogFailed(logger, targetId, ex.GetType().Name);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for the crawls started here (the host's stop has told them to stop) before the stores close.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        // Their failures were logged (or audited) as they ended; only their end matters here.
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Target and run ids only: never a URL.
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Crawl of target {TargetId} started from the console ended: run {RunId} {State}")]
    private static partial void LogEnded(ILogger logger, long targetId, long runId, string state);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "A crawl of target {TargetId} started from the console failed: {Error}")]
    private static partial void LogFailed(ILogger logger, long targetId, string error);
}
