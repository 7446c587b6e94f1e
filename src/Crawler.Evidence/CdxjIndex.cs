using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Crawler.Evidence;

/// <summary>
/// A CDXJ index of a <c>.warc.gz</c> (pywb's CDXJ, as WACZ 1.1.1 asks for in <c>indexes/</c>): one line per
/// replayable record, "SURT timestamp {json}", the JSON holding url, mime, status, digest, length, offset and
/// filename. It follows what warcio's <c>cdx-index</c> writes, so the two can be compared line for line: responses
/// (their request records are not indexed), metadata and resource records except application/warc-fields ones;
/// the digest is the payload digest without its "sha256:" label; offset and length are those of the record's gzip
/// member. Lines are sorted, so a reader can search them.
/// </summary>
public static partial class CdxjIndex
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The index lines (without line ends) of every record in <paramref name="warcGz"/>, named <paramref name="filename"/> in them.</summary>
    /// <exception cref="WarcFormatException">The file is not a readable WARC.</exception>
    public static IReadOnlyList<string> Build(Stream warcGz, string filename)
    {
        ArgumentNullException.ThrowIfNull(warcGz);
        ArgumentNullException.ThrowIfNull(filename);
        var length = warcGz.CanSeek ? warcGz.Length : throw new ArgumentException("the index needs a seekable stream (record lengths)", nameof(warcGz));
        var records = WarcReader.Read(warcGz).ToList();
        var lines = new List<string>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var memberLength = (i + 1 < records.Count ? records[i + 1].Offset : length) - record.Offset;
            if (Line(record, memberLength, filename) is { } line)
            {
                lines.Add(line);
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>
    /// The SURT form warcio's indexer uses as the sort key: a leading "www." (or www2., ...) dropped, everything in
    /// lower case, host labels reversed and joined by commas, an explicit port kept, then ")" and the path, then the
    /// query's arguments sorted. Anything but http(s) stays as it is.
    /// </summary>
    public static string Surt(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith("http:", StringComparison.Ordinal) && !url.StartsWith("https:", StringComparison.Ordinal))
        {
            return url;
        }

        var lower = Www().Replace(url, "$1").ToLowerInvariant();
        if (!Uri.TryCreate(lower, UriKind.Absolute, out var uri))
        {
            return url;
        }

        var surt = new StringBuilder(string.Join(',', uri.Host.Split('.').Reverse()));
        if (!uri.IsDefaultPort)
        {
            surt.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
        }

        surt.Append(')').Append(uri.AbsolutePath);
        if (uri.Query.Length > 1)
        {
            surt.Append('?').AppendJoin('&', uri.Query[1..].Split('&').Order(StringComparer.Ordinal));
        }

        return surt.ToString();
    }

    private static string? Line(WarcRecord record, long memberLength, string filename)
    {
        var type = record.Type;
        var contentType = record["Content-Type"];
        if (type is "request" or "warcinfo" ||
            (type is "metadata" or "resource" && string.Equals(contentType, "application/warc-fields", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var target = record["WARC-Target-URI"];
        string? mime;
        string? status = null;
        if (type == "response")
        {
            var (code, httpType) = HttpHead(record.Block);
            status = code;
            mime = httpType?.Split(';', 2)[0].Trim();
        }
        else
        {
            mime = contentType;
        }

        var digest = record["WARC-Payload-Digest"] is { } label && label.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0
            ? label[(colon + 1)..]
            : null;
        var date = (record["WARC-Date"] ?? "").Replace("-", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal)
            .Replace("T", "", StringComparison.Ordinal);

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            Optional(writer, "url", target);
            Optional(writer, "mime", mime);
            Optional(writer, "status", status);
            Optional(writer, "digest", digest);
            writer.WriteString("length", memberLength.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("offset", record.Offset.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("filename", filename);
            writer.WriteEndObject();
        }

        return $"{(target is null ? "" : Surt(target))} {date[..Math.Min(14, date.Length)]} {Encoding.UTF8.GetString(json.ToArray())}";
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>The status code and Content-Type of an HTTP response block (the first Content-Type field), as far as they can be read.</summary>
    private static (string? Status, string? ContentType) HttpHead(byte[] block)
    {
        var end = block.AsSpan().IndexOf("\r\n\r\n"u8);
        var lines = Encoding.Latin1.GetString(block, 0, end < 0 ? block.Length : end).Split("\r\n");
        var status = lines[0].Split(' ') is [_, var code, ..] && code.Length == 3 ? code : null;
        var type = lines.Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        return (status, type?[1].Trim());
    }

    [GeneratedRegex(@"^(https?://)www\d*\.")]
    private static partial Regex Www();
}
