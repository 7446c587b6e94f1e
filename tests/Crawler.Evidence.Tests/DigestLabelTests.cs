using NUnit.Framework;

namespace Crawler.Evidence.Tests;

public sealed class DigestLabelTests
{
    [Test]
    public void The_label_of_abc_is_base32_of_the_published_sha256_vector()
    {
        var label = WarcVerifier.Sha256Label("abc"u8);

        // Expected text from Python's base64.b32encode, outside this code base; as it writes it, padded.
        Assert.That(label, Is.EqualTo("sha256:XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWQ===="));
        Assert.That(IndependentWarcReader.DecodeBase32(label["sha256:".Length..]),
            Is.EqualTo(Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")));
    }

    [Test]
    public void The_label_of_nothing_is_base32_of_the_sha256_of_the_empty_string()
    {
        var label = WarcVerifier.Sha256Label([]);

        Assert.That(label, Is.EqualTo("sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ===="));
        Assert.That(IndependentWarcReader.DecodeBase32(label[7..]),
            Is.EqualTo(Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
    }

    [Test]
    public void Labels_round_trip_through_the_independent_decoder_for_many_inputs()
    {
        var random = new Random(4648);
        for (var length = 0; length < 200; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            var label = WarcVerifier.Sha256Label(data);

            Assert.That(label, Does.Match("^sha256:[A-Z2-7]{52}====$"));
            Assert.That(IndependentWarcReader.DecodeBase32(label[7..]), Is.EqualTo(System.Security.Cryptography.SHA256.HashData(data)));
        }
    }
}
