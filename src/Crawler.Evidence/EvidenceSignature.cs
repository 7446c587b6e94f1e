namespace Crawler.Evidence;

/// <summary>
/// The signature of a record's block, carried as a WARC 1.1 extension field on that record:
/// <c>WARC-Crawler-Signature: ecdsa-p256-sha256; keyid=sha256:&lt;hex&gt;; sig=&lt;base64&gt;</c>.
/// It covers the block bytes exactly as stored, so nothing needs to be re-serialised to check it.
/// </summary>
public static class EvidenceSignature
{
    public const string FieldName = "WARC-Crawler-Signature";

    /// <summary>The field value for a signature by the key with fingerprint <paramref name="keyId"/>.</summary>
    public static string Format(string keyId, ReadOnlySpan<byte> signature) =>
        $"{EvidencePublicKey.Algorithm}; keyid={keyId}; sig={Convert.ToBase64String(signature)}";

    /// <summary>The parts of a field value; throws <see cref="FormatException"/> naming what is malformed.</summary>
    public static ParsedSignature Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        string? keyId = null;
        byte[]? signature = null;
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var text = eq < 0 ? "" : part[(eq + 1)..];
            switch (name)
            {
                case "keyid" when keyId is null:
                    keyId = text;
                    break;
                case "sig" when signature is null:
                    try
                    {
                        signature = Convert.FromBase64String(text);
                    }
                    catch (FormatException)
                    {
                        throw new FormatException("its sig is not base64");
                    }

                    break;
                case "keyid" or "sig":
                    throw new FormatException($"it gives {name} twice");
                default:
                    throw new FormatException($"unknown parameter '{WarcSyntax.Printable(name)}'");
            }
        }

        return new ParsedSignature(parts[0], keyId ?? throw new FormatException("it has no keyid"), signature ?? throw new FormatException("it has no sig"));
    }

    /// <summary>
    /// Null when <paramref name="fieldValue"/> is a valid signature by <paramref name="key"/> over <paramref name="block"/>;
    /// otherwise why not, as one sentence.
    /// </summary>
    public static string? Check(string? fieldValue, ReadOnlySpan<byte> block, EvidencePublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (fieldValue is null)
        {
            return $"the record has no {FieldName} field: it is not signed";
        }

        ParsedSignature parsed;
        try
        {
            parsed = Parse(fieldValue);
        }
        catch (FormatException e)
        {
            return $"the {FieldName} field is malformed: {e.Message}";
        }

        if (parsed.Algorithm != EvidencePublicKey.Algorithm)
        {
            return $"the signature algorithm '{WarcSyntax.Printable(parsed.Algorithm)}' is not {EvidencePublicKey.Algorithm}";
        }

        if (parsed.KeyId != key.Fingerprint)
        {
            return $"the signature names key {WarcSyntax.Printable(parsed.KeyId)}, not {key.Fingerprint}";
        }

        return parsed.Signature.Length == 64 && key.Verify(block, parsed.Signature)
            ? null
            : $"the signature does not verify with key {key.Fingerprint}: the manifest was changed after it was signed";
    }
}

/// <summary>A parsed signature field: the algorithm, the signing key's fingerprint and the raw signature.</summary>
public sealed record ParsedSignature(string Algorithm, string KeyId, byte[] Signature);
