using System.Text;

namespace Crawler.Documents;

/// <summary>
/// The text of a user's input file, decoded strictly: a byte that is not UTF-8 is an error at its line and column,
/// never a silent U+FFFD that would be stored in a case name or a scope pattern, altered.
/// </summary>
public static class InputText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 (a leading byte-order mark is dropped), or throws an <see cref="InputException"/>.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new InputException(new InputProblem(file, 1, 1, "(document)", "the file is UTF-16; save it as UTF-8"));
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var (line, column) = Locate(bytes, Math.Max(0, ex.Index));
            var bad = ex.BytesUnknown is { Length: > 0 } unknown ? Convert.ToHexString(unknown[..1]) : "?";
            throw new InputException(new InputProblem(file, line, column, "(document)",
                $"byte 0x{bad} is not UTF-8; save the file as UTF-8 (nothing was changed)"));
        }
    }

    /// <summary>The line and column (in characters) of byte <paramref name="index"/>.</summary>
    private static (int Line, int Column) Locate(ReadOnlySpan<byte> bytes, int index)
    {
        index = Math.Min(index, bytes.Length);
        var before = bytes[..index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;

        // The part of the line before the bad byte is valid UTF-8, so it can be counted in characters.
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return (line, column);
    }
}
