using NUnit.Framework;
using Crawler.Core.Audit;
using LiteDB;

namespace Crawler.Storage.Tests;

/// <summary>The audit chain on a real LiteDB file: what is appended verifies, what is altered in the file does not.</summary>
public sealed class AuditTrailStorageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "crawler-store-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        foreach (var d in new[] { _dir, _dir + ".keys" }.Where(Directory.Exists))
        {
            Directory.Delete(d, recursive: true);
        }
    }

    private (DataFolder Folder, TestStore Store) Open()
    {
        var folder = DataFolder.Create(_dir);
        return (folder, new TestStore(folder));
    }

    private static AuditRecord Record(int i) =>
        new("sanne", AuditOperation.Collect, $"http://ads.example.nl/{i}", "fetched", "every rule passed", "allow.all-rules-passed", 1, 1, "CASE-1", "abc", null, 200, false);

    private void AppendFive()
    {
        var (_, store) = Open();
        using (store)
        {
            for (var i = 1; i <= 5; i++)
            {
                store.Append(Record(i), T0.AddSeconds(i));
            }
        }
    }

    private AuditVerification Verify()
    {
        var (folder, store) = Open();
        using (store)
        {
            return AuditChain.Verify(folder.AuditKey, store.Entries());
        }
    }

    private void Tamper(Action<ILiteCollection<BsonDocument>> change)
    {
        // The tamperer can open and write the database (they hold the database key), but not the audit key.
        var folder = DataFolder.Open(_dir);
        using var db = new LiteDatabase(new ConnectionString
        {
            Filename = folder.DatabasePath, Connection = ConnectionType.Shared, Password = folder.DatabasePassword,
        });
        change(db.GetCollection("audit"));
    }

    /// <summary>Changes the record inside a stored entry's bytes, keeping its sequence, time, link and hash, as a tamperer would.</summary>
    private static AuditEntry Rewrite(BsonDocument doc, Func<AuditRecord, AuditRecord> change)
    {
        var entry = AuditCodec.Decode(doc["entry"].AsBinary, doc["hash"].AsString);
        var changed = entry with { Record = change(entry.Record) };
        doc["entry"] = AuditCodec.Encode(changed.Sequence, changed.Time, changed.Record, changed.PreviousHash);
        return changed;
    }

    [Test]
    public void Appended_entries_verify_and_keep_their_order()
    {
        AppendFive();

        var result = Verify();

        Assert.That(result.Ok, Is.True, result.Problem);
        Assert.That(result.Entries, Is.EqualTo(5));
    }

    [Test]
    public void An_edited_field_in_the_file_is_detected_at_its_sequence_number()
    {
        AppendFive();
        Tamper(col =>
        {
            var doc = col.FindById(3);
            Rewrite(doc, r => r with { Reason = "nothing to see here" });
            col.Update(doc);
        });

        var result = Verify();

        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBadSequence, Is.EqualTo(3));
    }

    [Test]
    public void A_deleted_entry_is_detected()
    {
        AppendFive();
        Tamper(col => col.Delete(2));

        var result = Verify();

        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBadSequence, Is.EqualTo(2));
        Assert.That(result.Problem, Does.Contain("missing"));
    }

    [Test]
    public void An_entry_rewritten_with_a_recomputed_hash_but_the_wrong_key_is_detected()
    {
        AppendFive();
        Tamper(col =>
        {
            var doc = col.FindById(4);
            var entry = Rewrite(doc, r => r with { Outcome = "refused" });
            doc["hash"] = AuditChain.ComputeHash(new byte[32], 4, entry.Time, entry.Record, entry.PreviousHash);
            col.Update(doc);
        });

        var result = Verify();

        Assert.That(result.FirstBadSequence, Is.EqualTo(4));
    }

    [Test]
    public void Two_writers_on_one_file_append_one_unbroken_chain()
    {
        var (_, a) = Open();
        var (_, b) = Open();
        using (a)
        using (b)
        {
            Parallel.For(0, 40, i => (i % 2 == 0 ? a : b).Append(Record(i), T0.AddSeconds(i)));
        }

        var result = Verify();

        Assert.That(result.Ok, Is.True, result.Problem);
        Assert.That(result.Entries, Is.EqualTo(40));
    }

    [Test]
    public void The_keys_live_outside_the_database_file_and_survive_reopening()
    {
        var (first, store) = Open();
        store.Dispose();
        var again = DataFolder.Open(_dir);

        Assert.That(again.AuditKey, Is.EqualTo(first.AuditKey));
        Assert.That(again.PseudonymKey, Is.Not.EqualTo(first.AuditKey));
        var db = File.ReadAllBytes(Path.Combine(_dir, "crawler.db"));
        Assert.That(Contains(db, first.AuditKey), Is.False);
    }

    private static bool Contains(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;

    [Test]
    public void An_inserted_entry_is_detected()
    {
        AppendFive();
        Tamper(col =>
        {
            // Move entries 3..5 up by one and slip a forged entry in at 3.
            for (var seq = 5; seq >= 3; seq--)
            {
                var doc = col.FindById(seq);
                col.Delete(seq);
                doc["_id"] = seq + 1;
                col.Insert(doc);
            }

            var forged = col.FindById(2);
            forged["_id"] = 3;
            Rewrite(forged, r => r with { Subject = "http://ads.example.nl/forged" });
            col.Insert(forged);
        });

        var result = Verify();

        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBadSequence, Is.EqualTo(3));
    }

    [Test]
    public void Two_swapped_entries_are_detected_at_the_first()
    {
        AppendFive();
        Tamper(col =>
        {
            var two = col.FindById(2);
            var three = col.FindById(3);
            col.Delete(2);
            col.Delete(3);
            two["_id"] = 3;
            three["_id"] = 2;
            col.Insert(two);
            col.Insert(three);
        });

        var result = Verify();

        Assert.That(result.FirstBadSequence, Is.EqualTo(2));
    }

    [Test]
    public void A_cut_tail_verifies_alone_but_not_against_a_checkpoint()
    {
        AppendFive();
        AuditCheckpoint checkpoint;
        var (folder, store) = Open();
        using (store)
        {
            var head = store.Entries()[^1];
            checkpoint = new AuditCheckpoint(head.Sequence, head.Hash, head.Time);
        }

        Tamper(col =>
        {
            col.Delete(5);
            col.Delete(4);
        });

        var (_, reopened) = Open();
        using (reopened)
        {
            Assert.That(AuditChain.Verify(folder.AuditKey, reopened.Entries()).Ok, Is.True, "a truncated chain is still a valid chain");
            var withCheckpoint = AuditChain.Verify(folder.AuditKey, reopened.Entries(), checkpoint);
            Assert.That(withCheckpoint.Ok, Is.False);
            Assert.That(withCheckpoint.FirstBadSequence, Is.EqualTo(4));
            Assert.That(withCheckpoint.Problem, Does.Contain("removed from the end"));
        }
    }

    [Test]
    public void Erasing_the_oldest_entries_moves_the_anchor_and_the_rest_still_verifies()
    {
        AppendFive();
        var (folder, store) = Open();
        using (store)
        {
            var anchor = store.EraseAuditBefore(T0.AddSeconds(3),
                new AuditRecord("retention", AuditOperation.Erase, "audit", "erased", "older than the trail's retention"), T0.AddDays(1));

            Assert.That(anchor, Is.Not.Null);
            Assert.That(anchor!.Sequence, Is.EqualTo(2), "entries 1 and 2 were written before the cutoff");
            var entries = store.Entries().ToList();
            Assert.That(entries.Select(e => e.Sequence), Is.EqualTo(new long[] { 3, 4, 5, 6 }));
            Assert.That(entries[^1].Record.Subject, Is.EqualTo("audit:1-2"));
            var result = AuditChain.Verify(folder.AuditKey, entries, null, store.Anchor());
            Assert.That(result.Ok, Is.True, result.Problem);
            Assert.That(AuditChain.Verify(folder.AuditKey, entries).FirstBadSequence, Is.EqualTo(1), "without the anchor the start is missing");
        }
    }

    [Test]
    public void Entries_removed_from_the_start_under_a_forged_anchor_are_detected()
    {
        AppendFive();
        string hashOfTwo;
        var (_, first) = Open();
        using (first)
        {
            hashOfTwo = first.Entries().Single(e => e.Sequence == 2).Hash;
        }

        var folder = DataFolder.Open(_dir);
        using (var db = new LiteDatabase(new ConnectionString { Filename = folder.DatabasePath, Password = folder.DatabasePassword }))
        {
            db.GetCollection("audit").DeleteMany(Query.LTE("_id", 2));
            db.GetCollection("settings").Upsert(new BsonDocument
            {
                ["_id"] = "audit-anchor", ["sequence"] = 2L, ["hash"] = hashOfTwo, ["erasedAt"] = T0.UtcTicks,
            });
        }

        var (again, store) = Open();
        using (store)
        {
            var result = AuditChain.Verify(again.AuditKey, store.Entries(), null, store.Anchor());

            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(3));
            Assert.That(result.Problem, Does.Contain("removed from the start"));
        }
    }
}
