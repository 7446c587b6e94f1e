using System.Diagnostics;
using Crawler.Core.Storage;
using Crawler.Core.Policy;

namespace Crawler.Service.Crawling;

/// <summary>
/// One run per target at a time, across processes. The lease lives in the database, so two
/// <c>crawl run</c> commands or two <c>serve</c> processes on one data folder see the same one; it is
/// taken in one transaction, renewed by a heartbeat while the run lasts, and given up at its end.
/// </summary>
public sealed class RunLeases(ICrawlStateStore state, PolicySet policy, TimeProvider time)
{
    /// <summary>Takes the target's lease for a new owner; the handle keeps it alive until disposed.</summary>
    public async Task<RunLeaseTaking> TryTakeAsync(long targetId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var candidate = new RunLease(targetId, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}",
            Environment.MachineName, Environment.ProcessId, now, now);
        var attempt = await state.TryTakeLeaseAsync(candidate, held => IsDead(held, now), ct);
        return attempt.Taken is { } taken
            ? new RunLeaseTaking(new RunLeaseHandle(state, policy, time, taken), null, attempt.Replaced)
            : new RunLeaseTaking(null, attempt.Holder, null);
    }

    /// <summary>The live lease of the target, if a run holds one now.</summary>
    public async Task<RunLease?> LiveAsync(long targetId, CancellationToken ct = default) =>
        await state.FindLeaseAsync(targetId, ct) is { } held && !IsDead(held, time.GetUtcNow()) ? held : null;

    /// <summary>
    /// Whether the owner is gone: its heartbeat is older than the lease period, or it ran on this host in a
    /// process that no longer exists (a killed crawl can then be resumed at once, not a lease period later).
    /// </summary>
    public bool IsDead(RunLease lease, DateTimeOffset now) =>
        now >= lease.ExpiresAt(policy.Runs.Lease) ||
        (lease.HostName == Environment.MachineName && !ProcessRuns(lease.ProcessId));

    /// <summary>Why a lease's owner counts as dead, for the audit entry of a takeover.</summary>
    public string DeathOf(RunLease lease, DateTimeOffset now) =>
        now >= lease.ExpiresAt(policy.Runs.Lease)
            ? $"no heartbeat for {(now - lease.HeartbeatAt).TotalSeconds:0} s (the lease period is {policy.Runs.LeaseSeconds} s)"
            : $"process {lease.ProcessId} on {lease.HostName} no longer exists";

    private static bool ProcessRuns(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Cannot tell: treat it as alive, so a live run is never taken over; the lease period still ends it.
            return true;
        }
    }
}

/// <summary>The lease taken (<see cref="Handle"/>), or the live lease of another owner that refused it.</summary>
public sealed record RunLeaseTaking(RunLeaseHandle? Handle, RunLease? Holder, RunLease? Replaced);

/// <summary>
/// A held run lease: a timer from the context's <see cref="TimeProvider"/> renews its heartbeat; disposing
/// stops the heartbeat and gives the lease up. When a renewal finds the lease in another owner's hands
/// (this process stalled past the lease period), <see cref="Lost"/> says so and the run must stop.
/// </summary>
public sealed class RunLeaseHandle : IAsyncDisposable
{
    private readonly ICrawlStateStore _state;
    private readonly TimeProvider _time;
    private readonly ITimer _heartbeat;
    private readonly object _gate = new();
    private Action<string>? _onLost;
    private string? _lost;
    private bool _disposed;

    internal RunLeaseHandle(ICrawlStateStore state, PolicySet policy, TimeProvider time, RunLease lease)
    {
        _state = state;
        _time = time;
        Lease = lease;
        var every = policy.Runs.Heartbeat;
        _heartbeat = time.CreateTimer(_ => _ = BeatAsync(), null, every, every);
    }

    public RunLease Lease { get; }

    /// <summary>Why the lease was lost, once it was.</summary>
    public string? Lost => _lost;

    /// <summary>Calls <paramref name="stop"/> when the lease is lost (at once if it already was).</summary>
    public void OnLost(Action<string> stop)
    {
        string? lost;
        lock (_gate)
        {
            _onLost = stop;
            lost = _lost;
        }

        if (lost is not null)
        {
            stop(lost);
        }
    }

    private async Task BeatAsync()
    {
        bool mine;
        try
        {
            lock (_gate)
            {
                if (_disposed || _lost is not null)
                {
                    return;
                }
            }

            mine = await _state.RenewLeaseAsync(Lease.TargetId, Lease.OwnerId, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or LiteDB.LiteException)
        {
            // The database was out of reach this once; the next beat tries again, well within the lease period.
            return;
        }

        if (mine)
        {
            return;
        }

        Action<string>? stop;
        string reason;
        var holder = await _state.FindLeaseAsync(Lease.TargetId);
        lock (_gate)
        {
            reason = holder is null
                ? $"the run lease of target {Lease.TargetId} was given up by someone else"
                : $"the run lease of target {Lease.TargetId} was taken over at {holder.AcquiredAt:O} by process {holder.ProcessId} on {holder.HostName}";
            _lost = reason;
            stop = _onLost;
        }

        _heartbeat.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        stop?.Invoke(reason);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _heartbeat.DisposeAsync();
        await _state.ReleaseLeaseAsync(Lease.TargetId, Lease.OwnerId);
    }
}
