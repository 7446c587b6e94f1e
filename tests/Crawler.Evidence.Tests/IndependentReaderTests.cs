using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>What a second, independent reader makes of the file: the same records, and digests that check out.</summary>
public sealed class IndependentReaderTests
{
    [Test]
    public void A_second_reader_finds_the_same_records_and_recomputes_every_digest()
    {
        var sample = SampleWarc.Create();
        var records = IndependentWarcReader.Read(sample.Bytes);

        Assert.That(records.Select(r => r.Field("WARC-Type")), Is.EqualTo(SampleWarc.Types));
        foreach (var record in records)
        {
            var label = record.Field("WARC-Block-Digest");
            Assert.That(label, Does.Match("^sha256:[A-Z2-7]{52}====$"), "base32, upper case, padded to 56 characters as warcio writes it");
            Assert.That(IndependentWarcReader.DigestBytes(label!), Is.EqualTo(IndependentWarcReader.Sha256(record.Block)),
                $"block digest of {record.Field("WARC-Type")}");
            Assert.That(record.Field("WARC-Date"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        }

        var responses = records.Where(r => r.Field("WARC-Type") == "response").ToList();
        Assert.That(responses.Select(r => r.HttpPayload()), Is.EqualTo(new[] { SampleWarc.FirstBody, SampleWarc.SecondBody }));
        foreach (var response in responses)
        {
            Assert.That(IndependentWarcReader.DigestBytes(response.Field("WARC-Payload-Digest")!),
                Is.EqualTo(IndependentWarcReader.Sha256(response.HttpPayload())));
        }
    }

    [Test]
    public void Request_and_response_point_at_each_other()
    {
        var records = IndependentWarcReader.Read(SampleWarc.Create().Bytes);

        for (var i = 1; i <= 3; i += 2)
        {
            var request = records[i];
            var response = records[i + 1];
            Assert.That(request.Field("WARC-Concurrent-To"), Is.EqualTo(response.Field("WARC-Record-ID")));
            Assert.That(response.Field("WARC-Concurrent-To"), Is.EqualTo(request.Field("WARC-Record-ID")));
            Assert.That(request.Field("WARC-Target-URI"), Is.EqualTo(response.Field("WARC-Target-URI")));
        }
    }

    [Test]
    public void The_second_reader_rejects_a_file_whose_body_was_altered()
    {
        // Guards the guard: the independent reader's checks must be able to fail.
        var plain = Tamper.Decompress(SampleWarc.Create().Bytes);
        var at = Tamper.IndexOf(plain, SampleWarc.FirstBody);
        plain[at + 20] ^= 0x01;
        var records = IndependentWarcReader.Read(Tamper.CompressAsOneMember(plain));

        var response = records[2];
        Assert.That(IndependentWarcReader.DigestBytes(response.Field("WARC-Payload-Digest")!),
            Is.Not.EqualTo(IndependentWarcReader.Sha256(response.HttpPayload())));
    }

    [Test]
    public void The_independent_base32_decoder_agrees_with_RFC_4648_test_vectors()
    {
        Assert.That(IndependentWarcReader.DecodeBase32("MZXW6YTBOI======"), Is.EqualTo("foobar"u8.ToArray()));
        Assert.That(IndependentWarcReader.DecodeBase32("MZXW6YQ="), Is.EqualTo("foob"u8.ToArray()));
        Assert.That(IndependentWarcReader.DecodeBase32("MY"), Is.EqualTo("f"u8.ToArray()));
        Assert.That(Regex.IsMatch("MZXW6YTBOI", "^[A-Z2-7]+$"), Is.True);
    }
}
