using Crawler.Core.Storage;

namespace Crawler.Storage.Postgres;

/// <summary>
/// The host slots in the database, one row per host: one upsert takes the row's lock, moves its next free moment and
/// returns the slot, so bookings from any number of instances line up one after the other. Times are the callers'
/// clocks: the instances' clocks must agree (NTP), or a skew shortens the gap between their requests.
/// </summary>
public sealed class PostgresHostSlots(PostgresDatabase db) : IHostSlots
{
    // A booking lost to a crash of the database costs one request sent early after it, not a page: it is applied, not flushed.
    public Task<DateTimeOffset> BookAsync(string host, DateTimeOffset earliest, TimeSpan delay, CancellationToken ct = default) =>
        db.WriteAsync(async c =>
        {
            var start = await c.QueryAsync(
                """
                INSERT INTO host_slots AS s (host, next_at) VALUES ($1, $2 + $3)
                ON CONFLICT (host) DO UPDATE SET next_at = greatest(s.next_at, $2) + $3
                RETURNING s.next_at - $3
                """, r => r.GetFieldValue<DateTimeOffset>(0), host, earliest.ToUniversalTime(), delay);
            return (start[0], true);
        }, Durability.Applied, ct);
}
