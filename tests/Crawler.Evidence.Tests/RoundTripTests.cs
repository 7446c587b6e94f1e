using NUnit.Framework;

namespace Crawler.Evidence.Tests;

public sealed class RoundTripTests
{
    private string _path = "";

    [SetUp]
    public void SetUp() => _path = Path.Combine(Path.GetTempPath(), "crawler-warc-" + Guid.NewGuid().ToString("N") + ".warc.gz");

    [TearDown]
    public void TearDown() => File.Delete(_path);

    [Test]
    public void A_file_written_to_memory_verifies_with_every_record_in_order() =>
        AssertSampleVerifies(SampleWarc.Create().Bytes);

    [Test]
    public void A_file_written_to_disk_verifies_with_every_record_in_order()
    {
        using (var file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            SampleWarc.Write(file);
        }

        AssertSampleVerifies(File.ReadAllBytes(_path));
        using var again = File.OpenRead(_path);
        Assert.That(WarcVerifier.Verify(again).Ok, Is.True, "verifying straight from the file stream");
    }

    private static void AssertSampleVerifies(byte[] bytes)
    {
        var result = WarcVerifier.Verify(new MemoryStream(bytes));

        Assert.That(result.Problem, Is.Null);
        Assert.That(result.Ok, Is.True);
        Assert.That(result.Records.Select(r => r.Type), Is.EqualTo(SampleWarc.Types));
        Assert.That(result.Records.Select(r => r.TargetUri), Is.EqualTo(new[]
        {
            null,
            "http://ads.example.nl/advertentie/1?ref=zoek", "http://ads.example.nl/advertentie/1?ref=zoek",
            "https://img.example.nl/foto.png", "https://img.example.nl/foto.png",
            "http://ads.example.nl/advertentie/1?ref=zoek", "urn:crawler:manifest",
        }));
        Assert.That(result.Records.Select(r => r.Index), Is.EqualTo(Enumerable.Range(0, 7)));
        Assert.That(result.Records, Has.All.Matches<WarcRecordCheck>(r => r.BlockDigestOk && r.Problem == null));
        Assert.That(result.Records.Select(r => r.PayloadDigestOk), Is.EqualTo(new bool?[] { null, null, true, null, true, null, null }));
    }

    [Test]
    public void The_reader_gives_back_exact_bodies_blocks_and_headers()
    {
        var sample = SampleWarc.Create();
        var records = WarcReader.Read(new MemoryStream(sample.Bytes)).ToList();

        Assert.That(records.Select(r => r.Type), Is.EqualTo(SampleWarc.Types));
        Assert.That(records.Select(r => r.RecordId), Is.EqualTo(new[]
        {
            sample.WarcInfoId, sample.First.RequestId, sample.First.ResponseId, sample.Second.RequestId, sample.Second.ResponseId,
            sample.MetadataId, sample.ResourceId,
        }));
        Assert.That(records.Select(r => r.RecordId), Has.All.Match("^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}>$"));
        Assert.That(records.Select(r => r.RecordId).Distinct().Count(), Is.EqualTo(7));

        Assert.That(Payload(records[2]), Is.EqualTo(SampleWarc.FirstBody));
        Assert.That(Payload(records[4]), Is.EqualTo(SampleWarc.SecondBody));
        Assert.That(records[5].Block, Is.EqualTo(SampleWarc.HitJson));
        Assert.That(records[6].Block, Is.EqualTo(SampleWarc.ManifestJson));
        Assert.That(System.Text.Encoding.UTF8.GetString(records[0].Block),
            Is.EqualTo("software: Crawler.Evidence/0.1\r\nformat: WARC File Format 1.1\r\noperator: sanne\r\n"));

        Assert.That(records[0]["WARC-Filename"], Is.EqualTo("evidence-CASE-1.warc.gz"));
        Assert.That(records[0]["content-type"], Is.EqualTo("application/warc-fields"), "names compare case-insensitively");
        Assert.That(records[1]["WARC-Date"], Is.EqualTo("2026-11-28T21:03:04Z"));
        Assert.That(records[3]["WARC-Date"], Is.EqualTo("2026-11-28T21:03:06Z"));
        Assert.That(records[1]["Content-Type"], Is.EqualTo("application/http;msgtype=request"));
        Assert.That(records[2]["Content-Type"], Is.EqualTo("application/http;msgtype=response"));
        Assert.That(records[1]["WARC-IP-Address"], Is.EqualTo("192.0.2.10"));
        Assert.That(records[2]["WARC-IP-Address"], Is.EqualTo("192.0.2.10"));
        Assert.That(records[3]["WARC-IP-Address"], Is.Null);
        Assert.That(records[4]["WARC-IP-Address"], Is.Null);
        Assert.That(records[1]["WARC-Concurrent-To"], Is.EqualTo(sample.First.ResponseId));
        Assert.That(records[2]["WARC-Concurrent-To"], Is.EqualTo(sample.First.RequestId));
        Assert.That(records[5]["WARC-Refers-To"], Is.EqualTo(sample.First.ResponseId));
        Assert.That(records.Skip(1).Select(r => r["WARC-Warcinfo-ID"]), Has.All.EqualTo(sample.WarcInfoId));
        Assert.That(records[2]["WARC-Payload-Digest"], Is.EqualTo(WarcVerifier.Sha256Label(SampleWarc.FirstBody)));
        Assert.That(records[5]["WARC-Payload-Digest"], Is.Null);
        Assert.That(records.Select(r => r["WARC-Block-Digest"]), Is.EqualTo(records.Select(r => WarcVerifier.Sha256Label(r.Block))));
    }

