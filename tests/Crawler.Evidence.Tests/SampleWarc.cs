using System.Text;

namespace Crawler.Evidence.Tests;

/// <summary>The evidence file most tests start from: warcinfo, two exchanges, a metadata and a resource record.</summary>
internal sealed record SampleWarc(
    byte[] Bytes,
    string WarcInfoId,
    (string RequestId, string ResponseId) First,
    (string RequestId, string ResponseId) Second,
    string MetadataId,
    string ResourceId)
{
    // Not UTC on purpose: the writer must convert to UTC ("2026-11-28T21:03:04Z").
    public static readonly DateTimeOffset FetchTime = new(2026, 11, 28, 22, 3, 4, TimeSpan.FromHours(1));

    public static readonly string[] Types = ["warcinfo", "request", "response", "request", "response", "metadata", "resource"];

    public static readonly byte[] FirstBody = Encoding.UTF8.GetBytes("<html><body>Escort Sanne, 19 jaar, bel 06-12345678</body></html>");

    // Binary, and holding the byte patterns a careless parser would split on.
    public static readonly byte[] SecondBody =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "\r\n\r\nWARC/1.1\r\nContent-Length: 3\r\n\r\n"u8, 0x00, 0xFF, 0xFE, 0x7F];

    public static readonly byte[] HitJson = Encoding.UTF8.GetBytes("""{"url":"http://ads.example.nl/1","score":0.91,"indicators":["age-stated-19"]}""");

    public static readonly byte[] ManifestJson = Encoding.UTF8.GetBytes("""{"case":"CASE-1","records":7}""");

    public static WarcExchange FirstExchange() => new(
        new Uri("http://ads.example.nl/advertentie/1?ref=zoek"),
        FetchTime,
        "192.0.2.10",
        "GET",
        [new("Host", "ads.example.nl"), new("User-Agent", "CrawlerEvidence/0.1 (+https://politie.example/crawler)"), new("Accept", "text/html")],
        200,
        "OK",
        [new("Content-Type", "text/html; charset=utf-8"), new("Content-Encoding", "gzip"), new("Content-Length", "61")],
        FirstBody);

    public static WarcExchange SecondExchange() => new(
        new Uri("https://img.example.nl/foto.png"),
        FetchTime.AddSeconds(2),
        null,
        "GET",
        [new("Host", "img.example.nl"), new("Accept", "image/*")],
        200,
        "OK",
        [new("Content-Type", "image/png"), new("Transfer-Encoding", "chunked")],
        SecondBody);

    public static SampleWarc Write(Stream output)
    {
        string info, metadata, resource;
        (string, string) first, second;
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            info = writer.WriteWarcInfo("evidence-CASE-1.warc.gz", FetchTime,
                [new("software", "Crawler.Evidence/0.1"), new("format", "WARC File Format 1.1"), new("operator", "sanne")]);
            first = writer.WriteExchange(FirstExchange(), info);
            second = writer.WriteExchange(SecondExchange(), info);
            metadata = writer.WriteMetadata(new Uri("http://ads.example.nl/advertentie/1?ref=zoek"), FetchTime.AddSeconds(5),
                "application/json", HitJson, refersTo: first.Item2, warcinfoId: info);
            resource = writer.WriteResource(new Uri("urn:crawler:manifest"), FetchTime.AddSeconds(6), "application/json", ManifestJson, info);
        }

        return new SampleWarc(ToArray(output), info, first, second, metadata, resource);
    }

    public static SampleWarc Create() => Write(new MemoryStream());

    private static byte[] ToArray(Stream output)
    {
        if (output is MemoryStream memory)
        {
            return memory.ToArray();
        }

        output.Position = 0;
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }
}
