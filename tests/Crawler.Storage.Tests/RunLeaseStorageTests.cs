using Crawler.Core.Hits;
using Crawler.Core.Storage;
using NUnit.Framework;

namespace Crawler.Storage.Tests;

/// <summary>Run leases, run outcomes and hits across mandate versions, on each kind of store (a real LiteDB file, a real PostgreSQL database).</summary>
[TestFixture(typeof(LiteStoreFactory))]
[TestFixture(typeof(PostgresStoreFactory))]
public sealed class RunLeaseStorageTests<TStore> : StoreTests<TStore>
    where TStore : StoreFactory, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static RunLease Lease(string owner, DateTimeOffset at) => new(3, owner, "host-" + owner, 100, at, at);

    [Test]
    public void Of_many_owners_taking_one_target_at_once_through_two_stores_exactly_one_gets_it()
    {
        // A second store on the same database stands for a second process: its own handle on the file and its lock, or its own connections.
        using var other = Factory.Open();
        var attempts = Enumerable.Range(0, 16)
            .AsParallel().WithDegreeOfParallelism(8)
            .Select(i => (i % 2 == 0 ? Store : other).TryTakeRunLease(Lease("o" + i, T0), _ => false))
            .ToList();

        var taken = attempts.Where(a => a.Taken is not null).ToList();
        Assert.That(taken, Has.Count.EqualTo(1));
        Assert.That(attempts.Where(a => a.Taken is null).Select(a => a.Holder!.OwnerId), Has.All.EqualTo(taken[0].Taken!.OwnerId));
        Assert.That(Store.FindRunLease(3)!.OwnerId, Is.EqualTo(taken[0].Taken!.OwnerId));
    }

    [Test]
    public void Only_the_owner_renews_or_releases_a_lease_and_a_dead_one_is_replaced()
    {
        Store.TryTakeRunLease(Lease("a", T0), _ => false);

        Assert.That(Store.RenewRunLease(3, "b", T0.AddSeconds(10)), Is.False);
        Assert.That(Store.RenewRunLease(3, "a", T0.AddSeconds(10)), Is.True);
        Assert.That(Store.FindRunLease(3)!.HeartbeatAt, Is.EqualTo(T0.AddSeconds(10)));
        Store.ReleaseRunLease(3, "b");
        Assert.That(Store.FindRunLease(3), Is.Not.Null);

        var takeover = Store.TryTakeRunLease(Lease("b", T0.AddMinutes(5)), held => held.HeartbeatAt < T0.AddMinutes(4));
        Assert.That(takeover.Taken!.OwnerId, Is.EqualTo("b"));
        Assert.That(takeover.Replaced!.OwnerId, Is.EqualTo("a"));
        Assert.That(Store.RenewRunLease(3, "a", T0.AddMinutes(5)), Is.False, "the old owner has lost it");

        Store.ReleaseRunLease(3, "b");
        Assert.That(Store.FindRunLease(3), Is.Null);
    }

    [Test]
    public void A_run_keeps_its_outcome_and_failures_and_a_partial_or_failed_run_is_over()
    {
        var run = Store.StartRun(1, 1, "sanne", T0);
        var failures = new Dictionary<string, int> { ["fetch.unreachable"] = 2, ["fetch.timeout"] = 1 };
        Store.SaveRun(run with { State = RunState.Partial, Failures = failures });
        Store.Enqueue(run.Id, "http://a.example/", 0);

        var read = Store.Runs(1).Single();

        Assert.That(read.State, Is.EqualTo(RunState.Partial));
        Assert.That(read.Failures, Is.EquivalentTo(failures));
        Assert.That(read.FailureCount, Is.EqualTo(3));
        Assert.That(read.IsOver, Is.True);
        Assert.That(Store.UnfinishedRun(1), Is.Null);
        Assert.That(Store.PurgeFinishedFrontiers(), Is.EqualTo(1), "the frontier of a run that is over is not needed");
    }

    [Test]
    public void A_hit_of_an_earlier_version_is_found_for_the_same_url_and_content()
    {
        var hash = new string('b', 64);
        var hit = new Hit(0, 6, 1, "C", 1, 1, "http://a.example/ad", T0, hash, null, null, [], [], [], 1, [], false, 0, "p", "unreviewed");
        var id = Store.TryAddHit(hit, maxHits: 10).Id;

        Assert.That(Store.FindSameHit([6, 7], "http://a.example/ad", hash), Is.EqualTo(id));
        Assert.That(Store.FindSameHit([7], "http://a.example/ad", hash), Is.Null);
        Assert.That(Store.FindSameHit([6, 7], "http://a.example/ad", new string('c', 64)), Is.Null, "changed content is a new page");
    }
}
