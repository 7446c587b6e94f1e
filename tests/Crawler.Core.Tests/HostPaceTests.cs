using Crawler.Core.Pacing;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class HostPaceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_first_request_to_a_host_does_not_wait()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));

        Assert.That(pace.WaitAt(T0), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void The_next_request_waits_for_the_floor()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));
        pace.TryStart(T0, out _);

        Assert.That(pace.WaitAt(T0.AddMilliseconds(300)), Is.EqualTo(TimeSpan.FromMilliseconds(700)));
        Assert.That(pace.WaitAt(T0.AddSeconds(2)), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void A_push_back_doubles_the_delay_and_honours_Retry_After()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));
        pace.TryStart(T0, out _);

        pace.PushedBack(T0, TimeSpan.FromSeconds(30));

        Assert.That(pace.Delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(pace.WaitAt(T0.AddSeconds(1)), Is.EqualTo(TimeSpan.FromSeconds(29)));
    }

    [Test]
    public void Without_Retry_After_a_push_back_doubles_and_is_capped()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++)
        {
            pace.PushedBack(T0, null);
        }

        Assert.That(pace.Delay, Is.EqualTo(HostPace.Ceiling));
    }

    [Test]
    public void Recovery_is_slow_a_tenth_of_the_excess_per_good_answer()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));
        pace.PushedBack(T0, TimeSpan.FromSeconds(11));

        pace.Answered();

        Assert.That(pace.Delay, Is.EqualTo(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 200; i++)
        {
            pace.Answered();
        }

        Assert.That(pace.Delay, Is.EqualTo(TimeSpan.FromSeconds(1)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void A_larger_crawl_delay_raises_the_floor_but_a_smaller_one_does_not_lower_it()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(2));

        pace.RaiseFloor(TimeSpan.FromSeconds(1));
        Assert.That(pace.Floor, Is.EqualTo(TimeSpan.FromSeconds(2)));
        pace.RaiseFloor(TimeSpan.FromSeconds(5));
        Assert.That(pace.Floor, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(pace.Delay, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Reserved_slots_spread_waiting_requests_a_delay_apart()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));

        var waits = Enumerable.Range(0, 3).Select(_ => pace.Reserve(T0)).ToList();

        Assert.That(waits, Is.EqualTo(TestData.Seq(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))));
    }

    [Test]
    public void Only_one_of_two_simultaneous_requests_may_start()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));

        Assert.That(pace.TryStart(T0, out _), Is.True);
        Assert.That(pace.TryStart(T0, out var wait), Is.False);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void The_delay_also_counts_from_the_end_of_the_last_answer()
    {
        var pace = new HostPace(TimeSpan.FromSeconds(1));
        Assert.That(pace.TryStart(T0, out _), Is.True);

        pace.Finished(T0.AddSeconds(3));

        Assert.That(pace.WaitAt(T0.AddSeconds(3)), Is.EqualTo(TimeSpan.FromSeconds(1)));
    }
}
