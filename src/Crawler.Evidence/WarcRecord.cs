namespace Crawler.Evidence;

/// <summary>
/// One record as read back from a <c>.warc.gz</c> file.
/// </summary>
/// <param name="Offset">
/// Byte offset, in the compressed file, of the gzip member the record starts in. With one record per
/// member (what <see cref="WarcWriter"/> writes) that is where a reader can seek to read this record alone;
/// when several records share one member they all carry that member's offset.
/// </param>
/// <param name="Headers">The named fields in file order; a name may repeat (WARC-Concurrent-To does).</param>
/// <param name="Block">Exactly Content-Length bytes.</param>
public sealed record WarcRecord(long Offset, IReadOnlyList<WarcHeader> Headers, byte[] Block)
{
    /// <summary>The value of the first field with this name (names compare case-insensitively), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var header in Headers)
            {
                if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Every value of the fields with this name, in file order.</summary>
    public IEnumerable<string> ValuesOf(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>WARC-Type, or an empty string when the record has none.</summary>
    public string Type => this["WARC-Type"] ?? "";

    /// <summary>WARC-Record-ID, or an empty string when the record has none.</summary>
    public string RecordId => this["WARC-Record-ID"] ?? "";
}
