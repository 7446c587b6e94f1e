using System.Buffers.Binary;
using System.Numerics;

namespace Crawler.Extraction;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit pseudo-random function, fast on short inputs. Without the
/// 128-bit key its outputs say nothing of the input, and the key cannot be recovered from pairs of input and output,
/// so a stored hash of a phone number cannot be checked against guessed numbers.
/// </summary>
internal readonly struct SipHash(ulong k0, ulong k1)
{
    public static SipHash FromKey(ReadOnlySpan<byte> key16) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(key16), BinaryPrimitives.ReadUInt64LittleEndian(key16[8..]));

    public ulong Hash(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Hash(bytes);
    }

    public ulong Hash(ReadOnlySpan<byte> data)
    {
        var v0 = 0x736f6d6570736575UL ^ k0;
        var v1 = 0x646f72616e646f6dUL ^ k1;
        var v2 = 0x6c7967656e657261UL ^ k0;
        var v3 = 0x7465646279746573UL ^ k1;
        var end = data.Length & ~7;
        for (var i = 0; i < end; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        var last = (ulong)data.Length << 56;
        for (var i = end; i < data.Length; i++)
        {
            last |= (ulong)data[i] << (8 * (i - end));
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
