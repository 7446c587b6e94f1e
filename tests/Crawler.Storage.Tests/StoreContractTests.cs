using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Linking;
using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using NUnit.Framework;

namespace Crawler.Storage.Tests;

/// <summary>
/// What every store promises, whatever the database behind it: the same assertions on a LiteDB file and on a
/// PostgreSQL database, each test on a fresh one.
/// </summary>
[TestFixture(typeof(LiteStoreFactory))]
[TestFixture(typeof(PostgresStoreFactory))]
public sealed class StoreContractTests<TStore> : StoreTests<TStore>
    where TStore : StoreFactory, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static Mandate NewMandate(string caseNumber = "C-1", MandateStatus status = MandateStatus.Requested) => new(0, 1,
        new MandateSpec(caseNumber, "Test", "art126g-sv", WpgPurpose.Art9, "p", "o", "s", "f", ["t"], T0, T0.AddDays(10), new MandateLimits(100, 10),
            new Dictionary<DataCategory, Treatment> { [DataCategory.Phone] = Treatment.Pseudonymise }, false),
        status, "sanne", T0, null, []);

    private static Hit NewHit(long mandateId, string url, string phone = "+31611111111") => new(0, mandateId, 1, "C-1", 1, 1, url, T0, new string('a', 64),
        "title", null, [], [new ContactValue(phone, phone, null)], [], 1, [], false, 0, "p", "unreviewed");

    private static Snapshot NewSnapshot(long mandateId, string url) =>
        new(0, mandateId, url, T0, "127.0.0.1", 200, "OK", [new("Accept", "text/html")], [new("Content-Type", "text/html")], [1, 2, 3, 4], new string('a', 64));

    private static AuditRecord Record(int i) =>
        new("sanne", AuditOperation.Collect, $"url:{i:D20}", "fetched", "every rule passed", "allow.all-rules-passed", 1, 1, "C-1", "abc", null, 200, false);

    private static HitAdmission Admit => (_, _, _, _) => null;

    [Test]
    public async Task The_installation_kind_is_fixed_by_the_first_call()
    {
        Assert.That(await Store.Installation.IsLabAsync(), Is.False);
        Assert.That(await Store.Installation.EnsureAsync(lab: true, T0), Is.True);
        Assert.That(await Store.Installation.EnsureAsync(lab: false, T0), Is.True, "a later call cannot change it");
        Assert.That(await Store.Installation.IsLabAsync(), Is.True);
    }

    [Test]
    public async Task Users_their_credentials_and_tokens_round_trip()
    {
        var users = Store.Users;
        var sanne = new User("sanne", Role.Specialist, T0, "admin");
        var first = new Credential(PasswordHash: "h1");
        Assert.That(await users.TryAddAsync(sanne, first), Is.True);
        Assert.That(await users.TryAddAsync(sanne with { Role = Role.Officer }, first), Is.False, "the name is taken");
        Assert.That(await users.TryAddAsync(new User("anna", Role.Officer, T0, "admin"), Credential.None), Is.True);

        Assert.That(await users.FindAsync("sanne"), Is.EqualTo(sanne));
        Assert.That(await users.FindAsync("nobody"), Is.Null);
        Assert.That((await users.ListAsync()).Select(u => u.Name), Is.EqualTo(new[] { "anna", "sanne" }));
        Assert.That(await users.FindCredentialAsync("sanne"), Is.EqualTo(first));
        Assert.That(await users.FindCredentialAsync("nobody"), Is.Null);

        var second = first with { PasswordHash = "h2" };
        Assert.That(await users.TryUpdateCredentialAsync("sanne", first, second), Is.True);
        Assert.That(await users.TryUpdateCredentialAsync("sanne", first, first with { PasswordHash = "h3" }), Is.False, "no longer as the caller read it");
        Assert.That(await users.FindCredentialAsync("sanne"), Is.EqualTo(second));

        await users.AddTokenAsync(new AccessToken("t1", "sanne", T0, T0.AddHours(8)));
        await users.AddTokenAsync(new AccessToken("t2", "sanne", T0, T0.AddHours(8)));
        await users.AddTokenAsync(new AccessToken("t3", "anna", T0, T0.AddHours(8)));
        Assert.That(await users.RevokeTokensAsync("sanne", T0.AddHours(1), onlySha256: "t1"), Is.EqualTo(1));
        Assert.That(await users.RevokeTokensAsync("sanne", T0.AddHours(2), onlySha256: "t3"), Is.Zero, "another user's token");
        Assert.That(await users.RevokeTokensAsync("sanne", T0.AddHours(2)), Is.EqualTo(1), "only the one still in force");
        Assert.That((await users.FindTokenAsync("t1"))!.RevokedAt, Is.EqualTo(T0.AddHours(1)));
        Assert.That((await users.FindTokenAsync("t3"))!.RevokedAt, Is.Null);
        Assert.That(await users.FindTokenAsync("t9"), Is.Null);
    }

    [Test]
    public async Task Targets_are_found_by_id_and_name_in_order()
    {
        var spec = new TargetSpec("ads", ["http://a.example/"], new CrawlScope(["a.example"], [], [], 2, 50), new Politeness(1000, 1), null, "generic");
        var first = await Store.Targets.AddAsync(spec, "sanne", T0);
        var second = await Store.Targets.AddAsync(spec with { Name = "more" }, "sanne", T0);

        Assert.That((await Store.Targets.FindAsync(first))!.Spec.Seeds, Is.EqualTo(spec.Seeds));
        Assert.That((await Store.Targets.FindByNameAsync("more"))!.Id, Is.EqualTo(second));
        Assert.That(await Store.Targets.FindByNameAsync("none"), Is.Null);
        Assert.That((await Store.Targets.ListAsync()).Select(t => t.Name), Is.EqualTo(new[] { "ads", "more" }));
    }

    [Test]
    public async Task A_target_is_updated_in_place_and_an_unknown_one_is_not()
    {
        var spec = new TargetSpec("edited", ["http://a.example/"], new CrawlScope(["a.example"], [], [], 2, 50), new Politeness(1000, 1), null, "generic");
        var id = await Store.Targets.AddAsync(spec, "sanne", T0);
        var stored = (await Store.Targets.FindAsync(id))!;

        var changed = stored with { Spec = spec with { Schedule = "0 0 * * * ?" }, Disabled = new TargetDisabled("sanne", T0.AddHours(1), "offline") };
        Assert.That(await Store.Targets.UpdateAsync(changed), Is.True);
        Assert.That(await Store.Targets.FindAsync(id), Is.EqualTo(changed).Using<CrawlTarget>((a, b) =>
            a.Spec.Schedule == b.Spec.Schedule && a.Disabled == b.Disabled && a.Name == b.Name && a.CreatedAt == b.CreatedAt));
        Assert.That((await Store.Targets.FindByNameAsync("edited"))!.IsDisabled, Is.True, "found by its name still");
        Assert.That(await Store.Targets.UpdateAsync(changed with { Id = id + 100 }), Is.False, "no target with that id");
        Assert.That(await Store.Targets.FindAsync(id + 100), Is.Null, "nothing added");
    }

    [Test]
    public async Task A_mandate_is_added_only_when_admissible_and_updated_only_from_the_revision_read()
    {
        var mandates = Store.Mandates;
        var stamp = mandates.ChangeStamp;
        var id = (await mandates.TryAddAsync(NewMandate(), all => all.Count == 0))!.Value;
        Assert.That(await mandates.TryAddAsync(NewMandate("C-2"), all => all.Count == 0), Is.Null, "not admissible over the stored mandates");
        Assert.That(mandates.ChangeStamp, Is.Not.EqualTo(stamp));

        var read = (await mandates.FindAsync(id))!;
        Assert.That(read.Revision, Is.EqualTo(1));
        Assert.That(read.Id, Is.EqualTo(id));

        var approved = read with { Status = MandateStatus.Approved };
        Assert.That(await mandates.TryUpdateAsync([(read, approved)]), Is.True);
        Assert.That(await mandates.TryUpdateAsync([(read, read with { Status = MandateStatus.Rejected })]), Is.False, "a concurrent change was made since");

        var now = (await mandates.FindAsync(id))!;
        Assert.That(now.Status, Is.EqualTo(MandateStatus.Approved));
        Assert.That(now.Revision, Is.EqualTo(2));
        Assert.That((await mandates.ListAsync()).Select(m => m.Id), Is.EqualTo(new[] { id }));
    }

    [Test]
    public async Task Of_several_mandates_updated_together_none_changes_when_one_is_stale()
    {
        var mandates = Store.Mandates;
        var a = (await mandates.FindAsync((await mandates.TryAddAsync(NewMandate("C-1"), _ => true))!.Value))!;
        var b = (await mandates.FindAsync((await mandates.TryAddAsync(NewMandate("C-2"), _ => true))!.Value))!;
        Assert.That(await mandates.TryUpdateAsync([(b, b with { Status = MandateStatus.Approved })]), Is.True);

        var both = await mandates.TryUpdateAsync([(a, a with { Status = MandateStatus.Revoked }), (b, b with { Status = MandateStatus.Revoked })]);

        Assert.That(both, Is.False);
        Assert.That((await mandates.FindAsync(a.Id))!.Status, Is.EqualTo(MandateStatus.Requested));
        Assert.That((await mandates.FindAsync(b.Id))!.Status, Is.EqualTo(MandateStatus.Approved));
    }

    [Test]
    public async Task Two_processes_updating_one_mandate_at_once_one_wins()
    {
        using var other = Factory.Open();
        var id = (await Store.Mandates.TryAddAsync(NewMandate(), _ => true))!.Value;
        var read = (await Store.Mandates.FindAsync(id))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).Mandates.TryUpdateAsync([(read, read with { Status = i % 4 == 0 ? MandateStatus.Approved : MandateStatus.Rejected })]))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
        Assert.That((await other.Mandates.FindAsync(id))!.Revision, Is.EqualTo(2));
    }

    [Test]
    public async Task Pages_and_hits_are_counted_in_the_mandates_usage()
    {
        await Store.Mandates.CountPageAsync(4);
        await Store.Mandates.CountPageAsync(4, Durability.Applied);
        Store.TryAddHit(NewHit(4, "http://a.example/1"), maxHits: 10);

        var usage = await Store.Mandates.UsageAsync(4);

        Assert.That(usage.PagesFetched, Is.EqualTo(2));
        Assert.That(usage.HitsStored, Is.EqualTo(1));
        Assert.That((await Store.Mandates.UsageAsync(5)).PagesFetched, Is.Zero);
    }

    [Test]
    public async Task A_hits_stored_entry_is_appended_in_the_hits_own_write_naming_its_id_and_a_refused_hit_appends_none()
    {
        var entry = new HitStoredEntry(new AuditRecord("sanne", AuditOperation.Store, "hit:(new)", "stored", "ad from url:1", "hit.store", MandateId: 3),
            T0, [new UrlMention("url:1", "http://a.example/1", 3)], Store.Signer);

        var refused = await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/2"), [], (_, _, _, _) => HitStoreResult.Refused("mandate.revoked", "revoked"),
            stored: entry);
        Assert.That(await Store.Audit.CountAsync(), Is.Zero, "a refused hit leaves no entry");

        var stored = await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/1"), [], Admit, stored: entry);

        var trail = new List<AuditEntry>();
        await foreach (var e in Store.Audit.EntriesAsync())
        {
            trail.Add(e);
        }

        Assert.That(trail.Select(e => e.Record.Subject), Is.EqualTo(new[] { $"hit:{stored.Id}" }), "one entry, naming the stored hit");
        Assert.That(trail[0].Time, Is.EqualTo(T0));
        Assert.That(await Store.Audit.FindUrlAsync("url:1"), Is.EqualTo("http://a.example/1"), "with the URL its reference stands for");
        Assert.That(Store.Signer.Verify(trail, null, null).Ok, Is.True, "linked into the chain");
    }

    [Test]
    public async Task A_stored_hit_marks_its_page_done_in_the_same_write_and_a_refused_one_changes_nothing()
    {
        var run = Store.StartRun(1, 3, "sanne", T0);
        var items = await Store.State.AddNewAsync(run.Id, [("http://a.example/1", 0), ("http://a.example/2", 0)]);

        var stored = await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/1"), ["3:p1"], Admit, NewSnapshot(3, "http://a.example/1"), pageItem: items[0].Id);
        var refused = await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/2"), ["3:p2"], (_, _, _, _) => HitStoreResult.Refused("mandate.revoked", "revoked"),
            pageItem: items[1].Id);

        Assert.That(stored.Id, Is.Not.Null);
        Assert.That(refused.RefusedRule, Is.EqualTo("mandate.revoked"));
        var frontier = await Store.State.FrontierAsync(run.Id);
        Assert.That(frontier.Select(f => f.Done), Is.EqualTo(new[] { true, false }));
        Assert.That((await Store.Mandates.UsageAsync(3)).HitsStored, Is.EqualTo(1));
        Assert.That(await Store.Hits.ListAsync(3), Has.Count.EqualTo(1));

        // The refused hit's contact was not counted: the next hit with it is a new contact.
        int? newContacts = null;
        await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/3"), ["3:p2"], (_, _, _, fresh) =>
        {
            newContacts = fresh;
            return null;
        });
        Assert.That(newContacts, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_processes_storing_hits_at_once_never_pass_the_cap_together()
    {
        using var other = Factory.Open();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).TryAddHit(NewHit(6, $"http://a.example/{i}", phone: $"+316{i:D8}"), maxHits: 7))));

        Assert.That(results.Count(r => r.Id is not null), Is.EqualTo(7));
        Assert.That((await other.Mandates.UsageAsync(6)).HitsStored, Is.EqualTo(7));
        Assert.That(await Store.Hits.ListAsync(6), Has.Count.EqualTo(7));
    }

    [Test]
    public async Task The_admission_sees_the_mandate_its_usage_and_its_contacts()
    {
        var id = (await Store.Mandates.TryAddAsync(NewMandate(), _ => true))!.Value;
        await Store.Hits.TryAddAsync(NewHit(id, "http://a.example/1"), [$"{id}:a", $"{id}:b"], Admit);
        (Mandate? Mandate, long Hits, int Known, int Fresh) seen = default;

        await Store.Hits.TryAddAsync(NewHit(id, "http://a.example/2"), [$"{id}:b", $"{id}:c"], (m, usage, known, fresh) =>
        {
            seen = (m, usage.HitsStored, known, fresh);
            return null;
        });

        Assert.That(seen.Mandate!.Id, Is.EqualTo(id));
        Assert.That(seen.Hits, Is.EqualTo(1));
        Assert.That(seen.Known, Is.EqualTo(2));
        Assert.That(seen.Fresh, Is.EqualTo(1));
    }

    [Test]
    public async Task Hits_their_snapshots_and_links_round_trip()
    {
        var id = (await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/1"), [], Admit, NewSnapshot(3, "http://a.example/1"))).Id!.Value;
        var hit = (await Store.Hits.FindAsync(id))!;
        Assert.That(hit.Id, Is.EqualTo(id));
        Assert.That(hit.Phones[0].Value, Is.EqualTo("+31611111111"));

        await Store.Hits.UpdateAsync(hit with { ReviewStatus = "relevant" });
        Assert.That((await Store.Hits.FindAsync(id))!.ReviewStatus, Is.EqualTo("relevant"));
        Assert.That(await Store.Hits.FindAsync(id + 100), Is.Null);

        var snapshot = (await Store.Hits.FindSnapshotAsync(id))!;
        Assert.That(snapshot.HitId, Is.EqualTo(id));
        Assert.That(snapshot.Body, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(snapshot.ResponseHeaders[0].Value, Is.EqualTo("text/html"));

        var links = new LinkResult([], [], new Dictionary<long, LinkSignals>());
        Assert.That(await Store.Hits.FindLinksAsync(3), Is.Null);
        await Store.Hits.SaveLinksAsync(3, links);
        await Store.Hits.SaveLinksAsync(3, links);
        Assert.That(await Store.Hits.FindLinksAsync(3), Is.Not.Null);

        Assert.That(await Store.Hits.FindSameAsync([2, 3], "http://a.example/1", new string('a', 64)), Is.EqualTo(id));
        Assert.That(await Store.Hits.FindSameAsync([2], "http://a.example/1", new string('a', 64)), Is.Null);
        Assert.That(await Store.Hits.FindSameAsync([3], "http://a.example/1", new string('b', 64)), Is.Null);
        Assert.That(await Store.Hits.ListAsync(null), Has.Count.EqualTo(1));
        Assert.That(await Store.Hits.ListAsync(4), Is.Empty);
    }

    [Test]
    public async Task Appended_entries_chain_and_verify_with_their_urls_beside_the_trail()
    {
        var first = await Store.Audit.AppendAsync([Record(1), Record(2)], T0, [new UrlMention("url:1", "http://a.example/1", 1)], Store.Signer);
        await Store.Audit.AppendAsync([Record(3)], T0.AddSeconds(1), [], Store.Signer, Durability.Applied);

        var entries = await Store.Audit.EntriesAsync().ToListAsync();
        Assert.That(entries.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(entries[0], Is.EqualTo(first[0]));
        Assert.That(AuditChain.Verify(Factory.AuditKey, entries).Ok, Is.True);
        Assert.That(await Store.Audit.EntriesAsync(after: 2).Select(e => e.Sequence).ToListAsync(), Is.EqualTo(new long[] { 3 }));
        Assert.That(await Store.Audit.CountAsync(), Is.EqualTo(3));
        Assert.That(await Store.Audit.FindUrlAsync("url:1"), Is.EqualTo("http://a.example/1"));
        Assert.That(await Store.Audit.FindUrlAsync("url:2"), Is.Null);
        Assert.That(await Store.Audit.AnchorAsync(), Is.Null);
    }

    [Test]
    public async Task Appends_from_two_processes_at_once_make_one_chain_without_a_repeated_sequence()
    {
        using var other = Factory.Open();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).Audit.AppendAsync([Record(i), Record(i + 100)], T0.AddSeconds(i), [], Store.Signer))));

        var entries = await other.Audit.EntriesAsync().ToListAsync();

        Assert.That(entries.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 80).Select(i => (long)i)));
        Assert.That(AuditChain.Verify(Factory.AuditKey, entries).Ok, Is.True);
    }

    [Test]
    public async Task The_trail_is_read_in_pages_in_order()
    {
        // More than one page of 10,000, appended in a few large transactions.
        for (var batch = 0; batch < 3; batch++)
        {
            await Store.Audit.AppendAsync(Enumerable.Range(0, 4_000).Select(i => Record(batch * 4_000 + i)).ToList(), T0, [], Store.Signer);
        }

        var sequences = new List<long>();
        await foreach (var e in Store.Audit.EntriesAsync())
        {
            sequences.Add(e.Sequence);
        }

        Assert.That(sequences, Is.EqualTo(Enumerable.Range(1, 12_000).Select(i => (long)i)));
        Assert.That(AuditChain.Verify(Factory.AuditKey, await Store.Audit.EntriesAsync().ToListAsync()).Ok, Is.True);
    }

    [Test]
    public async Task The_frontier_adds_deepens_completes_and_requeues()
    {
        var run = Store.StartRun(1, 1, "sanne", T0);
        var added = await Store.State.AddNewAsync(run.Id, [("http://a.example/a", 2), ("http://a.example/b", 2), ("http://a.example/c", 2)]);
        Assert.That(added.Select(i => i.Url), Is.EqualTo(new[] { "http://a.example/a", "http://a.example/b", "http://a.example/c" }));
        Assert.That(added.Select(i => i.Id), Is.Ordered);

        var again = await Store.State.EnqueueAsync(run.Id, [("http://a.example/a", 1), ("http://a.example/d", 3)]);
        Assert.That(again.Select(i => i.Url), Is.EqualTo(new[] { "http://a.example/d" }));
        await Store.State.DeepenAsync([(added[1].Id, 0), (added[2].Id, 5)]);

        await Store.State.MarkStartedAsync(added[0].Id);
        await Store.State.MarkStartedAsync(added[1].Id);
        await Store.State.MarkStartedAsync(added[2].Id);
        Assert.That((await Store.State.FrontierAsync(run.Id)).Select(f => f.Item.Starts), Is.EqualTo(new[] { 1, 1, 1, 0 }));

        await Store.State.CompleteAsync(new FrontierCompletion(added[0].Id, Requeue: false, run with { Fetched = 1 }));
        await Store.State.CompleteAsync(new FrontierCompletion(added[1].Id, Requeue: true, null));
        await Store.State.CompleteAsync(new FrontierCompletion(added[2].Id, Requeue: false, null, Abandon: true));

        var frontier = await Store.State.FrontierAsync(run.Id);
        Assert.That(frontier.Select(f => (f.Item.Depth, f.Done, f.Item.Attempts, f.Item.Starts)), Is.EqualTo(new[]
        {
            (1, true, 0, 0), (0, false, 1, 0), (2, false, 0, 0), (3, false, 0, 0),
        }));
        Assert.That((await Store.State.PendingAsync(run.Id, 2)).Select(i => i.Url), Is.EqualTo(new[] { "http://a.example/b", "http://a.example/c" }));
        Assert.That((await Store.State.RunsAsync(1))[0].Fetched, Is.EqualTo(1));
        Assert.That(await Store.State.RunsAsync(null), Has.Count.EqualTo(1));
        Assert.That((await Store.State.FindRunAsync(run.Id))?.Fetched, Is.EqualTo(1), "one run found by its id");
        Assert.That(await Store.State.FindRunAsync(run.Id + 1000), Is.Null);
    }

    [Test]
    public async Task Reserved_pages_are_kept_per_run()
    {
        var run = Store.StartRun(1, 1, "sanne", T0);
        Assert.That(await Store.State.ReservedPagesAsync(run.Id), Is.Zero);

        await Store.State.ReservePagesAsync(run.Id, 10);
        await Store.State.ReservePagesAsync(run.Id, 20);

        Assert.That(await Store.State.ReservedPagesAsync(run.Id), Is.EqualTo(20));
        Assert.That(await Store.State.ReservedPagesAsync(run.Id + 1), Is.Zero);
    }

    [Test]
    public async Task Robots_files_are_cached_per_host()
    {
        var robots = new CachedRobots("a.example", "User-agent: *\nDisallow: /x", "http://a.example/robots.txt", false, T0);
        Assert.That(await Store.Robots.FindAsync("a.example"), Is.Null);

        await Store.Robots.SaveAsync(robots);
        await Store.Robots.SaveAsync(robots with { DisallowAll = true });

        Assert.That(await Store.Robots.FindAsync("a.example"), Is.EqualTo(robots with { DisallowAll = true }));
    }

    [Test]
    public async Task Retention_erases_snapshots_restricts_and_erases_hits()
    {
        var a = (await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/1") with { HasSnapshot = true }, [], Admit, NewSnapshot(3, "http://a.example/1"))).Id!.Value;
        var b = (await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/2") with { HasSnapshot = true }, [], Admit, NewSnapshot(3, "http://a.example/2"))).Id!.Value;
        var c = (await Store.Hits.TryAddAsync(NewHit(3, "http://a.example/2"), [], Admit)).Id!.Value;
        await Store.Audit.AppendAsync([Record(1)], T0, [new UrlMention("url:1", "http://a.example/1", 3), new UrlMention("url:2", "http://a.example/2", 3)], Store.Signer);
        await Store.Hits.SaveLinksAsync(3, new LinkResult([], [], new Dictionary<long, LinkSignals>()));

        Assert.That((await Store.Retention.SnapshotsAsync()).Select(s => s.HitId), Is.EqualTo(new[] { a, b }));
        Assert.That(await Store.Retention.EraseSnapshotAsync(a), Is.True);
        Assert.That(await Store.Retention.EraseSnapshotAsync(a), Is.False);
        Assert.That((await Store.Hits.FindAsync(a))!.HasSnapshot, Is.False);

        await Store.Retention.RestrictHitAsync(b, T0.AddDays(1));
        Assert.That((await Store.Hits.FindAsync(b))!.RestrictedAt, Is.EqualTo(T0.AddDays(1)));
        Assert.That(await Store.Hits.FindSnapshotAsync(b), Is.Null);

        Assert.That(await Store.Retention.EraseHitAsync(a, _ => "url:1"), Is.True);
        Assert.That(await Store.Retention.EraseHitAsync(a, _ => "url:1"), Is.False);
        Assert.That(await Store.Retention.EraseHitAsync(b, _ => "url:2"), Is.True);
        Assert.That(await Store.Hits.FindAsync(a), Is.Null);
        Assert.That(await Store.Audit.FindUrlAsync("url:1"), Is.Null, "no hit of the mandate has the URL any more");
        Assert.That(await Store.Audit.FindUrlAsync("url:2"), Is.EqualTo("http://a.example/2"), "hit c still has it");
        Assert.That(await Store.Hits.FindLinksAsync(3), Is.Null, "a linking that named an erased hit goes");
        Assert.That((await Store.Hits.ListAsync(3)).Select(h => h.Id), Is.EqualTo(new[] { c }));

        await Store.Retention.CompactAsync();
        Assert.That((await Store.Hits.ListAsync(3)).Select(h => h.Id), Is.EqualTo(new[] { c }));
    }

    [Test]
    public async Task Retention_erases_the_oldest_trail_under_an_anchor_and_the_rest_still_verifies()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.Audit.AppendAsync([Record(i)], T0.AddDays(i), [new UrlMention($"url:{i}", $"http://a.example/{i}", 1)], Store.Signer);
        }

        var erasure = new AuditRecord("system", "retention", "audit", "erased", "older than the retention period");
        Assert.That(await Store.Retention.EraseAuditBeforeAsync(T0, erasure, T0.AddDays(10), Store.Signer), Is.Null, "nothing was due");
        var anchor = (await Store.Retention.EraseAuditBeforeAsync(T0.AddDays(3), erasure, T0.AddDays(10), Store.Signer))!;

        Assert.That(anchor.Sequence, Is.EqualTo(2));
        Assert.That(await Store.Audit.AnchorAsync(), Is.EqualTo(anchor));
        var entries = await Store.Audit.EntriesAsync().ToListAsync();
        Assert.That(entries.Select(e => e.Sequence), Is.EqualTo(new long[] { 3, 4, 5, 6 }));
        Assert.That(AuditChain.Verify(Factory.AuditKey, entries, anchor: anchor).Ok, Is.True);
        Assert.That(await Store.Audit.FindUrlAsync("url:1"), Is.Null);
        Assert.That(await Store.Audit.FindUrlAsync("url:3"), Is.EqualTo("http://a.example/3"));

        // The next append goes on after the erasure's own entry.
        await Store.Audit.AppendAsync([Record(7)], T0.AddDays(11), [], Store.Signer);
        Assert.That(AuditChain.Verify(Factory.AuditKey, await Store.Audit.EntriesAsync().ToListAsync(), anchor: anchor).Ok, Is.True);
    }

    [Test]
    public async Task Finished_runs_lose_their_frontier_and_unfinished_ones_keep_it()
    {
        var done = Store.StartRun(1, 1, "sanne", T0);
        var going = Store.StartRun(2, 1, "sanne", T0);
        await Store.State.AddNewAsync(done.Id, [("http://a.example/1", 0), ("http://a.example/2", 0)]);
        await Store.State.AddNewAsync(going.Id, [("http://a.example/3", 0)]);
        Store.SaveRun(done with { State = RunState.Completed });

        Assert.That(Store.PurgeFinishedFrontiers(), Is.EqualTo(2));
        Assert.That(await Store.State.FrontierAsync(done.Id), Is.Empty);
        Assert.That(await Store.State.FrontierAsync(going.Id), Has.Count.EqualTo(1));
    }
}
