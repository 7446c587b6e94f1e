using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>
/// Hostile pages choose header values and URLs; none of them may add a field or a record to the evidence,
/// and a refused call must leave nothing behind.
/// </summary>
public sealed class WriterInputTests
{
    private const string Injection = "x\r\nWARC-Type: resource";

    private static IEnumerable<TestCaseData> HostileExchanges()
    {
        var ok = SampleWarc.FirstExchange();
        yield return new TestCaseData(ok with { RequestHeaders = [new("User-Agent", Injection)] }).SetName("request header value");
        yield return new TestCaseData(ok with { ResponseHeaders = [new("Set-Cookie", "a=b\nWARC-Type: resource")] }).SetName("response header value with bare LF");
        yield return new TestCaseData(ok with { ResponseHeaders = [new("Location", "http://x/\r")] }).SetName("response header value with bare CR");
        yield return new TestCaseData(ok with { ResponseHeaders = [new("X-A\r\nWARC-Type", "resource")] }).SetName("response header name");
        yield return new TestCaseData(ok with { ResponseHeaders = [new("Bad Name", "v")] }).SetName("header name with space");
        yield return new TestCaseData(ok with { ReasonPhrase = "OK\r\n\r\nWARC/1.1" }).SetName("reason phrase");
        yield return new TestCaseData(ok with { Method = "GET /x HTTP/1.1\r\nHost: y\r\n\r\nGET" }).SetName("method");
        yield return new TestCaseData(ok with { IpAddress = "192.0.2.1\r\nWARC-Type: resource" }).SetName("ip address");
        yield return new TestCaseData(ok with { IpAddress = "not an address" }).SetName("ip address that is not one");
        yield return new TestCaseData(ok with { TargetUri = new Uri("/relative", UriKind.Relative) }).SetName("relative target");
        yield return new TestCaseData(ok with { TargetUri = new Uri("ftp://files.example/x") }).SetName("non-http target");
        yield return new TestCaseData(ok with { Status = 42 }).SetName("status");
    }

    [TestCaseSource(nameof(HostileExchanges))]
    public void A_hostile_exchange_is_refused_and_nothing_is_written(WarcExchange exchange)
    {
        var output = new MemoryStream();
        using var writer = new WarcWriter(output, leaveOpen: true);

        Assert.That(() => writer.WriteExchange(exchange), Throws.InstanceOf<ArgumentException>());
        Assert.That(output.Length, Is.Zero);
    }

    [Test]
    public void Hostile_values_in_the_other_records_are_refused()
    {
        using var writer = new WarcWriter(new MemoryStream());
        var uri = new Uri("urn:crawler:manifest");
        var t = SampleWarc.FetchTime;

        Assert.Multiple(() =>
        {
            Assert.That(() => writer.WriteWarcInfo("a.warc.gz\r\nWARC-Type: x", t, []), Throws.ArgumentException);
            Assert.That(() => writer.WriteWarcInfo("a.warc.gz", t, [new("operator", Injection)]), Throws.ArgumentException);
            Assert.That(() => writer.WriteWarcInfo("a.warc.gz", t, [new("oper: ator", "x")]), Throws.ArgumentException);
            Assert.That(() => writer.WriteMetadata(uri, t, "application/json\r\nWARC-Type: x", []), Throws.ArgumentException);
            Assert.That(() => writer.WriteMetadata(uri, t, "application/json", [], refersTo: "<urn:uuid:1>\r\nWARC-Type: x"), Throws.ArgumentException);
            Assert.That(() => writer.WriteMetadata(uri, t, "application/json", [], refersTo: "urn:uuid:1"), Throws.ArgumentException);
            Assert.That(() => writer.WriteResource(uri, t, "text/plain", [], warcinfoId: "<urn:uuid:1> <urn:uuid:2>"), Throws.ArgumentException);
            Assert.That(() => writer.WriteResource(new Uri("x", UriKind.Relative), t, "text/plain", []), Throws.ArgumentException);
        });
    }

