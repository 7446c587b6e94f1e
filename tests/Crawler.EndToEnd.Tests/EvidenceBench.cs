using NUnit.Framework;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Hits;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// A timed run, not a test of speed (nothing about the times is asserted): export and verify of 1,000 hits, each
/// with its raw exchange (a 30 KB ad page), as a WARC and as a WACZ. Run it on purpose:
/// <c>dotnet test tests/Crawler.EndToEnd.Tests -c Release --filter "FullyQualifiedName~EvidenceBench" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Explicit("a timed run for the README's figures; run it on purpose")]
public sealed class EvidenceBench
{
    private const int Hits = 1000;

    [Test]
    public async Task Export_and_verify_of_1000_hits_with_their_raw_exchange_as_warc_and_wacz()
    {
        using var lab = await Lab.CreateAsync();
        var site = new Uri("http://127.0.0.1:9/");
        var (_, mandate) = await lab.TargetWithApprovedMandateAsync(site);
        var page = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(
            "<p>Advertentie met tekst, een tarief van € 150 per uur en een telefoonnummer 06-12345678.</p>\n", 330)));
        using (var ctx = lab.OpenContext())
        {
            var spec = ctx.Store.FindMandate(mandate)!;
            for (var i = 0; i < Hits; i++)
            {
                var url = new Uri(site, $"/advertentie/{i}?stad=den%20haag").ToString();
                var body = page.Concat(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))).ToArray();
                var sha = Convert.ToHexStringLower(SHA256.HashData(body));
                var at = lab.Time.GetUtcNow();
                var hit = new Hit(0, mandate, spec.Version, spec.Spec.Case, 1, 1, url, at, sha, $"Advertentie {i}", null, [], [], [], 1.5, [], false, 0,
                    "bench", "unreviewed", HasSnapshot: true);
                var request = Encoding.ASCII.GetBytes($"GET /advertentie/{i}?stad=den%20haag HTTP/1.1\r\nHost: 127.0.0.1:9\r\nUser-Agent: CrawlerNL/0.1.0\r\n\r\n");
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: {body.Length}\r\n\r\n");
                ctx.Store.TryAddHit(hit, new Snapshot(0, mandate, url, at, "127.0.0.1", 200, "OK", new HttpHeadFields([], request), new HttpHeadFields([], response), body, sha));
            }
        }

        var ids = Enumerable.Range(1, Hits).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var name in new[] { "bench.warc.gz", "bench.wacz" })
        {
            var file = Path.Combine(lab.Dir, name);
            var clock = Stopwatch.StartNew();
            await lab.Ok(["evidence", "export", "--hits", .. ids, "--out", file, "--recipient", "OM", "--as", "pieter"]);
            var export = clock.Elapsed;
            clock.Restart();
            var verify = await lab.Run("evidence", "verify", file);
            var check = clock.Elapsed;
            Assert.That(verify.Code, Is.EqualTo(0), verify.Out[^Math.Min(2000, verify.Out.Length)..]);
            TestContext.Out.WriteLine($"{name}: {Hits} hits, {new FileInfo(file).Length / 1024.0 / 1024.0:0.0} MiB; export {export.TotalSeconds:0.00} s, verify {check.TotalSeconds:0.00} s");
        }
    }
}
