using System.Collections;

namespace Crawler.Core.Hits;

/// <summary>
/// The header fields of one HTTP message head as the crawler sent or received them: in order, each field line its
/// own entry with its name as written (a repeated Set-Cookie stays two entries, never one comma-joined line, which
/// RFC 9110 section 5.3 forbids for it). <see cref="Wire"/> holds the head's exact bytes (start line, field lines,
/// the empty line) when they were read off the connection, and is null when the fields had to be reconstructed from
/// the parsed message.
/// </summary>
/// <remarks>
/// It is a list of fields so that whoever passes a fetch's header list on (into a <see cref="Snapshot"/>) passes
/// the wire bytes with it, without a second parameter to keep in step.
/// </remarks>
public sealed class HttpHeadFields(IReadOnlyList<KeyValuePair<string, string>> fields, byte[]? wire) : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _fields = fields ?? throw new ArgumentNullException(nameof(fields));

    /// <summary>The head exactly as it crossed the connection, or null when it was not captured there.</summary>
    public byte[]? Wire { get; } = wire;

    public int Count => _fields.Count;

    public KeyValuePair<string, string> this[int index] => _fields[index];

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
