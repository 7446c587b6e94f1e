namespace Crawler.Evidence;

/// <summary>RFC 4648 section 6 base32 (alphabet A-Z 2-7), the encoding WARC digest labels customarily use.</summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>
    /// Upper case, padded with '=' to a multiple of 8 characters as RFC 4648 section 6 writes it: the form warcio
    /// (JS and Python) and pywb write, and the form Python warcio's checker decodes as base32 (it takes a shorter
    /// value for base64, so an unpadded SHA-256 of 52 characters would read to it as a failed digest).
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length + 4) / 5 * 8];
        var accumulator = 0;
        var bits = 0;
        var o = 0;
        foreach (var b in data)
        {
            // At most 4 bits are left over between bytes, so 12 bits of accumulator suffice.
            accumulator = ((accumulator << 8) | b) & 0xFFF;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[o++] = Alphabet[(accumulator >> bits) & 31];
            }
        }

        if (bits > 0)
        {
            chars[o++] = Alphabet[(accumulator << (5 - bits)) & 31];
        }

        chars.AsSpan(o).Fill('=');
        return new string(chars);
    }

    /// <summary>
    /// Accepts either case, padded or not (exports from before padding wrote 52 characters for a SHA-256). Refuses text whose unused trailing bits are not
    /// zero, so one digest has exactly one accepted spelling per case.
    /// </summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        var unpadded = text.TrimEnd('=');
        if (unpadded.Length != text.Length && (text.Length % 8 != 0 || text.Length - unpadded.Length >= 8))
        {
            // Padding, where given, fills exactly the last group of 8.
            return null;
        }

        text = unpadded;
        var output = new byte[text.Length * 5 / 8];
        var accumulator = 0;
        var bits = 0;
        var o = 0;
        foreach (var c in text)
        {
            var value = Value(c);
            if (value < 0)
            {
                return null;
            }

            accumulator = ((accumulator << 5) | value) & 0x1FFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output[o++] = (byte)(accumulator >> bits);
            }
        }

        var unused = accumulator & ((1 << bits) - 1);
        return bits >= 5 || unused != 0 ? null : output;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };
}
