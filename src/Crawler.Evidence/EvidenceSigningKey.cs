using System.Security.Cryptography;

namespace Crawler.Evidence;

/// <summary>
/// The private evidence signing key of an installation (ECDSA on NIST P-256). It signs the manifest of every
/// export, so that a recipient holding only the public key can tell the file is as it left the installation.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private EvidenceSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = EvidencePublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    public EvidencePublicKey PublicKey { get; }

    /// <summary>A new random key (for tests, and for whoever keeps keys elsewhere).</summary>
    public static EvidenceSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// The key from a PKCS#8 "PRIVATE KEY" PEM block, as <c>evidence.key</c> holds it. Throws
    /// <see cref="ArgumentException"/> saying what is wrong; the message never quotes the key.
    /// </summary>
    public static EvidenceSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("PRIVATE KEY"))
        {
            throw new ArgumentException("no PKCS#8 PEM block '-----BEGIN PRIVATE KEY-----' found", nameof(pem));
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            EvidencePublicKey.RequireP256(key, nameof(pem));
            return new EvidenceSigningKey(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException("not an ECDSA private key: " + e.Message, nameof(pem), e);
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>ECDSA over SHA-256 of <paramref name="data"/>, in IEEE P1363 form (r and s, 32 bytes each).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>The <see cref="EvidenceSignature.FieldName"/> field that signs <paramref name="block"/>, for the record holding it.</summary>
    public WarcHeader SignatureField(ReadOnlySpan<byte> block) =>
        new(EvidenceSignature.FieldName, EvidenceSignature.Format(PublicKey.Fingerprint, Sign(block)));

    public void Dispose() => _key.Dispose();
}
