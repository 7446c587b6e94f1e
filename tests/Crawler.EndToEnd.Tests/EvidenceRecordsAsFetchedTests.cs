using NUnit.Framework;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Crawler.Core.Hits;
using Crawler.Evidence;
using Crawler.Fetching;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Issue 20, records as fetched: a server on raw sockets decides every byte of its response heads (repeated
/// Set-Cookie, mixed-case and repeated field names, gzip inside chunked) and logs every request head; the exported
/// request record is the head it received, and the response record its head line for line.
/// </summary>
public sealed class EvidenceRecordsAsFetchedTests
{
    private const string SecondAd = "/advertentie/caf%C3%A9-groot.html?stad=den%20haag";

    private static readonly string[] AdHead =
    [
        "HTTP/1.1 200 OK",
        "Content-Type: text/html; charset=utf-8",
        "Set-Cookie: sessie=abc123; Path=/; HttpOnly",
        "x-Trace: een",
        "Set-Cookie: taal=nl; Path=/",
        "X-TRACE: twee",
        "content-encoding: gzip",
        "Transfer-Encoding: chunked",
        "Cache-control: no-cache",
    ];

    private static readonly byte[] AdBody = Encoding.UTF8.GetBytes(FixtureServer.AdPage("Lotte in Utrecht", "06-12345678", SecondAd));

    private static readonly byte[] SecondBody = Encoding.UTF8.GetBytes(FixtureServer.AdPage("Café Groot", "06-87654321"));

    private static byte[]? Respond(string path) => path switch
    {
        "/robots.txt" => RawSocketServer.Response(["HTTP/1.1 200 OK", "Content-Type: text/plain", "Content-Length: 24"], "User-agent: *\nDisallow:\n"u8.ToArray()),
        "/" => RawSocketServer.Response(AdHead, RawSocketServer.Chunked(Gzip(AdBody), 100)),
        SecondAd => RawSocketServer.Response(["HTTP/1.0 200 Okay then", "content-type: text/html; charset=utf-8", $"CONTENT-LENGTH: {SecondBody.Length}"], SecondBody),
        _ => null,
    };

    [Test]
    public async Task The_response_record_holds_the_head_as_sent_and_the_request_record_the_head_the_server_received()
    {
        await using var server = new RawSocketServer(Respond);
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(server.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: "snapshots: true");
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");

        await lab.Ok("evidence", "export", "--hits", "1", "2", "--out", file, "--recipient", "OM", "--as", "pieter");

        var records = ReadRecords(file);
        var response = records.Single(r => r.Type == "response" && r["WARC-Target-URI"] == server.BaseUrl.AbsoluteUri);
        var request = records.Single(r => r.Type == "request" && r["WARC-Target-URI"] == server.BaseUrl.AbsoluteUri);
        var (head, body) = Split(response.Block);
        string[] expected =
        [
            "HTTP/1.1 200 OK",
            "Content-Type: text/html; charset=utf-8",
            "Set-Cookie: sessie=abc123; Path=/; HttpOnly",
            "x-Trace: een",
            "Set-Cookie: taal=nl; Path=/",
            "X-TRACE: twee",
            "X-Crawler-Original-content-encoding: gzip",
            "X-Crawler-Original-Transfer-Encoding: chunked",
            "Cache-control: no-cache",
            $"Content-Length: {AdBody.Length}",
        ];
        Assert.Multiple(() =>
        {
            Assert.That(head.Split("\r\n"), Is.EqualTo(expected), "every field as sent, in order, one line each; only the framing renamed");
            Assert.That(body, Is.EqualTo(AdBody), "the body decoded");
            Assert.That(request.Block, Is.EqualTo(server.Requests.Single(r => r.Path == "/").Head), "the request head the server received, byte for byte");
            Assert.That(response[WarcWriter.HeadSourceField], Is.EqualTo("wire"));
            Assert.That(request[WarcWriter.HeadSourceField], Is.EqualTo("wire"));
        });
        var sentRequest = Encoding.Latin1.GetString(request.Block);
        foreach (var name in new[] { "User-Agent", "Accept", "Accept-Encoding", "Host" })
        {
            Assert.That(sentRequest.Split("\r\n").Count(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)), Is.EqualTo(1), $"{name} once");
        }

        var verify = await lab.Run("evidence", "verify", file);
        Assert.That(verify.Code, Is.EqualTo(0), verify.Out);
    }

    [Test]
    public async Task An_http_1_0_answer_keeps_its_status_line_and_names_and_one_url_form_runs_through_records_manifest_and_metadata()
    {
        await using var server = new RawSocketServer(Respond);
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(server.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: "snapshots: true");
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");

        await lab.Ok("evidence", "export", "--hits", "1", "2", "--out", file, "--recipient", "OM", "--as", "pieter");

        var records = ReadRecords(file);
        var escaped = new Uri(server.BaseUrl, SecondAd).AbsoluteUri;
        var response = records.Single(r => r.Type == "response" && r["WARC-Target-URI"] != server.BaseUrl.AbsoluteUri);
        var metadata = records.Single(r => r.Type == "metadata" && r["WARC-Refers-To"] == response.RecordId);
        var manifest = JsonDocument.Parse(records[^1].Block).RootElement;
        var (head, _) = Split(response.Block);
        Assert.Multiple(() =>
        {
            Assert.That(escaped, Does.Contain("caf%C3%A9-groot.html?stad=den%20haag"));
            Assert.That(response["WARC-Target-URI"], Is.EqualTo(escaped));
            Assert.That(JsonDocument.Parse(metadata.Block).RootElement.GetProperty("url").GetString(), Is.EqualTo(escaped));
            Assert.That(metadata["WARC-Target-URI"], Is.EqualTo(escaped));
            Assert.That(manifest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("url").GetString()), Does.Contain(escaped));
            Assert.That(head.Split("\r\n"), Is.EqualTo(new[]
            {
                "HTTP/1.0 200 Okay then", "content-type: text/html; charset=utf-8", $"CONTENT-LENGTH: {SecondBody.Length}",
            }), "a length that states the stored body stays as it was sent");
            Assert.That(server.Requests.Select(r => r.Path), Does.Contain(SecondAd), "the request line the server received");
        });
    }

    [Test]
    public async Task Over_tls_the_tap_sits_above_the_encryption_and_catches_the_heads_as_sent()
    {
        using var certificate = SelfSigned();
        await using var server = new RawSocketServer(Respond, certificate);
        using var handler = new SocketsHttpHandler
        {
            PlaintextStreamFilter = HeadTap.Filter,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString() },
        };
        using var client = new HttpClient(handler);

        var heads = HeadTap.Begin();
        using var response = await client.GetAsync(server.BaseUrl);
        var secondHeads = HeadTap.Begin();
        using var second = await client.GetAsync(new Uri(server.BaseUrl, SecondAd));

        Assert.That(heads.RequestHead, Is.EqualTo(server.Requests[0].Head));
        Assert.That(Encoding.Latin1.GetString(heads.ResponseHead!), Is.EqualTo(string.Concat(AdHead.Select(l => l + "\r\n")) + "\r\n"));
        Assert.That(secondHeads.RequestHead, Is.EqualTo(server.Requests[1].Head), "the second exchange, on the same connection, pairs with its own heads");
        Assert.That(Encoding.Latin1.GetString(secondHeads.ResponseHead!), Does.StartWith("HTTP/1.0 200 Okay then\r\n"));
    }

    [Test]
    public void Header_lists_that_carry_the_wire_bytes_hand_them_to_the_snapshot_and_old_snapshots_have_none()
    {
        var request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray();
        var response = "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"u8.ToArray();
        var fields = new HttpHeadFields([new("Set-Cookie", "a=1"), new("Set-Cookie", "b=2")], response);

        var snapshot = new Snapshot(1, 1, "http://x/", DateTimeOffset.UnixEpoch, null, 200, "OK", new HttpHeadFields([new("Host", "x")], request), fields, [], "");
        var old = new Snapshot(1, 1, "http://x/", DateTimeOffset.UnixEpoch, null, 200, "OK", [new("Host", "x")], [new("Set-Cookie", "a=1, b=2")], [], "");

        Assert.That(snapshot.RequestHead, Is.EqualTo(request));
        Assert.That(snapshot.ResponseHead, Is.EqualTo(response));
        Assert.That(snapshot with { Body = [1] }, Has.Property(nameof(Snapshot.ResponseHead)).EqualTo(response));
        Assert.That(old.RequestHead, Is.Null);
        Assert.That(old.ResponseHead, Is.Null);
    }

    internal static List<WarcRecord> ReadRecords(string file)
    {
        using var stream = File.OpenRead(file);
        return [.. WarcReader.Read(stream)];
    }

    private static (string Head, byte[] Body) Split(byte[] block)
    {
        var end = block.AsSpan().IndexOf("\r\n\r\n"u8);
        return (Encoding.Latin1.GetString(block, 0, end), block[(end + 4)..]);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // SslStream on Linux wants the key in an exportable, re-imported form.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
