namespace Crawler.Evidence;

/// <summary>The input is not a well-formed <c>.warc.gz</c> file; says which record and where.</summary>
public sealed class WarcFormatException : Exception
{
    public WarcFormatException(int recordIndex, long offset, string problem, Exception? inner = null)
        : base($"record {recordIndex} (gzip member at byte offset {offset}): {problem}", inner)
    {
        RecordIndex = recordIndex;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Zero-based index of the record being read when the problem was found.</summary>
    public int RecordIndex { get; }

    /// <summary>Byte offset in the compressed file of the gzip member being read.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the position prefix.</summary>
    public string Problem { get; }
}
