using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>Damage to an evidence file is found, named by record, and never crashes the verifier.</summary>
public sealed class TamperTests
{
    private const int SecondResponse = 4;

    [Test]
    public void A_body_byte_changed_and_the_whole_file_recompressed_fails_on_that_record()
    {
        var plain = Tamper.Decompress(SampleWarc.Create().Bytes);
        plain[Tamper.IndexOf(plain, SampleWarc.SecondBody) + 9] ^= 0x20;

        var result = WarcVerifier.Verify(new MemoryStream(Tamper.CompressAsOneMember(plain)));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Problem, Does.StartWith($"record {SecondResponse} "));
        var bad = result.Records.Single(r => r.Problem != null);
        Assert.That(bad.Index, Is.EqualTo(SecondResponse));
        Assert.That(bad.BlockDigestOk, Is.False);
        Assert.That(bad.PayloadDigestOk, Is.False);
        Assert.That(result.Records, Has.Count.EqualTo(7), "the other records are still read and checked");
    }

    [Test]
    public void A_body_byte_changed_and_only_its_member_recompressed_fails_on_that_record_at_its_offset()
    {
        var bytes = SampleWarc.Create().Bytes;
        var offsets = WarcReader.Read(new MemoryStream(bytes)).Select(r => (int)r.Offset).ToList();
        var member = Tamper.Decompress(bytes[offsets[SecondResponse]..offsets[SecondResponse + 1]]);
        member[Tamper.IndexOf(member, SampleWarc.SecondBody)] ^= 0x01;
        var forged = bytes[..offsets[SecondResponse]].Concat(Tamper.CompressAsOneMember(member)).Concat(bytes[offsets[SecondResponse + 1]..]).ToArray();

        var result = WarcVerifier.Verify(new MemoryStream(forged));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Problem, Is.EqualTo($"record {SecondResponse} (gzip member at byte offset {offsets[SecondResponse]}): " +
            "block digest does not match the block bytes in the file; payload digest does not match the payload bytes in the file"));
        Assert.That(result.Records.Select(r => r.Problem == null), Is.EqualTo(new[] { true, true, true, true, false, true, true }));
    }

    [Test]
    public void A_changed_request_header_fails_only_the_request_record()
    {
        var plain = Tamper.Decompress(SampleWarc.Create().Bytes);
        plain[Tamper.IndexOf(plain, "User-Agent: CrawlerEvidence"u8.ToArray())] = (byte)'u';

        var result = WarcVerifier.Verify(new MemoryStream(Tamper.CompressAsOneMember(plain)));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Records.Where(r => !r.BlockDigestOk).Select(r => r.Index), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void A_byte_flipped_inside_a_compressed_member_fails_on_that_record_without_an_exception()
    {
        var bytes = SampleWarc.Create().Bytes;
        var offsets = WarcReader.Read(new MemoryStream(bytes)).Select(r => r.Offset).ToList();
        var middle = (offsets[2] + offsets[3]) / 2;

        var result = WarcVerifier.Verify(new MemoryStream(Tamper.Flip(bytes, middle)));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Problem, Does.StartWith($"record 2 (gzip member at byte offset {offsets[2]}): "));
    }

    [Test]
    public void Any_flipped_byte_outside_the_informative_gzip_header_fields_is_caught_and_none_throws()
    {
        var bytes = SmallFile();
        var offsets = WarcReader.Read(new MemoryStream(bytes)).Select(r => r.Offset).ToList();
        // MTIME (4 bytes), XFL and OS: gzip header bytes 4 to 9 carry no data, so flipping them changes nothing.
        var informative = offsets.SelectMany(o => Enumerable.Range(4, 6).Select(i => o + i)).ToHashSet();

        var missed = new List<long>();
        for (long i = 0; i < bytes.Length; i++)
        {
            var result = WarcVerifier.Verify(new MemoryStream(Tamper.Flip(bytes, i)));
            if (result.Ok != informative.Contains(i))
            {
                missed.Add(i);
            }
        }

        Assert.That(missed, Is.Empty, $"file of {bytes.Length} bytes, members at {string.Join(", ", offsets)}");
    }

    [Test]
    public void A_file_cut_anywhere_inside_a_member_fails_with_a_problem_and_none_throws()
    {
        var bytes = SmallFile();
        var offsets = WarcReader.Read(new MemoryStream(bytes)).Select(r => r.Offset).ToHashSet();

        for (var length = 1; length < bytes.Length; length++)
        {
            if (offsets.Contains(length))
            {
                continue;
            }

            var result = WarcVerifier.Verify(new MemoryStream(bytes[..length]));
            Assert.That(result.Ok, Is.False, $"cut at {length}");
            Assert.That(result.Problem, Is.Not.Null.And.Contains("record "), $"cut at {length}");
        }
    }

    [Test]
    public void A_cut_in_the_last_member_is_reported_as_truncation_of_that_record()
    {
        var bytes = SmallFile();
        var last = WarcReader.Read(new MemoryStream(bytes)).Last().Offset;

        var result = WarcVerifier.Verify(new MemoryStream(bytes[..^3]));

        Assert.That(result.Problem, Is.EqualTo($"record 2 (gzip member at byte offset {last}): the file ends inside a gzip member (truncated)"));
        Assert.That(result.Records, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_cut_between_members_cannot_be_seen_in_the_warc_alone_so_the_record_count_must_be_checked_elsewhere()
    {
        var bytes = SampleWarc.Create().Bytes;
        var lastOffset = WarcReader.Read(new MemoryStream(bytes)).Last().Offset;

        var result = WarcVerifier.Verify(new MemoryStream(bytes[..(int)lastOffset]));

        Assert.That(result.Ok, Is.True);
        Assert.That(result.Records, Has.Count.EqualTo(6), "the manifest's record count is what catches this");
    }

    [Test]
    public void Garbage_fails_without_an_exception()
    {
        var random = new Random(1);
        var garbage = new byte[5000];
        random.NextBytes(garbage);
        var gzippedNonsense = Tamper.CompressAsOneMember(Encoding.UTF8.GetBytes("<html>not a warc</html>"));
        var plainWarc = Tamper.Decompress(SampleWarc.Create().Bytes);
        var gzipMagicThenGarbage = new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0xFF }.Concat(garbage).ToArray();

        foreach (var (name, bytes) in new[]
                 {
                     ("random", garbage), ("gzipped html", gzippedNonsense), ("uncompressed warc", plainWarc),
                     ("gzip header then garbage", gzipMagicThenGarbage), ("empty", Array.Empty<byte>()),
                 })
        {
            var result = WarcVerifier.Verify(new MemoryStream(bytes));
            Assert.That(result.Ok, Is.False, name);
            Assert.That(result.Problem, Is.Not.Null, name);
        }
    }

    [Test]
    public void An_uncompressed_warc_is_named_as_not_gzip()
    {
        var result = WarcVerifier.Verify(new MemoryStream(Tamper.Decompress(SampleWarc.Create().Bytes)));

        Assert.That(result.Problem, Does.StartWith("record 0 (gzip member at byte offset 0): not a gzip member"));
    }

    [Test]
    public void Garbage_after_the_last_record_is_named_with_its_record_index_and_offset()
    {
        var bytes = SampleWarc.Create().Bytes;
        var appended = bytes.Concat("trailing junk"u8.ToArray()).ToArray();

        var error = Assert.Throws<WarcFormatException>(() => WarcReader.Read(new MemoryStream(appended)).ToList())!;

        Assert.That(error.RecordIndex, Is.EqualTo(7));
        Assert.That(error.Offset, Is.EqualTo(bytes.Length));
        Assert.That(error.Message, Does.StartWith($"record 7 (gzip member at byte offset {bytes.Length}): not a gzip member"));
    }

    [Test]
    public void A_content_length_beyond_the_data_is_a_format_error_not_an_allocation()
    {
        var lies = Member("WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 200000000\r\n\r\nabc\r\n\r\n");
        var huge = Member("WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 99999999999999\r\n\r\nabc\r\n\r\n");

        var liesResult = WarcVerifier.Verify(new MemoryStream(lies));
        var hugeResult = WarcVerifier.Verify(new MemoryStream(huge));

        Assert.That(liesResult.Problem, Does.Contain("Content-Length is 200000000 but the gzip member ends after"));
        Assert.That(hugeResult.Problem, Does.Contain("exceeds the 268435456 byte limit"));
        Assert.Throws<WarcFormatException>(() => WarcReader.Read(new MemoryStream(huge)).ToList());
    }

    [Test]
    public void A_record_without_a_block_digest_fails()
    {
        var file = Member("WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2026-11-28T21:03:04Z\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");

        var result = WarcVerifier.Verify(new MemoryStream(file));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Records[0].BlockDigestOk, Is.False);
        Assert.That(result.Problem, Does.Contain("no WARC-Block-Digest"));
    }

    [TestCase("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true)]
    [TestCase("SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true)]
    [TestCase("sha256:xj4bnp4pahh6uqkbidpf3lrceoyagyndsylxvhfucd7wd4qacwwq", true)]
    [TestCase("sha256:XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWQ====", true)]
    [TestCase("sha256:XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWQ==", false)]
    [TestCase("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae", false)]
    [TestCase("sha256:XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWA", false)]
    [TestCase("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5", false)]
    [TestCase("sha256:not-a-digest", false)]
    public void Block_digests_written_by_other_tools_are_accepted_in_hex_or_base32(string label, bool ok)
    {
        var file = Member($"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2026-11-28T21:03:04Z\r\nContent-Length: 3\r\nWARC-Block-Digest: {label}\r\n\r\nabc\r\n\r\n");

        var result = WarcVerifier.Verify(new MemoryStream(file));

        Assert.That(result.Ok, Is.EqualTo(ok), result.Problem);
        Assert.That(result.Records[0].BlockDigestOk, Is.EqualTo(ok));
    }

    [Test]
    public void A_payload_digest_over_a_chunked_body_matches_once_the_chunks_are_undone()
    {
        // Other tools keep the chunked body in the block and digest the dechunked entity as the payload.
        var block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        var length = Encoding.ASCII.GetByteCount(block);
        var file = Member("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2026-11-28T21:03:04Z\r\n" +
            $"Content-Length: {length}\r\nContent-Type: application/http;msgtype=response\r\n" +
            $"WARC-Block-Digest: {WarcVerifier.Sha256Label(Encoding.ASCII.GetBytes(block))}\r\n" +
            $"WARC-Payload-Digest: {WarcVerifier.Sha256Label("abc"u8)}\r\n\r\n{block}\r\n\r\n");

        var result = WarcVerifier.Verify(new MemoryStream(file));

        Assert.That(result.Ok, Is.True, result.Problem);
        Assert.That(result.Records[0].PayloadDigestOk, Is.True);
    }

    [Test]
    public void A_repeated_record_id_fails()
    {
        var one = "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2026-11-28T21:03:04Z\r\nContent-Length: 3\r\n" +
                  $"WARC-Block-Digest: {WarcVerifier.Sha256Label("abc"u8)}\r\n\r\nabc\r\n\r\n";
        var file = Member(one).Concat(Member(one)).ToArray();

        var result = WarcVerifier.Verify(new MemoryStream(file));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Records.Select(r => r.Problem == null), Is.EqualTo(new[] { true, false }));
    }

    private static byte[] SmallFile()
    {
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteWarcInfo("small.warc.gz", SampleWarc.FetchTime, [new("software", "test")]);
            writer.WriteExchange(SampleWarc.FirstExchange());
        }

        return output.ToArray();
    }

    private static byte[] Member(string record) => Tamper.CompressAsOneMember(Encoding.UTF8.GetBytes(record));
}
