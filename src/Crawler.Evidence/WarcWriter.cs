using System.IO.Compression;
using System.Text;

namespace Crawler.Evidence;

/// <summary>
/// Writes WARC 1.1 records (ISO 28500:2017), each as its own gzip member, so a reader can seek straight to
/// any record. Every value is checked before anything is written, so a refused call leaves no partial record.
/// </summary>
public sealed class WarcWriter : IDisposable
{
    // The fields ISO 28500:2017 defines: an extension field may not pose as one of them.
    private static readonly HashSet<string> DefinedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "WARC-Record-ID", "Content-Length", "WARC-Date", "WARC-Type", "Content-Type", "WARC-Concurrent-To", "WARC-Block-Digest",
        "WARC-Payload-Digest", "WARC-IP-Address", "WARC-Refers-To", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date",
        "WARC-Target-URI", "WARC-Truncated", "WARC-Warcinfo-ID", "WARC-Filename", "WARC-Profile", "WARC-Identified-Payload-Type",
        "WARC-Segment-Number", "WARC-Segment-Origin-ID", "WARC-Segment-Total-Length",
    };

    /// <summary>
    /// The extension field on request and response records that says where their HTTP heads come from: "wire" (the
    /// bytes tapped at the connection) or "reconstructed" (each field rebuilt from the parsed message, in order).
    /// </summary>
    public const string HeadSourceField = "WARC-Crawler-Head-Source";

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly List<WarcRecordEntry> _written = [];
    private bool _disposed;

    /// <summary>Writes to <paramref name="output"/>, which is disposed with the writer unless <paramref name="leaveOpen"/> is set.</summary>
    public WarcWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("stream is not writable", nameof(output));
        }

        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>
    /// Every record written so far, in file order, with the id, type, target and digest labels exactly as written:
    /// what a manifest lists so that its signature binds the records before it.
    /// </summary>
    public IReadOnlyList<WarcRecordEntry> Written => _written.AsReadOnly();

    /// <summary>A warcinfo record with an application/warc-fields body; returns its WARC-Record-ID.</summary>
    public string WriteWarcInfo(string filename, DateTimeOffset date, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        WarcSyntax.RequireSingleLine(filename, "filename", nameof(filename));
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            WarcSyntax.RequireToken(name, "warcinfo field name", nameof(fields));
            WarcSyntax.RequireSingleLine(value, $"value of warcinfo field {name}", nameof(fields));
            body.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        var id = NewRecordId();
        WriteRecord("warcinfo", id, date, "application/warc-fields", Encoding.UTF8.GetBytes(body.ToString()),
            [new("WARC-Filename", filename)], payloadDigest: null);
        return id;
    }

    /// <summary>
    /// A request record followed by its response record, each pointing at the other with WARC-Concurrent-To.
    /// Returns both record ids.
    /// </summary>
    public (string RequestId, string ResponseId) WriteExchange(WarcExchange exchange, string? warcinfoId = null)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var target = WarcSyntax.TargetUri(exchange.TargetUri, nameof(exchange));
        var ip = exchange.IpAddress is null ? null : WarcSyntax.IpAddress(exchange.IpAddress, nameof(exchange));
        OptionalRecordId(warcinfoId, nameof(warcinfoId));
        var request = HttpBlocks.Request(exchange, nameof(exchange));
        var response = HttpBlocks.Response(exchange, nameof(exchange));

        var requestId = NewRecordId();
        var responseId = NewRecordId();
        // Says whether the HTTP heads are the bytes that crossed the connection or were rebuilt from the parsed message.
        var source = new WarcHeader(HeadSourceField, exchange.HeadSource);
        WriteRecord("request", requestId, exchange.Date, "application/http;msgtype=request", request,
            [.. Links(warcinfoId, responseId, target, ip), source], payloadDigest: null);
        WriteRecord("response", responseId, exchange.Date, "application/http;msgtype=response", response,
            [.. Links(warcinfoId, requestId, target, ip), source], payloadDigest: WarcVerifier.Sha256Label(exchange.Body));
        return (requestId, responseId);
    }

    /// <summary>A metadata record about <paramref name="targetUri"/>, optionally with WARC-Refers-To the record it describes.</summary>
    public string WriteMetadata(Uri targetUri, DateTimeOffset date, string contentType, byte[] block, string? refersTo = null, string? warcinfoId = null)
    {
        var target = WarcSyntax.TargetUri(targetUri, nameof(targetUri));
        WarcSyntax.RequireSingleLine(contentType, "content type", nameof(contentType));
        ArgumentNullException.ThrowIfNull(block);
        OptionalRecordId(refersTo, nameof(refersTo));
        OptionalRecordId(warcinfoId, nameof(warcinfoId));

        var extra = new List<WarcHeader>();
        if (warcinfoId is not null)
        {
            extra.Add(new("WARC-Warcinfo-ID", warcinfoId));
        }

        if (refersTo is not null)
        {
            extra.Add(new("WARC-Refers-To", refersTo));
        }

        extra.Add(new("WARC-Target-URI", target));
        var id = NewRecordId();
        WriteRecord("metadata", id, date, contentType, block, extra, payloadDigest: null);
        return id;
    }

    /// <summary>
    /// A resource record, such as the export manifest under a target like <c>urn:crawler:manifest</c>.
    /// <paramref name="extensionFields"/> are added as named fields of the record (WARC 1.1 allows fields it does
    /// not define), e.g. a signature of the block; each must be a field name ISO 28500 does not define, with a
    /// one-line value.
    /// </summary>
    public string WriteResource(Uri targetUri, DateTimeOffset date, string contentType, byte[] block, string? warcinfoId = null,
        IReadOnlyList<WarcHeader>? extensionFields = null)
    {
        var target = WarcSyntax.TargetUri(targetUri, nameof(targetUri));
        WarcSyntax.RequireSingleLine(contentType, "content type", nameof(contentType));
        ArgumentNullException.ThrowIfNull(block);
        OptionalRecordId(warcinfoId, nameof(warcinfoId));
        foreach (var field in extensionFields ?? [])
        {
            ArgumentNullException.ThrowIfNull(field, nameof(extensionFields));
            WarcSyntax.RequireToken(field.Name, "extension field name", nameof(extensionFields));
            if (DefinedFields.Contains(field.Name))
            {
                throw new ArgumentException($"{field.Name} is a field ISO 28500 defines, not an extension field; the writer sets it itself", nameof(extensionFields));
            }

            WarcSyntax.RequireSingleLine(field.Value, $"value of extension field {field.Name}", nameof(extensionFields));
        }

        var extra = new List<WarcHeader>();
        if (warcinfoId is not null)
        {
            extra.Add(new("WARC-Warcinfo-ID", warcinfoId));
        }

        extra.Add(new("WARC-Target-URI", target));
        extra.AddRange(extensionFields ?? []);
        var id = NewRecordId();
        WriteRecord("resource", id, date, contentType, block, extra, payloadDigest: null);
        return id;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _output.Flush();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private static string NewRecordId() => "<urn:uuid:" + Guid.NewGuid().ToString("D") + ">";

    private static void OptionalRecordId(string? id, string paramName)
    {
        if (id is not null)
        {
            WarcSyntax.RequireRecordId(id, paramName);
        }
    }

    private static List<WarcHeader> Links(string? warcinfoId, string concurrentTo, string target, string? ip)
    {
        var links = new List<WarcHeader>();
        if (warcinfoId is not null)
        {
            links.Add(new("WARC-Warcinfo-ID", warcinfoId));
        }

        links.Add(new("WARC-Concurrent-To", concurrentTo));
        links.Add(new("WARC-Target-URI", target));
        if (ip is not null)
        {
            links.Add(new("WARC-IP-Address", ip));
        }

        return links;
    }

    private void WriteRecord(string type, string id, DateTimeOffset date, string contentType, byte[] block, List<WarcHeader> extra, string? payloadDigest)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        var head = new StringBuilder();
        void Field(string name, string value) => head.Append(name).Append(": ").Append(value).Append("\r\n");

        head.Append("WARC/1.1\r\n");
        Field("WARC-Type", type);
        Field("WARC-Record-ID", id);
        Field("WARC-Date", WarcSyntax.Date(date));
        Field("Content-Length", block.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field("Content-Type", contentType);
        foreach (var header in extra)
        {
            Field(header.Name, header.Value);
        }

        var blockDigest = WarcVerifier.Sha256Label(block);
        Field("WARC-Block-Digest", blockDigest);
        if (payloadDigest is not null)
        {
            Field("WARC-Payload-Digest", payloadDigest);
        }

        head.Append("\r\n");

        // A fresh GZipStream per record makes each record its own gzip member.
        using var member = new GZipStream(_output, CompressionLevel.Optimal, leaveOpen: true);
        member.Write(Encoding.UTF8.GetBytes(head.ToString()));
        member.Write(block);
        member.Write("\r\n\r\n"u8);
        _written.Add(new WarcRecordEntry(_written.Count, id, type, extra.FirstOrDefault(h => h.Name == "WARC-Target-URI")?.Value, blockDigest, payloadDigest));
    }
}
