using System.Text;
using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>Heads tapped at the connection go into the records as they are; one that does not fit the exchange is refused.</summary>
public sealed class WireHeadTests
{
    private static readonly byte[] RequestHead = "GET /ads/1 HTTP/1.1\r\nHost: ads.example.nl\r\nuser-agent: CrawlerNL/0.1.0 (+https://example.nl)\r\n\r\n"u8.ToArray();

    private static readonly byte[] ResponseHead =
        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Encoding: br\r\nContent-Length: 9\r\n\r\n"u8.ToArray();

    private static WarcExchange Exchange(byte[] request, byte[] response) =>
        SampleWarc.FirstExchange() with { TargetUri = new Uri("http://ads.example.nl/ads/1"), Status = 200, RequestHead = request, ResponseHead = response };

    [Test]
    public void The_request_record_is_the_head_as_sent_and_the_response_record_renames_only_the_framing()
    {
        var exchange = Exchange(RequestHead, ResponseHead);
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteExchange(exchange);
        }

        var records = WarcReader.Read(new MemoryStream(output.ToArray())).ToList();
        var head = Encoding.Latin1.GetString(records[1].Block, 0, records[1].Block.AsSpan().IndexOf("\r\n\r\n"u8));

        Assert.That(records[0].Block, Is.EqualTo(RequestHead));
        Assert.That(head.Split("\r\n"), Is.EqualTo(new[]
        {
            "HTTP/1.1 200 OK", "Set-Cookie: a=1", "set-cookie: b=2", "X-Crawler-Original-Content-Encoding: br",
            "X-Crawler-Original-Content-Length: 9", $"Content-Length: {exchange.Body.Length}",
        }));
        Assert.That(records.Select(r => r[WarcWriter.HeadSourceField]), Is.All.EqualTo("wire"));
        Assert.That(WarcVerifier.Verify(new MemoryStream(output.ToArray())).Ok, Is.True);
    }

    [Test]
    public void Without_the_heads_the_records_say_they_were_reconstructed()
    {
        var output = new MemoryStream();
        using (var writer = new WarcWriter(output, leaveOpen: true))
        {
            writer.WriteExchange(SampleWarc.FirstExchange());
        }

        Assert.That(WarcReader.Read(new MemoryStream(output.ToArray())).Select(r => r[WarcWriter.HeadSourceField]), Is.All.EqualTo("reconstructed"));
    }

    [TestCase("GET /other HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n", "request line")]
    [TestCase("GET /ads/1 HTTP/1.1\r\nHost: x\r\n\r\nbody", "HTTP/1.1 200 OK\r\n\r\n", "nothing after")]
    [TestCase("GET /ads/1 HTTP/1.1\r\nHost: x\r\n", "HTTP/1.1 200 OK\r\n\r\n", "empty line")]
    [TestCase("GET /ads/1 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 404 Not Found\r\n\r\n", "status 200")]
    public void A_head_that_does_not_fit_the_exchange_is_refused_before_anything_is_written(string request, string response, string message)
    {
        var output = new MemoryStream();
        using var writer = new WarcWriter(output, leaveOpen: true);

        var e = Assert.Throws<ArgumentException>(() => writer.WriteExchange(Exchange(Encoding.ASCII.GetBytes(request), Encoding.ASCII.GetBytes(response))));

        Assert.That(e!.Message, Does.Contain(message));
        Assert.That(output.Length, Is.Zero);
    }
}
