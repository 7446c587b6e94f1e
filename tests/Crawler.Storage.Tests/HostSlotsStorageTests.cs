using NUnit.Framework;

namespace Crawler.Storage.Tests;

/// <summary>Host slots, the politeness every run of a store shares, on each kind of store.</summary>
[TestFixture(typeof(LiteStoreFactory))]
[TestFixture(typeof(PostgresStoreFactory))]
public sealed class HostSlotsStorageTests<TStore> : StoreTests<TStore>
    where TStore : StoreFactory, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task A_host_not_asked_yet_is_asked_at_once_and_the_next_request_waits_its_delay()
    {
        var first = await Store.HostSlots.BookAsync("https://a.example", T0, Delay);
        var second = await Store.HostSlots.BookAsync("https://a.example", T0.AddMilliseconds(10), Delay);

        Assert.That(first, Is.EqualTo(T0));
        Assert.That(second, Is.EqualTo(T0 + Delay));
    }

    [Test]
    public async Task Many_bookings_at_once_get_slots_each_at_least_the_delay_apart()
    {
        var slots = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => Store.HostSlots.BookAsync("https://a.example", T0, Delay))));

        var ordered = slots.Order().ToList();
        Assert.That(ordered.Distinct().Count(), Is.EqualTo(24), "no slot given twice");
        Assert.That(ordered.Zip(ordered.Skip(1), (a, b) => b - a), Has.All.EqualTo(Delay));
        Assert.That(ordered[0], Is.EqualTo(T0));
    }

    [Test]
    public async Task A_host_left_alone_longer_than_its_delay_is_asked_at_once_and_hosts_do_not_wait_for_each_other()
    {
        await Store.HostSlots.BookAsync("https://a.example", T0, Delay);

        var later = await Store.HostSlots.BookAsync("https://a.example", T0.AddSeconds(5), Delay);
        var other = await Store.HostSlots.BookAsync("https://b.example", T0, Delay);

        Assert.That(later, Is.EqualTo(T0.AddSeconds(5)), "no debt is carried over a quiet spell");
        Assert.That(other, Is.EqualTo(T0));
    }
}
