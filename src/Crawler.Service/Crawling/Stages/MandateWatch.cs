using Crawler.Core.Mandates;
using Crawler.Core.Storage;

namespace Crawler.Service.Crawling.Stages;

/// <summary>
/// The run's mandate held in memory and read again only when the store's change stamp moves (a mandate written, or
/// the store reopened after another process had it), so that every decision sees a revocation made before it without
/// reading and decoding the mandate for every request.
/// </summary>
internal sealed class MandateWatch(IMandateStore mandates, long mandateId)
{
    private Held? _held;

    public long MandateId => mandateId;

    /// <summary>
    /// The mandate as the store has it now. Callers ask the store something first (its usage, say): that is what
    /// reopens a store another process had, and so what moves the stamp.
    /// </summary>
    public async ValueTask<Mandate?> CurrentAsync(CancellationToken ct)
    {
        // The stamp is read before the mandate: a change made while it is read moves the stamp again, and is read next time.
        var stamp = mandates.ChangeStamp;
        if (Volatile.Read(ref _held) is { } held && held.Stamp == stamp)
        {
            return held.Mandate;
        }

        var mandate = await mandates.FindAsync(mandateId, ct);
        Volatile.Write(ref _held, new Held(stamp, mandate));
        return mandate;
    }

    private sealed record Held(long Stamp, Mandate? Mandate);
}
