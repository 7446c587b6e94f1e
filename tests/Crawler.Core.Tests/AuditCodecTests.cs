using NUnit.Framework;
using Crawler.Core.Audit;

namespace Crawler.Core.Tests;

public sealed class AuditCodecTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 28, 9, 30, 15, 123, TimeSpan.Zero);

    private static IEnumerable<AuditRecord> Records()
    {
        yield return new AuditRecord("sanne", AuditOperation.Collect, "url:0123456789abcdef0123", "fetched");
        yield return new AuditRecord("crawler-service for sanne", AuditOperation.Refuse, "url:0123456789abcdef0123", "refused",
            "robots.txt disallows /private — ‘quoted’ ✓", "robots.disallow", 42, 3, "2026-MH-0042", new string('a', 64), new string('b', 64), 403, true);
        yield return new AuditRecord("olga", AuditOperation.Disclose, "evidence:case.warc.gz", "ok", Lab: false,
            LegalBasis: "Wpg art. 9", DataSubject: DataSubject.Unknown, Recipient: "OM Rotterdam, zaaksofficier");
        yield return new AuditRecord("aaron", AuditOperation.Consult, "", "", "", "", 0, 0, "", "", "", 0, null, null, null, "");
    }

    [TestCaseSource(nameof(Records))]
    public void An_entry_survives_encoding_exactly(AuditRecord record)
    {
        var bytes = AuditCodec.Encode(7, T, record, AuditChain.GenesisHash);

        var back = AuditCodec.Decode(bytes, "h");

        Assert.Multiple(() =>
        {
            Assert.That(back.Record, Is.EqualTo(record));
            Assert.That(back.Sequence, Is.EqualTo(7));
            Assert.That(back.Time, Is.EqualTo(T));
            Assert.That(back.PreviousHash, Is.EqualTo(AuditChain.GenesisHash));
        });
    }

    [Test]
    public void Empty_and_null_fields_encode_differently()
    {
        var withNull = new AuditRecord("a", "b", "c", "d", Reason: null);
        var withEmpty = withNull with { Reason = "" };

        Assert.That(AuditCodec.Encode(1, T, withNull, "p"), Is.Not.EqualTo(AuditCodec.Encode(1, T, withEmpty, "p")));
    }

    [Test]
    public void A_format_1_record_encodes_without_the_format_2_block()
    {
        var v1 = new AuditRecord("a", "b", "c", "d", Lab: false);
        var v2 = v1 with { LegalBasis = "Wpg art. 8" };

        var shorter = AuditCodec.Encode(1, T, v1, "p");
        var longer = AuditCodec.Encode(1, T, v2, "p");

        Assert.That(longer.AsSpan(0, shorter.Length).SequenceEqual(shorter), Is.True, "format 2 only appends");
        Assert.That(longer, Has.Length.GreaterThan(shorter.Length));
    }

    [Test]
    public void Cut_or_padded_bytes_are_malformed_not_misread()
    {
        var bytes = AuditCodec.Encode(1, T, new AuditRecord("a", "b", "c", "d", "reason"), "p");

        Assert.Multiple(() =>
        {
            Assert.That(() => AuditCodec.Decode(bytes.AsSpan(0, bytes.Length - 3), "h"), Throws.TypeOf<InvalidDataException>());
            Assert.That(() => AuditCodec.Decode([.. bytes, 0, 0, 0, 1, 65], "h"), Throws.TypeOf<InvalidDataException>());
            Assert.That(() => AuditCodec.Decode([0, 0, 0, 9], "h"), Throws.TypeOf<InvalidDataException>());
        });
    }
}
