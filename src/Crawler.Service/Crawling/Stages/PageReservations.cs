using Crawler.Core.Storage;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// The run's page budget, reserved in the store ahead of the requests: a request goes out only within a number
/// already committed, so a process killed at any moment has sent no more pages than the store says it may have, and
/// the resumed run (and the mandate) are charged for all of them. Blocks are reserved half a block ahead, so the
/// commit is seldom waited on.
/// </summary>
internal sealed class PageReservations(ICrawlStateStore store, long runId, int reserved, int cap)
{
    /// <summary>
    /// Pages reserved at a time: a sixteenth of the cap, between 16 and 256. It is what a crash can charge to the run's
    /// budget without having been sent; and half of it must outlast a group commit (up to 100 ms under load), so that a
    /// fast crawl never waits for its reservation.
    /// </summary>
    private readonly int _block = Math.Clamp(cap / 16, 16, 256);

    private readonly object _lock = new();
    private int _durable = reserved;
    private int _asked = reserved;
    private Task _writing = Task.CompletedTask;

    /// <summary>What the store says the run may have sent.</summary>
    public int Reserved
    {
        get
        {
            lock (_lock)
            {
                return _durable;
            }
        }
    }

    /// <summary>Returns once the store allows <paramref name="pages"/> requests in all (pages before this one included).</summary>
    public async Task EnsureAsync(int pages, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (pages <= _durable && pages + _block / 2 <= _asked)
                {
                    return;
                }

                // Never more than the cap ahead (an image past it is refused by the gate anyway), never less than asked for.
                var limit = Math.Max(cap, pages);
                if (pages + _block / 2 > _asked && _asked < limit)
                {
                    // Ask for the next block behind the one being written, so writes stay in order.
                    var target = Math.Min(limit, Math.Max(pages, _asked) + _block);
                    _asked = target;
                    var previous = _writing;
                    _writing = WriteAsync(previous, target);
                }

                if (pages <= _durable)
                {
                    return;
                }

                wait = _writing;
            }

            await wait.WaitAsync(ct);
        }
    }

    /// <summary>At the run's end: what it has used, so that an unused part of a block is not charged to a later resume.</summary>
    public async Task TrimAsync(int used)
    {
        Task previous;
        lock (_lock)
        {
            previous = _writing;
        }

        await previous;
        lock (_lock)
        {
            _durable = _asked = used;
        }

        await store.ReservePagesAsync(runId, used, CancellationToken.None);
    }

    private async Task WriteAsync(Task previous, int target)
    {
        await previous;
        await store.ReservePagesAsync(runId, target, CancellationToken.None);
        lock (_lock)
        {
            _durable = Math.Max(_durable, target);
        }
    }
}