    [TestCase("http://ads.example.nl/a\r\nWARC-Type: resource")]
    [TestCase("http://ads.example.nl/a?q=\nWARC-Type: resource")]
    [TestCase("urn:crawler:a\r\nWARC-Type: resource")]
    public void A_line_break_in_an_ordinary_uri_arrives_escaped_and_adds_no_field(string hostile)
    {
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteResource(new Uri(hostile), SampleWarc.FetchTime, "text/plain", "x"u8.ToArray());
        }

        var record = WarcReader.Read(new MemoryStream(output.ToArray())).Single();
        Assert.That(record.ValuesOf("WARC-Type"), Is.EqualTo(new[] { "resource" }));
        Assert.That(record["WARC-Target-URI"], Does.Contain("%0AWARC-Type:%20resource"));
    }

    [Test]
    public void A_uri_that_keeps_its_raw_line_break_is_refused()
    {
        // With canonicalisation switched off System.Uri hands the path back verbatim, line break and all.
        var raw = new Uri("http://ads.example.nl/a\r\nWARC-Type: resource",
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var exchange = SampleWarc.FirstExchange() with { TargetUri = raw };
        var output = new MemoryStream();
        using var writer = new WarcWriter(output, leaveOpen: true);

        Assert.That(raw.AbsoluteUri, Does.Contain("\n"), "precondition: the URI still holds the line break");
        Assert.That(() => writer.WriteResource(raw, SampleWarc.FetchTime, "text/plain", []), Throws.ArgumentException);
        Assert.That(() => writer.WriteMetadata(raw, SampleWarc.FetchTime, "text/plain", []), Throws.ArgumentException);
        Assert.That(() => writer.WriteExchange(exchange), Throws.ArgumentException);
        Assert.That(output.Length, Is.Zero);
    }

    [Test]
    public void The_response_block_drops_the_codings_the_crawler_undid_and_keeps_what_was_received()
    {
        var exchange = SampleWarc.FirstExchange() with
        {
            ResponseHeaders =
            [
                new("Content-Type", "text/html"), new("content-encoding", "br"), new("Transfer-Encoding", "chunked"),
                new("Content-Length", "17"), new("Vary", "Accept-Encoding"),
            ],
        };
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteExchange(exchange);
        }

        var response = WarcReader.Read(new MemoryStream(output.ToArray())).Single(r => r.Type == "response");
        var text = Encoding.UTF8.GetString(response.Block);
        var head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

        Assert.That(head, Is.EqualTo(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: text/html\r\n" +
            "X-Crawler-Original-Content-Encoding: br\r\n" +
            "X-Crawler-Original-Transfer-Encoding: chunked\r\n" +
            $"Content-Length: {SampleWarc.FirstBody.Length}\r\n" +
            "X-Crawler-Original-Content-Length: 17\r\n" +
            "Vary: Accept-Encoding"));
        Assert.That(response.Block[(Encoding.UTF8.GetByteCount(head) + 4)..], Is.EqualTo(SampleWarc.FirstBody));
    }

    [Test]
    public void A_response_without_content_length_gets_one_and_a_matching_one_is_not_duplicated()
    {
        var without = SampleWarc.SecondExchange();
        var matching = SampleWarc.SecondExchange() with
        {
            ResponseHeaders = [new("Content-Length", SampleWarc.SecondBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteExchange(without);
            writer.WriteExchange(matching);
        }

        var heads = WarcReader.Read(new MemoryStream(output.ToArray()))
            .Where(r => r.Type == "response")
            .Select(r => Encoding.Latin1.GetString(r.Block)[..Encoding.Latin1.GetString(r.Block).IndexOf("\r\n\r\n", StringComparison.Ordinal)])
            .ToList();

        Assert.That(heads[0], Is.EqualTo(
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nX-Crawler-Original-Transfer-Encoding: chunked\r\n" +
            $"Content-Length: {SampleWarc.SecondBody.Length}"));
        Assert.That(heads[1], Is.EqualTo($"HTTP/1.1 200 OK\r\nContent-Length: {SampleWarc.SecondBody.Length}"));
    }

    [Test]
    public void A_disposed_writer_refuses_to_write()
    {
        var writer = new WarcWriter(new MemoryStream());
        writer.Dispose();

        Assert.That(() => writer.WriteResource(new Uri("urn:x:y"), SampleWarc.FetchTime, "text/plain", []), Throws.InstanceOf<ObjectDisposedException>());
    }
}
