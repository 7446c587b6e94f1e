namespace Crawler.Core.Storage;

/// <summary>How a run ended, told truthfully: a run with failures is not "completed", and one that fetched nothing "failed".</summary>
public static class RunOutcome
{
    public static (RunState State, string Reason) Decide(string? stopReason, bool cancelled, CrawlRun run)
    {
        var failures = run.FailureCount;
        return (stopReason, cancelled) switch
        {
            ({ } stop, _) => (RunState.Stopped, stop),
            (null, true) => (RunState.Interrupted, "interrupted; the next run resumes from the saved frontier"),
            _ when failures == 0 => (RunState.Completed, "the frontier is exhausted"),

            // Not one page answered: the site was not crawled, whatever the frontier says.
            _ when run.Fetched == 0 => (RunState.Failed, $"nothing could be fetched: {Describe(run.Failures!)}"),
            _ => (RunState.Partial, $"the frontier is exhausted, but {failures} URL{(failures == 1 ? "" : "s")} could not be fetched: {Describe(run.Failures!)}"),
        };
    }

    public static string Describe(IReadOnlyDictionary<string, int> failures) =>
        string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));
}