    [Test]
    public void Named_fields_start_with_type_id_date_length_and_content_type()
    {
        var records = WarcReader.Read(new MemoryStream(SampleWarc.Create().Bytes));

        foreach (var record in records)
        {
            Assert.That(record.Headers.Take(5).Select(h => h.Name),
                Is.EqualTo(new[] { "WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length", "Content-Type" }));
            Assert.That(record["Content-Length"], Is.EqualTo(record.Block.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public void The_request_block_is_the_request_as_sent()
    {
        var records = WarcReader.Read(new MemoryStream(SampleWarc.Create().Bytes)).ToList();

        Assert.That(System.Text.Encoding.UTF8.GetString(records[1].Block), Is.EqualTo(
            "GET /advertentie/1?ref=zoek HTTP/1.1\r\n" +
            "Host: ads.example.nl\r\n" +
            "User-Agent: CrawlerEvidence/0.1 (+https://politie.example/crawler)\r\n" +
            "Accept: text/html\r\n" +
            "\r\n"));
    }

    [Test]
    public void Each_record_is_its_own_gzip_member_at_the_offset_the_reader_reports()
    {
        var bytes = SampleWarc.Create().Bytes;
        var offsets = WarcReader.Read(new MemoryStream(bytes)).Select(r => r.Offset).ToList();

        Assert.That(offsets[0], Is.Zero);
        Assert.That(offsets, Is.Ordered.Ascending.And.Unique);
        var ends = offsets.Skip(1).Append(bytes.LongLength).ToList();
        for (var i = 0; i < offsets.Count; i++)
        {
            // A slice from one reported offset to the next must be a whole gzip file holding exactly one record.
            var member = bytes[(int)offsets[i]..(int)ends[i]];
            var alone = IndependentWarcReader.Read(member);
            Assert.That(alone, Has.Count.EqualTo(1), $"member {i}");
            Assert.That(alone[0].Field("WARC-Type"), Is.EqualTo(SampleWarc.Types[i]));
        }
    }

    [Test]
    public void Large_bodies_and_many_records_survive_a_reader_fed_a_few_bytes_at_a_time()
    {
        var random = new Random(28500);
        var big = new byte[700_000];
        random.NextBytes(big); // incompressible, so the member spans many read chunks
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteExchange(SampleWarc.FirstExchange() with { Body = big });
            for (var i = 0; i < 300; i++)
            {
                writer.WriteResource(new Uri($"urn:crawler:item:{i}"), SampleWarc.FetchTime, "text/plain", System.Text.Encoding.UTF8.GetBytes($"item {i}"));
            }

            writer.WriteExchange(SampleWarc.SecondExchange() with { Body = [] });
        }

        var records = WarcReader.Read(new TricklingStream(output.ToArray(), seed: 7)).ToList();
        var result = WarcVerifier.Verify(new TricklingStream(output.ToArray(), seed: 8));

        Assert.That(result.Ok, Is.True, result.Problem);
        Assert.That(records, Has.Count.EqualTo(304));
        Assert.That(Payload(records[1]), Is.EqualTo(big));
        Assert.That(records[300].Block, Is.EqualTo("item 298"u8.ToArray()));
        Assert.That(Payload(records[303]), Is.Empty);
        Assert.That(result.Records[303].PayloadDigestOk, Is.True);
    }

    [Test]
    public void Disposing_the_writer_closes_the_stream_unless_asked_to_leave_it_open()
    {
        var owned = new MemoryStream();
        var kept = new MemoryStream();
        new WarcWriter(owned).Dispose();
        new WarcWriter(kept, leaveOpen: true).Dispose();

        Assert.That(owned.CanWrite, Is.False);
        Assert.That(kept.CanWrite, Is.True);
    }

    private static byte[] Payload(WarcRecord record)
    {
        var end = record.Block.AsSpan().IndexOf("\r\n\r\n"u8);
        return record.Block[(end + 4)..];
    }
}

/// <summary>A non-seekable stream that answers each read with a few bytes only, as a pipe or a slow share might.</summary>
internal sealed class TricklingStream(byte[] data, int seed) : Stream
{
    private readonly Random _random = new(seed);
    private int _pos;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, _random.Next(1, 9)), data.Length - _pos);
        Array.Copy(data, _pos, buffer, offset, n);
        _pos += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
