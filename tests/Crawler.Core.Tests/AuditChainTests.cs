using System.Text;
using Crawler.Core.Audit;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("audit-key-for-tests-0123456789abcdef");
    private static readonly byte[] OtherKey = Encoding.UTF8.GetBytes("another-key-for-tests-0123456789abc");
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var record = new AuditRecord(
                Actor: i % 2 == 0 ? "pieter" : "sanne",
                Operation: i % 2 == 0 ? AuditOperation.Approve : AuditOperation.Collect,
                Subject: $"https://ads.example.nl/ads/{i}",
                Outcome: "allowed",
                Reason: "every rule passed",
                Rule: "allow.all-rules-passed",
                MandateId: 42,
                MandateVersion: 1,
                Case: "2026-MH-0042",
                PolicyVersion: new string('a', 64),
                ContentSha256: new string('b', 64),
                HttpStatus: 200,
                Lab: false);
            var entry = AuditChain.Link(Key, i, Start.AddMinutes(i), record, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    [Test]
    public void A_chain_of_five_linked_entries_verifies()
    {
        var chain = Chain(5);

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.True, result.Problem);
            Assert.That(result.Entries, Is.EqualTo(5));
            Assert.That(result.FirstBadSequence, Is.Null);
            Assert.That(result.Problem, Is.Null);
            Assert.That(chain[0].PreviousHash, Is.EqualTo(AuditChain.GenesisHash));
            Assert.That(chain.Skip(1).Select(e => e.PreviousHash), Is.EqualTo(chain.Take(4).Select(e => e.Hash)));
            Assert.That(chain.Select(e => e.Hash), Is.All.Match("^[0-9a-f]{64}$"));
        });
    }

    [Test]
    public void An_empty_chain_verifies()
    {
        var result = AuditChain.Verify(Key, []);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.True);
            Assert.That(result.Entries, Is.Zero);
        });
    }

    [Test]
    public void Link_stores_the_time_in_UTC_and_the_chain_still_verifies()
    {
        var record = new AuditRecord("sanne", AuditOperation.Request, "mandate 42", "requested");
        var local = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1));

        var entry = AuditChain.Link(Key, 1, local, record, AuditChain.GenesisHash);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Time.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(entry.Time, Is.EqualTo(local));
            Assert.That(AuditChain.Verify(Key, [entry]).Ok, Is.True);
        });
    }

    private static IEnumerable<TestCaseData> Alterations()
    {
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Actor = "mallory" })).SetArgDisplayNames("Actor");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Operation = AuditOperation.Refuse })).SetArgDisplayNames("Operation");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Subject = r.Subject + "x" })).SetArgDisplayNames("Subject");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Outcome = "refused" })).SetArgDisplayNames("Outcome");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Reason = null })).SetArgDisplayNames("Reason");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Rule = "robots" })).SetArgDisplayNames("Rule");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { MandateId = 43 })).SetArgDisplayNames("MandateId");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { MandateVersion = 2 })).SetArgDisplayNames("MandateVersion");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Case = "2026-MH-0043" })).SetArgDisplayNames("Case");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { PolicyVersion = new string('c', 64) })).SetArgDisplayNames("PolicyVersion");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { ContentSha256 = null })).SetArgDisplayNames("ContentSha256");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { HttpStatus = 404 })).SetArgDisplayNames("HttpStatus");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Lab = true })).SetArgDisplayNames("Lab");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { LegalBasis = "Wpg art. 9" })).SetArgDisplayNames("LegalBasis added");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { DataSubject = DataSubject.Victim })).SetArgDisplayNames("DataSubject added");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Recipient = "defence" })).SetArgDisplayNames("Recipient added");
    }

    private static IEnumerable<TestCaseData> Format2Alterations()
    {
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { LegalBasis = null, DataSubject = null, Recipient = null }))
            .SetArgDisplayNames("format-2 fields removed");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { LegalBasis = "Sv art. 126j" })).SetArgDisplayNames("LegalBasis");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { DataSubject = DataSubject.Suspect })).SetArgDisplayNames("DataSubject");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { Recipient = null })).SetArgDisplayNames("Recipient");
        yield return new TestCaseData((Func<AuditRecord, AuditRecord>)(r => r with { LegalBasis = r.DataSubject, DataSubject = r.LegalBasis }))
            .SetArgDisplayNames("two fields swapped");
    }

    [TestCaseSource(nameof(Format2Alterations))]
    public void Changing_a_format_2_field_is_reported(Func<AuditRecord, AuditRecord> alter)
    {
        var chain = Chain(5).Select(e => e.Record with { LegalBasis = "Wpg art. 9; Politiewet art. 3", DataSubject = DataSubject.Unknown, Recipient = "OM Rotterdam" })
            .Aggregate(new List<AuditEntry>(), (list, r) =>
            {
                list.Add(AuditChain.Link(Key, list.Count + 1, new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero).AddSeconds(list.Count), r,
                    list.Count == 0 ? AuditChain.GenesisHash : list[^1].Hash));
                return list;
            });
        Assert.That(AuditChain.Verify(Key, chain).Ok, Is.True);
        chain[2] = chain[2] with { Record = alter(chain[2].Record) };

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(3));
        });
    }

    [TestCaseSource(nameof(Alterations))]
    public void Changing_one_field_of_entry_3_is_reported_at_3(Func<AuditRecord, AuditRecord> alter)
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Record = alter(chain[2].Record) };

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(3));
            Assert.That(result.Entries, Is.EqualTo(2));
            Assert.That(result.Problem, Does.Contain("entry 3 was altered"));
        });
    }

    [Test]
    public void Changing_the_time_of_entry_3_is_reported_at_3()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Time = chain[2].Time.AddSeconds(1) };

        Assert.That(AuditChain.Verify(Key, chain).FirstBadSequence, Is.EqualTo(3));
    }

    [Test]
    public void Recomputing_the_hash_of_an_altered_entry_breaks_the_next_link()
    {
        var chain = Chain(5);
        var forged = AuditChain.Link(Key, 3, chain[2].Time, chain[2].Record with { Outcome = "refused" }, chain[2].PreviousHash);
        chain[2] = forged;

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.FirstBadSequence, Is.EqualTo(4));
            Assert.That(result.Problem, Does.Contain("does not link"));
        });
    }

    [Test]
    public void Deleting_entry_3_is_reported_at_3_as_missing()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(3));
            Assert.That(result.Problem, Does.Contain("entry 3 is missing"));
        });
    }

    [Test]
    public void Deleting_the_last_entry_cannot_be_told_from_the_chain_alone()
    {
        var chain = Chain(5);
        chain.RemoveAt(4);

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.True);
            Assert.That(result.Entries, Is.EqualTo(4));
        });
    }

    [Test]
    public void Swapping_entries_2_and_3_is_detected_at_2()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);

        var result = AuditChain.Verify(Key, chain);

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(2));
            Assert.That(result.Entries, Is.EqualTo(1));
        });
    }

    [Test]
    public void Renumbering_swapped_entries_is_still_detected_at_2()
    {
        var chain = Chain(5);
        var second = chain[1];
        var third = chain[2];
        chain[1] = third with { Sequence = 2 };
        chain[2] = second with { Sequence = 3 };

        Assert.That(AuditChain.Verify(Key, chain).FirstBadSequence, Is.EqualTo(2));
    }

    [Test]
    public void A_different_key_fails_at_1()
    {
        var result = AuditChain.Verify(OtherKey, Chain(5));

        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.False);
            Assert.That(result.FirstBadSequence, Is.EqualTo(1));
            Assert.That(result.Entries, Is.Zero);
        });
    }

    [Test]
    public void Moving_text_between_adjacent_fields_changes_the_hash()
    {
        var a = new AuditRecord("sanne", AuditOperation.Collect, "ab", "c");
        var b = new AuditRecord("sanne", AuditOperation.Collect, "a", "bc");

        var ha = AuditChain.ComputeHash(Key, 1, Start, a, AuditChain.GenesisHash);
        var hb = AuditChain.ComputeHash(Key, 1, Start, b, AuditChain.GenesisHash);

        Assert.That(ha, Is.Not.EqualTo(hb));
    }

    [Test]
    public void An_empty_field_and_a_missing_field_give_different_hashes()
    {
        var empty = new AuditRecord("sanne", AuditOperation.Collect, "s", "o", Reason: "");
        var missing = new AuditRecord("sanne", AuditOperation.Collect, "s", "o", Reason: null);

        Assert.That(
            AuditChain.ComputeHash(Key, 1, Start, empty, AuditChain.GenesisHash),
            Is.Not.EqualTo(AuditChain.ComputeHash(Key, 1, Start, missing, AuditChain.GenesisHash)));
    }

    [Test]
    public void The_hash_is_deterministic()
    {
        var r = new AuditRecord("sanne", AuditOperation.Collect, "s", "o");

        Assert.That(
            AuditChain.ComputeHash(Key, 7, Start, r, AuditChain.GenesisHash),
            Is.EqualTo(AuditChain.ComputeHash(Key, 7, Start, r with { }, AuditChain.GenesisHash)));
    }
}
