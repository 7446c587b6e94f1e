using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>What the writer reports having written, and the extension field a signed resource record carries.</summary>
public sealed class WrittenRecordsTests
{
    private static readonly Uri Manifest = new("urn:crawler:evidence-manifest");

    [Test]
    public void The_writer_reports_each_record_as_a_reader_finds_it_in_the_file()
    {
        var output = new MemoryStream();
        IReadOnlyList<WarcRecordEntry> written;
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            var info = writer.WriteWarcInfo("evidence.warc.gz", SampleWarc.FetchTime, [new("software", "test")]);
            var (_, response) = writer.WriteExchange(SampleWarc.FirstExchange(), info);
            writer.WriteMetadata(new Uri("http://ads.example.nl/advertentie/1"), SampleWarc.FetchTime, "application/json", SampleWarc.HitJson, response, info);
            writer.WriteResource(Manifest, SampleWarc.FetchTime, "application/json", SampleWarc.ManifestJson, info);
            written = [.. writer.Written];
        }

        var read = WarcReader.Read(new MemoryStream(output.ToArray())).Select((r, i) => WarcRecordEntry.Of(i, r)).ToList();

        Assert.That(written, Is.EqualTo(read));
        Assert.That(written.Select(r => r.Type), Is.EqualTo(new[] { "warcinfo", "request", "response", "metadata", "resource" }));
        Assert.That(written.Select(r => r.Index), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(written[0].TargetUri, Is.Null);
        Assert.That(written[2].PayloadDigest, Is.EqualTo(WarcVerifier.Sha256Label(SampleWarc.FirstBody)));
        Assert.That(written[3].BlockDigest, Is.EqualTo(WarcVerifier.Sha256Label(SampleWarc.HitJson)));
    }

    [Test]
    public void A_refused_record_is_not_reported()
    {
        using var writer = new WarcWriter(new MemoryStream());
        writer.WriteWarcInfo("evidence.warc.gz", SampleWarc.FetchTime, []);

        Assert.That(() => writer.WriteExchange(SampleWarc.FirstExchange() with { Status = 42 }), Throws.InstanceOf<ArgumentException>());
        Assert.That(writer.Written, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_resource_signed_through_an_extension_field_verifies_when_read_back()
    {
        using var key = EvidenceSigningKey.Create();
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteResource(Manifest, SampleWarc.FetchTime, "application/json", SampleWarc.ManifestJson, extensionFields: [key.SignatureField(SampleWarc.ManifestJson)]);
        }

        var record = WarcReader.Read(new MemoryStream(output.ToArray())).Single();

        Assert.That(record.ValuesOf(EvidenceSignature.FieldName).Count(), Is.EqualTo(1));
        Assert.That(EvidenceSignature.Check(record[EvidenceSignature.FieldName], record.Block, key.PublicKey), Is.Null);
        Assert.That(WarcVerifier.Verify(new MemoryStream(output.ToArray())).Ok, Is.True, "other readers see an extension field and nothing else");
    }

    [TestCase("WARC-Crawler-Signature", "x\r\nWARC-Type: resource", TestName = "a value that would start another field")]
    [TestCase("WARC-Crawler-Signature", "x\n", TestName = "a value with a bare LF")]
    [TestCase("WARC Crawler Signature", "x", TestName = "a name with spaces")]
    [TestCase("", "x", TestName = "an empty name")]
    [TestCase("WARC-Block-Digest", "sha256:AAAA", TestName = "a block digest of the caller's")]
    [TestCase("content-length", "3", TestName = "a content length of the caller's")]
    [TestCase("WARC-Type", "metadata", TestName = "a second record type")]
    public void An_extension_field_that_would_break_or_pose_as_a_defined_field_is_refused_and_nothing_is_written(string name, string value)
    {
        var output = new MemoryStream();
        using var writer = new WarcWriter(output, leaveOpen: true);

        Assert.That(() => writer.WriteResource(Manifest, SampleWarc.FetchTime, "application/json", Encoding.UTF8.GetBytes("{}"), extensionFields: [new(name, value)]),
            Throws.InstanceOf<ArgumentException>());
        Assert.That(output.Length, Is.Zero);
        Assert.That(writer.Written, Is.Empty);
    }
}
