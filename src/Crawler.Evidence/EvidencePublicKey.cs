using System.Security.Cryptography;

namespace Crawler.Evidence;

/// <summary>
/// The public half of an evidence signing key (ECDSA on NIST P-256): all a recipient needs to check a file's
/// signature offline. Its <see cref="Fingerprint"/> is what the exporting installation publishes and what the
/// recipient compares.
/// </summary>
public sealed class EvidencePublicKey
{
    /// <summary>The only signature algorithm there is: ECDSA on P-256 over SHA-256, signatures in IEEE P1363 form.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly byte[] _spki;

    private EvidencePublicKey(byte[] spki)
    {
        _spki = spki;
        Fingerprint = FingerprintOf(spki);
    }

    /// <summary>"sha256:" and the lower-case hex SHA-256 of the SubjectPublicKeyInfo DER.</summary>
    public string Fingerprint { get; }

    /// <summary>The SubjectPublicKeyInfo DER (a copy).</summary>
    public byte[] SubjectPublicKeyInfo => (byte[])_spki.Clone();

    /// <summary>The SubjectPublicKeyInfo as a PEM "PUBLIC KEY" block.</summary>
    public string Pem => PemEncoding.WriteString("PUBLIC KEY", _spki);

    /// <summary>"sha256:" and the lower-case hex SHA-256 of <paramref name="spki"/>.</summary>
    public static string FingerprintOf(ReadOnlySpan<byte> spki) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));

    /// <summary>
    /// A P-256 key from its SubjectPublicKeyInfo DER. Only the named-curve encoding .NET writes is taken, so a key
    /// has exactly one fingerprint. Throws <see cref="ArgumentException"/> saying what is wrong.
    /// </summary>
    public static EvidencePublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new ArgumentException("the public key has bytes after its SubjectPublicKeyInfo", nameof(spki));
            }
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException("not an ECDSA SubjectPublicKeyInfo: " + e.Message, nameof(spki), e);
        }

        RequireP256(key, nameof(spki));
        var canonical = key.ExportSubjectPublicKeyInfo();
        if (!canonical.AsSpan().SequenceEqual(spki))
        {
            throw new ArgumentException("the public key is not in the named-curve SubjectPublicKeyInfo form", nameof(spki));
        }

        return new EvidencePublicKey(canonical);
    }

    /// <summary>The first "PUBLIC KEY" PEM block in <paramref name="text"/>; throws <see cref="ArgumentException"/> when there is none or it is not a P-256 key.</summary>
    public static EvidencePublicKey FromPem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.SequenceEqual("PUBLIC KEY"))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written) || written != der.Length)
                {
                    throw new ArgumentException("the PUBLIC KEY block is not base64", nameof(text));
                }

                return FromSubjectPublicKeyInfo(der);
            }

            if (label.EndsWith("PRIVATE KEY"))
            {
                throw new ArgumentException("the file holds a private key; give the public key ('crawler evidence public-key' prints it)", nameof(text));
            }

            rest = rest[fields.Location.End..];
        }

        throw new ArgumentException("no PEM block '-----BEGIN PUBLIC KEY-----' found", nameof(text));
    }

    /// <summary>Whether <paramref name="signature"/> (IEEE P1363, 64 bytes) is this key's ECDSA signature of SHA-256 over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    internal static void RequireP256(ECDsa key, string paramName)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != P256Oid)
        {
            throw new ArgumentException($"the key is on curve {curve.Oid?.Value ?? "(explicit)"}, not NIST P-256 ({P256Oid})", paramName);
        }
    }
}
