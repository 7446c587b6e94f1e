using System.Security.Cryptography;
using System.Text;

namespace Crawler.Core.Hits;

/// <summary>
/// The pseudonymised value itself, sealed with AES-GCM under a key derived from the pseudonym key,
/// so that an officer can reveal it for a stated reason (logged) while nobody else reads it. The nonce
/// is derived from the value (deterministic, like the pseudonym itself): sealing stays a pure function,
/// and equal values seal equally, which reveals no more than equal pseudonyms already do.
/// </summary>
public static class ContactSeal
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static string Seal(byte[] pseudonymKey, string kind, string value)
    {
        var key = RevealKey(pseudonymKey);
        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("nonce\n" + kind + "\n" + value)).AsSpan(0, NonceBytes).ToArray();
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(kind));
        nonce.CopyTo(sealedBytes, 0);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The value, or null when the seal does not open under this key (altered, or another installation's).</summary>
    public static string? Open(byte[] pseudonymKey, string kind, string sealedText)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(sealedText);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var length = bytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(RevealKey(pseudonymKey), TagBytes);
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, length), bytes.AsSpan(NonceBytes + length), plain, Encoding.UTF8.GetBytes(kind));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] RevealKey(byte[] pseudonymKey) => HMACSHA256.HashData(pseudonymKey, "crawler reveal key v1"u8);
}
