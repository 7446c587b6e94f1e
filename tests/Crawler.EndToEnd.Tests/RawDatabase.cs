using System.Security.Cryptography;
using System.Text;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// A forensic look at the database file as it lies on disk: every page decrypted, free pages and the
/// write-ahead log included, the way someone holding the key (or a later key leak) would see it.
/// Written from LiteDB's documented format: the first page holds a flag byte and a 16-byte salt; the
/// rest is AES-256 in ECB mode under a PBKDF2 key (SHA-1, 1000 rounds) derived from the password.
/// </summary>
internal static class RawDatabase
{
    private const int PageSize = 8192;

    public static byte[] Plaintext(string file, string password)
    {
        var raw = File.ReadAllBytes(file);
        if (raw.Length < PageSize || raw[0] != 1)
        {
            throw new InvalidDataException($"{file}: not an encrypted LiteDB file");
        }

        var salt = raw.AsSpan(1, 16).ToArray();
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1000, HashAlgorithmName.SHA1, 32);
        using var aes = Aes.Create();
        aes.Key = key;
        var body = raw.AsSpan(PageSize);
        return aes.DecryptEcb(body[..(body.Length / 16 * 16)], PaddingMode.None);
    }

    /// <summary>The decrypted data file and, if present, its log: where erased data could linger.</summary>
    public static IEnumerable<(string File, byte[] Plain)> All(string dataDir, string password)
    {
        foreach (var f in Directory.GetFiles(dataDir, "*.db"))
        {
            if (new FileInfo(f).Length >= PageSize)
            {
                yield return (Path.GetFileName(f), Plaintext(f, password));
            }
        }
    }

    public static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
