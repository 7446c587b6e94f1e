using Crawler.Core.Pacing;
using Crawler.Core.Robots;
using Crawler.Core.Storage;
using Crawler.Core.Targets;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// Stage 3, politeness: one pace per host. A request to a host waits for its booked slot and then for its turn, so
/// requests to a host start at least its delay apart, counted from the last start and from the last answer; the
/// delay is the largest of the target's, the policy's floor for public hosts, and robots.txt's Crawl-delay. A host
/// that pushes back (429/503) is slowed as a whole. No more requests are in flight to a host than the target allows,
/// whoever sends them (pages, images, robots.txt). Every start is also booked in the store's host slots
/// (<see cref="IHostSlots"/>), so that other runs, in this process or in another instance on the same database, and
/// this one keep the host's delay together.
/// </summary>
internal sealed class HostPacing(CrawlTarget target, int publicFloorMs, bool lab, string productToken, IHostSlots slots, TimeProvider time)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, HostPace> _paces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _inFlight = new(StringComparer.Ordinal);

    public static string HostKey(Uri url) => url.Scheme + "://" + url.Authority;

    /// <summary>How long until the host of <paramref name="url"/> may next be asked (zero for a host not seen yet).</summary>
    public TimeSpan WaitFor(Uri url)
    {
        lock (_lock)
        {
            return _paces.TryGetValue(HostKey(url), out var pace) ? pace.WaitAt(time.GetUtcNow()) : TimeSpan.Zero;
        }
    }

    /// <summary>Books the host's next request slot and waits for it; cancellation ends the wait quietly.</summary>
    public async Task WaitForSlotAsync(Uri url, RobotsTxt? robots, CancellationToken ct)
    {
        var pace = PaceFor(url, robots);
        TimeSpan wait;
        lock (_lock)
        {
            wait = pace.Reserve(time.GetUtcNow());
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, time, ct);
            }
            catch (OperationCanceledException)
            {
                // Cancellation is handled by the caller, which saves the frontier.
            }
        }
    }

    /// <summary>
    /// Waits for room among the host's requests in flight, then until the host's delay since its last actual request
    /// has passed, and marks this one as started. Disposing the turn ends the request (answered, failed or cancelled).
    /// </summary>
    public async Task<IDisposable> StartTurnAsync(Uri url, RobotsTxt? robots, CancellationToken ct)
    {
        var pace = PaceFor(url, robots);
        var room = RoomFor(url);
        await room.WaitAsync(ct);
        try
        {
            while (true)
            {
                TimeSpan wait;
                TimeSpan delay;
                lock (_lock)
                {
                    var started = pace.TryStart(time.GetUtcNow(), out wait);
                    delay = pace.Delay;
                    if (started && delay <= TimeSpan.Zero)
                    {
                        return new Turn(this, url, room);
                    }
                }

                if (wait <= TimeSpan.Zero)
                {
                    // Our own pace allows it; the host's slot in the store says when, given everyone else's requests.
                    var now = time.GetUtcNow();
                    var slot = await slots.BookAsync(HostKey(url), now, delay, ct);
                    if (slot > now)
                    {
                        await Task.Delay(slot - now, time, ct);
                    }

                    return new Turn(this, url, room);
                }

                await Task.Delay(wait, time, ct);
            }
        }
        catch
        {
            room.Release();
            throw;
        }
    }

    /// <summary>The host answered normally: it may be eased back towards its floor.</summary>
    public void Answered(Uri url) => With(url, p => p.Answered());

    /// <summary>The host asked for less (429/503): slowed as a whole, at least for its Retry-After; returns the delay now in force.</summary>
    public TimeSpan PushedBack(Uri url, TimeSpan? retryAfter)
    {
        var pace = PaceFor(url, null);
        lock (_lock)
        {
            pace.PushedBack(time.GetUtcNow(), retryAfter);
            return pace.Delay;
        }
    }

    private void Ended(Uri url) => With(url, p => p.Finished(time.GetUtcNow()));

    private SemaphoreSlim RoomFor(Uri url)
    {
        var key = HostKey(url);
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(key, out var room))
            {
                var allowed = Math.Max(1, target.Spec.Politeness.MaxConcurrencyPerHost);
                room = new SemaphoreSlim(allowed, allowed);
                _inFlight[key] = room;
            }

            return room;
        }
    }

    /// <summary>One request to a host in flight.</summary>
    private sealed class Turn(HostPacing pacing, Uri url, SemaphoreSlim room) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                pacing.Ended(url);
                room.Release();
            }
        }
    }

    private void With(Uri url, Action<HostPace> change)
    {
        var pace = PaceFor(url, null);
        lock (_lock)
        {
            change(pace);
        }
    }

    private HostPace PaceFor(Uri url, RobotsTxt? robots)
    {
        var key = HostKey(url);
        lock (_lock)
        {
            if (!_paces.TryGetValue(key, out var pace))
            {
                var floor = TimeSpan.FromMilliseconds(target.Spec.Politeness.MinDelayMs);
                if (!lab)
                {
                    floor = TimeSpan.FromMilliseconds(Math.Max(floor.TotalMilliseconds, publicFloorMs));
                }

                pace = new HostPace(floor);
                _paces[key] = pace;
            }

            if (robots?.CrawlDelay(productToken) is { } crawlDelay)
            {
                pace.RaiseFloor(crawlDelay);
            }

            return pace;
        }
    }
}
