using System.IO.Compression;

namespace Crawler.Evidence.Tests;

/// <summary>Ways of damaging an evidence file, as an accident or a forger might.</summary>
internal static class Tamper
{
    public static byte[] Decompress(byte[] gz)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    public static byte[] CompressAsOneMember(byte[] plain)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return output.ToArray();
    }

    public static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        return at >= 0 ? at : throw new InvalidOperationException("needle not found");
    }

    public static byte[] Flip(byte[] data, long position, byte mask = 0xFF)
    {
        var copy = (byte[])data.Clone();
        copy[position] ^= mask;
        return copy;
    }
}
