using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>
/// A second reader, written apart from the library the way an expert for the defence might: decompress the
/// whole file with the stock GZipStream, split records by their Content-Length, decode the digest labels with
/// its own base32 decoder. It shares no code with Crawler.Evidence, so a bug there cannot hide here.
/// </summary>
internal static class IndependentWarcReader
{
    internal sealed record Record(List<KeyValuePair<string, string>> Fields, byte[] Block)
    {
        public string? Field(string name) =>
            Fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        /// <summary>The entity body of an HTTP block: everything after the first empty line.</summary>
        public byte[] HttpPayload()
        {
            for (var i = 0; i + 3 < Block.Length; i++)
            {
                if (Block[i] == '\r' && Block[i + 1] == '\n' && Block[i + 2] == '\r' && Block[i + 3] == '\n')
                {
                    return Block[(i + 4)..];
                }
            }

            throw new AssertionException("HTTP block without an empty line");
        }
    }

    public static List<Record> Read(byte[] warcGz)
    {
        byte[] all;
        using (var gzip = new GZipStream(new MemoryStream(warcGz), CompressionMode.Decompress))
        using (var plain = new MemoryStream())
        {
            gzip.CopyTo(plain);
            all = plain.ToArray();
        }

        var records = new List<Record>();
        var pos = 0;
        while (pos < all.Length)
        {
            Assert.That(NextLine(all, ref pos), Is.EqualTo("WARC/1.1"), $"version line at decompressed offset {pos}");
            var fields = new List<KeyValuePair<string, string>>();
            for (var line = NextLine(all, ref pos); line.Length > 0; line = NextLine(all, ref pos))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                Assert.That(colon, Is.GreaterThan(0), $"field line '{line}'");
                fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
            }

            var length = int.Parse(fields.Single(f => f.Key == "Content-Length").Value, System.Globalization.CultureInfo.InvariantCulture);
            var block = all[pos..(pos + length)];
            pos += length;
            Assert.That(Encoding.ASCII.GetString(all, pos, 4), Is.EqualTo("\r\n\r\n"), "record trailer");
            pos += 4;
            records.Add(new Record(fields, block));
        }

        return records;
    }

    /// <summary>Decodes "sha256:BASE32" or "sha256:HEX" into the 32 digest bytes.</summary>
    public static byte[] DigestBytes(string label)
    {
        Assert.That(label, Does.StartWith("sha256:"));
        var value = label["sha256:".Length..];
        return value.Length == 64 ? Convert.FromHexString(value) : DecodeBase32(value);
    }

    public static byte[] Sha256(byte[] data) => SHA256.HashData(data);

    /// <summary>RFC 4648 base32, done bit by bit: slow and obviously right.</summary>
    public static byte[] DecodeBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = new List<int>();
        foreach (var c in text.TrimEnd('='))
        {
            var value = alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            Assert.That(value, Is.GreaterThanOrEqualTo(0), $"'{c}' is not a base32 character");
            for (var shift = 4; shift >= 0; shift--)
            {
                bits.Add((value >> shift) & 1);
            }
        }

        var bytes = new byte[bits.Count / 8];
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                bytes[i] = (byte)((bytes[i] << 1) | bits[(i * 8) + j]);
            }
        }

        Assert.That(bits.Skip(bytes.Length * 8), Is.All.EqualTo(0), "leftover base32 bits must be zero");
        return bytes;
    }

    private static string NextLine(byte[] data, ref int pos)
    {
        var start = pos;
        while (!(data[pos] == '\r' && data[pos + 1] == '\n'))
        {
            pos++;
        }

        var line = Encoding.UTF8.GetString(data, start, pos - start);
        pos += 2;
        return line;
    }
}
