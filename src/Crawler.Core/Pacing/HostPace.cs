namespace Crawler.Core.Pacing;

/// <summary>
/// How fast one host may be asked, per host and not per URL: each request starts at least the
/// delay after the previous one started and after the last answer ended. The delay has a floor (the target's delay, the
/// public-host minimum, robots.txt Crawl-delay), doubled on every 429 or 503 and at least the
/// server's Retry-After, and eased back towards the floor by a tenth per good answer, so a
/// strained host recovers slowly. Pure: the caller supplies the times.
/// </summary>
public sealed class HostPace(TimeSpan floor)
{
    /// <summary>However hard a host pushes back, we come back within this long.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(10);

    public TimeSpan Floor { get; private set; } = floor;

    public TimeSpan Delay { get; private set; } = floor;

    public DateTimeOffset? LastRequest { get; private set; }

    /// <summary>When the last answer from this host was complete: the next request also waits the delay after it.</summary>
    public DateTimeOffset? LastFinished { get; private set; }

    /// <summary>An answer arrived in full; the host gets its delay counted from now, not only from when we asked.</summary>
    public void Finished(DateTimeOffset at)
    {
        if (LastFinished is null || at > LastFinished)
        {
            LastFinished = at;
        }
    }

    /// <summary>Not before this time, when the server asked us to wait (Retry-After).</summary>
    public DateTimeOffset? NotBefore { get; private set; }

    public void RaiseFloor(TimeSpan atLeast)
    {
        if (atLeast > Floor)
        {
            Floor = atLeast;
            Delay = Max(Delay, atLeast);
        }
    }

    /// <summary>
    /// Books a future request slot and says how long to wait for it, so that workers waiting for
    /// one host spread out instead of all waking at once. The booking does not start a request:
    /// <see cref="TryStart"/> does, just before sending.
    /// </summary>
    public TimeSpan Reserve(DateTimeOffset now)
    {
        var earliest = now + WaitAt(now);
        var slot = NextSlot is { } booked && booked > earliest ? booked : earliest;
        NextSlot = slot + Delay;
        return slot - now;
    }

    /// <summary>The next slot not yet booked.</summary>
    public DateTimeOffset? NextSlot { get; private set; }

    /// <summary>
    /// Starts a request now if the host's delay since the last actual start has passed; otherwise
    /// says how long to wait. Checking and marking in one step keeps requests that run at once apart.
    /// </summary>
    public bool TryStart(DateTimeOffset now, out TimeSpan wait)
    {
        wait = WaitAt(now);
        if (wait > TimeSpan.Zero)
        {
            return false;
        }

        LastRequest = now;
        return true;
    }

    /// <summary>A 429 or 503: the whole host slows down.</summary>
    public void PushedBack(DateTimeOffset at, TimeSpan? retryAfter)
    {
        var doubled = Delay <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : Delay * 2;
        Delay = Min(Ceiling, Max(doubled, retryAfter ?? TimeSpan.Zero));
        if (retryAfter is { } wait)
        {
            NotBefore = at + Min(Ceiling, wait);
        }
    }

    public void Answered()
    {
        if (Delay > Floor)
        {
            Delay = Max(Floor, Delay - ((Delay - Floor) / 10));
        }
    }

    /// <summary>How long to wait at <paramref name="now"/> before the next request to this host.</summary>
    public TimeSpan WaitAt(DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        if (LastRequest is { } last)
        {
            wait = last + Delay - now;
        }

        if (LastFinished is { } finished && finished + Delay - now > wait)
        {
            wait = finished + Delay - now;
        }

        if (NotBefore is { } notBefore)
        {
            wait = Max(wait, notBefore - now);
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
