namespace Crawler.Service.Crawling.Stages;

/// <summary>Why the run stops at its next request, once something says so (a cap, the mandate's end, a lost lease); the first reason stands.</summary>
internal sealed class RunStop
{
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    public void Stop(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);
}
