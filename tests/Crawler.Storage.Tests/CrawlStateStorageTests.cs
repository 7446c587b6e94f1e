using NUnit.Framework;
using Crawler.Core.Hits;

namespace Crawler.Storage.Tests;

[TestFixture(typeof(LiteStoreFactory))]
[TestFixture(typeof(PostgresStoreFactory))]
public sealed class CrawlStateStorageTests<TStore> : StoreTests<TStore>
    where TStore : StoreFactory, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    [Test]
    public void The_frontier_never_holds_the_same_url_twice_in_a_run()
    {
        var run = Store.StartRun(1, 1, "sanne", T0);

        Assert.That(Store.Enqueue(run.Id, "http://a.example/x", 0), Is.True);
        Assert.That(Store.Enqueue(run.Id, "http://a.example/x", 1), Is.False);
        Assert.That(Store.Enqueue(run.Id, "http://a.example/y", 1), Is.True);
        var first = Store.PendingBatch(run.Id, 1)[0];
        Store.MarkDone(first.Id);
        Assert.That(first.Url, Is.EqualTo("http://a.example/x"));
        Assert.That(Store.PendingBatch(run.Id, 1)[0].Url, Is.EqualTo("http://a.example/y"));
    }

    [Test]
    public void Hits_beyond_the_mandate_cap_are_not_stored()
    {
        var hit = new Hit(0, 7, 1, "C", 1, 1, "http://a.example/", T0, new string('a', 64), null, null, [], [], [], 1, [], false, 0, "p", "unreviewed");

        var ids = Enumerable.Range(0, 4).Select(_ => Store.TryAddHit(hit, maxHits: 3)).ToList();

        Assert.That(ids.Take(3).Select(r => r.Id), Has.All.Not.Null);
        Assert.That(ids[3].Id, Is.Null);
        Assert.That(ids[3].RefusedRule, Is.EqualTo("mandate.hit-cap"));
        Assert.That(Store.ListHits(7), Has.Count.EqualTo(3));
        Assert.That(Store.Usage(7).HitsStored, Is.EqualTo(3));
    }

    [Test]
    public void An_interrupted_run_is_found_again_for_its_target()
    {
        var run = Store.StartRun(4, 2, "sanne", T0);
        Store.SaveRun(run with { State = Core.Storage.RunState.Interrupted, Fetched = 3 });

        var found = Store.UnfinishedRun(4);

        Assert.That(found!.Id, Is.EqualTo(run.Id));
        Assert.That(found.Fetched, Is.EqualTo(3));
        Assert.That(Store.UnfinishedRun(5), Is.Null);
    }

    [Test]
    public void Hits_that_would_exceed_the_distinct_contact_cap_are_not_stored()
    {
        Hit WithPhone(string phone) => new(0, 9, 1, "C", 1, 1, "http://a.example/" + phone, T0, new string('a', 64), null, null, [],
            [new ContactValue(phone, phone, null)], [], 1, [], false, 0, "p", "unreviewed");

        var first = Store.TryAddHit(WithPhone("+31611111111"), 100, maxContacts: 2);
        var same = Store.TryAddHit(WithPhone("+31611111111"), 100, maxContacts: 2);
        var second = Store.TryAddHit(WithPhone("+31622222222"), 100, maxContacts: 2);
        var third = Store.TryAddHit(WithPhone("+31633333333"), 100, maxContacts: 2);

        Assert.That(new[] { first.Id, same.Id, second.Id }, Has.All.Not.Null, "a contact already counted does not count again");
        Assert.That(third.Id, Is.Null);
        Assert.That(third.RefusedRule, Is.EqualTo("mandate.contact-cap"));
    }

    [Test]
    public async Task A_hosts_learned_template_is_kept_replaced_and_found_by_host_only()
    {
        var first = new Core.Storage.HostTemplate("ads.example", "AwABAgM=", 4, 2, 1, 6, 1, T0);
        var later = first with { State = "AwQFBgc=", PagesSeen = 9, BlocksLearned = 5, BlocksDropped = 30, ContactsDropped = 6, UpdatedAt = T0.AddMinutes(5) };

        await Store.State.SaveTemplateAsync(first);
        var kept = await Store.State.FindTemplateAsync("ads.example");
        await Store.State.SaveTemplateAsync(later);
        var replaced = await Store.State.FindTemplateAsync("ads.example");
        var other = await Store.State.FindTemplateAsync("other.example");

        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.EqualTo(first));
            Assert.That(replaced, Is.EqualTo(later));
            Assert.That(other, Is.Null);
        });
    }
}
