using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>The evidence signature on its own: keys, fingerprints, the signature field and its check.</summary>
public sealed class SigningTests
{
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"format":"crawler-evidence-manifest/2","recipient":"Rechtbank Rotterdam"}""");

    [Test]
    public void A_signature_is_64_bytes_of_ieee_p1363_that_the_bcl_verifies_over_sha256()
    {
        using var key = EvidenceSigningKey.Create();

        var signature = key.Sign(Manifest);

        using var independent = ECDsa.Create();
        independent.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo, out _);
        Assert.That(signature, Has.Length.EqualTo(64));
        Assert.That(independent.VerifyData(Manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True);
        Assert.That(key.PublicKey.Verify(Manifest, signature), Is.True);
    }

    [Test]
    public void The_fingerprint_is_sha256_and_the_lower_case_hex_sha256_of_the_spki_der()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();

        var key = EvidencePublicKey.FromSubjectPublicKeyInfo(spki);

        Assert.That(key.Fingerprint, Is.EqualTo("sha256:" + Convert.ToHexString(SHA256.HashData(spki)).ToLowerInvariant()));
        Assert.That(key.Fingerprint, Does.Match("^sha256:[0-9a-f]{64}$"));
        Assert.That(key.SubjectPublicKeyInfo, Is.EqualTo(spki));
    }

    [Test]
    public void A_private_key_read_from_its_pkcs8_pem_has_the_public_key_the_pem_describes()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ecdsa.ExportPkcs8PrivateKeyPem();

        using var key = EvidenceSigningKey.FromPem(pem);

        Assert.That(pem, Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(key.PublicKey.SubjectPublicKeyInfo, Is.EqualTo(ecdsa.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void A_public_key_round_trips_through_its_pem_even_with_text_around_it()
    {
        using var key = EvidenceSigningKey.Create();
        var text = "fingerprint of the key below\n" + key.PublicKey.Pem + "\nfingerprint " + key.PublicKey.Fingerprint + "\n";

        var read = EvidencePublicKey.FromPem(text);

        Assert.That(key.PublicKey.Pem, Does.StartWith("-----BEGIN PUBLIC KEY-----"));
        Assert.That(read.Fingerprint, Is.EqualTo(key.PublicKey.Fingerprint));
    }

    [Test]
    public void Keys_that_are_not_p256_or_not_keys_are_refused_with_a_reason()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.Multiple(() =>
        {
            Assert.That(() => EvidenceSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem()), Throws.ArgumentException.With.Message.Contains("not NIST P-256"));
            Assert.That(() => EvidencePublicKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()), Throws.ArgumentException.With.Message.Contains("not NIST P-256"));
            Assert.That(() => EvidencePublicKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()), Throws.ArgumentException.With.Message.Contains("not an ECDSA"));
            Assert.That(() => EvidenceSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()), Throws.ArgumentException);
            Assert.That(() => EvidencePublicKey.FromPem(p384.ExportPkcs8PrivateKeyPem()), Throws.ArgumentException.With.Message.Contains("private key"));
            Assert.That(() => EvidencePublicKey.FromPem("no key here"), Throws.ArgumentException.With.Message.Contains("BEGIN PUBLIC KEY"));
            Assert.That(() => EvidenceSigningKey.FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"), Throws.ArgumentException.With.Message.Contains("BEGIN PRIVATE KEY"));
            Assert.That(() => EvidencePublicKey.FromSubjectPublicKeyInfo([0x30, 0x03, 0x02, 0x01, 0x00]), Throws.ArgumentException);
        });
    }

    [Test]
    public void The_signature_field_names_the_algorithm_the_key_and_the_signature_and_parses_back()
    {
        using var key = EvidenceSigningKey.Create();

        var field = key.SignatureField(Manifest);
        var parsed = EvidenceSignature.Parse(field.Value);

        Assert.That(field.Name, Is.EqualTo("WARC-Crawler-Signature"));
        Assert.That(field.Value, Does.Match("^ecdsa-p256-sha256; keyid=sha256:[0-9a-f]{64}; sig=[A-Za-z0-9+/]+=*$"));
        Assert.That(parsed.Algorithm, Is.EqualTo("ecdsa-p256-sha256"));
        Assert.That(parsed.KeyId, Is.EqualTo(key.PublicKey.Fingerprint));
        Assert.That(key.PublicKey.Verify(Manifest, parsed.Signature), Is.True);
        Assert.That(EvidenceSignature.Check(field.Value, Manifest, key.PublicKey), Is.Null);
    }

    [Test]
    public void A_manifest_changed_by_one_byte_fails_the_check()
    {
        using var key = EvidenceSigningKey.Create();
        var field = key.SignatureField(Manifest);
        var changed = (byte[])Manifest.Clone();
        changed[^3] ^= 0x01;

        var problem = EvidenceSignature.Check(field.Value, changed, key.PublicKey);

        Assert.That(problem, Does.Contain("does not verify").And.Contain(key.PublicKey.Fingerprint));
    }

    [Test]
    public void A_signature_by_another_key_fails_whether_or_not_it_names_that_key()
    {
        using var key = EvidenceSigningKey.Create();
        using var other = EvidenceSigningKey.Create();
        var otherField = other.SignatureField(Manifest).Value;
        var posing = EvidenceSignature.Format(key.PublicKey.Fingerprint, other.Sign(Manifest));

        Assert.That(EvidenceSignature.Check(otherField, Manifest, key.PublicKey), Does.Contain($"names key {other.PublicKey.Fingerprint}"));
        Assert.That(EvidenceSignature.Check(posing, Manifest, key.PublicKey), Does.Contain("does not verify"));
    }

    [Test]
    public void A_der_encoded_signature_is_not_taken_for_p1363()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = EvidencePublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        var der = ecdsa.SignData(Manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.That(EvidenceSignature.Check(EvidenceSignature.Format(key.Fingerprint, der), Manifest, key), Does.Contain("does not verify"));
    }

    [TestCase(null, "not signed")]
    [TestCase("", "has no keyid")]
    [TestCase("ecdsa-p256-sha256; sig=AAAA", "has no keyid")]
    [TestCase("ecdsa-p256-sha256; keyid=sha256:00", "has no sig")]
    [TestCase("ecdsa-p256-sha256; keyid=sha256:00; sig=not base64!", "sig is not base64")]
    [TestCase("ecdsa-p256-sha256; keyid=sha256:00; sig=AAAA; sig=AAAA", "gives sig twice")]
    [TestCase("ecdsa-p256-sha256; keyid=sha256:00; sig=AAAA; by=forger", "unknown parameter 'by'")]
    [TestCase("rsa-sha1; keyid=sha256:00; sig=AAAA", "'rsa-sha1' is not ecdsa-p256-sha256")]
    public void A_missing_or_malformed_signature_field_is_a_sentence_not_an_exception(string? value, string expected)
    {
        using var key = EvidenceSigningKey.Create();

        Assert.That(EvidenceSignature.Check(value, Manifest, key.PublicKey), Does.Contain(expected));
    }
}
