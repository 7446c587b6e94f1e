using NUnit.Framework;
using System.Text.Json;
using Crawler.Evidence;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Issue 20, interop: warcio.js, Webrecorder's reader, parses every exported record, the digests are recomputed from
/// what it read, and its cdx-index makes the same CDXJ lines as the index in our WACZ.
/// </summary>
public sealed class EvidenceInteropTests
{
    // Reads every record twice with warcio: as raw blocks (block digests), and with the HTTP head parsed (payloads).
    private const string Reader = """
        import { createReadStream } from "node:fs";
        import { createHash } from "node:crypto";
        import { pathToFileURL } from "node:url";
        import path from "node:path";
        const [warcioDir, file] = process.argv.slice(2);
        const { WARCParser } = await import(pathToFileURL(path.join(warcioDir, "dist", "index.js")).href);
        const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");
        const blocks = [];
        for await (const record of new WARCParser(createReadStream(file), { parseHttp: false })) {
          blocks.push(sha(await record.readFully(false)));
        }
        let i = 0;
        for await (const record of new WARCParser(createReadStream(file), { parseHttp: true })) {
          const h = record.warcHeaders.headers;
          const http = record.httpHeaders;
          const payload = http ? sha(await record.readFully(false)) : null;
          console.log(JSON.stringify({
            type: record.warcType, id: h.get("WARC-Record-ID"), target: h.get("WARC-Target-URI"),
            blockDigest: h.get("WARC-Block-Digest"), payloadDigest: h.get("WARC-Payload-Digest"),
            block: blocks[i++], payload, status: http ? http.statusCode : null,
          }));
        }
        """;

    [Test]
    public async Task Warcio_reads_every_record_every_digest_matches_what_it_read_and_its_cdx_index_equals_ours()
    {
        var warcio = Interop.Warcio();
        var (lab, site, file) = await EvidenceWaczTests.ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var all = (await lab.Ok("hits", "list", "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var warcFile = Path.Combine(lab.Dir, "all.warc.gz");
        await lab.Ok(["evidence", "export", "--hits", .. all, "--out", warcFile, "--recipient", "OM", "--as", "pieter"]);
        var script = Path.Combine(lab.Dir, "read.mjs");
        await File.WriteAllTextAsync(script, Reader);

        var code = Interop.Run("node", [script, warcio, warcFile], lab.Dir, out var output);

        Assert.That(code, Is.EqualTo(0), output);
        var read = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        List<WarcRecord> ours;
        await using (var stream = File.OpenRead(warcFile))
        {
            ours = [.. WarcReader.Read(stream)];
        }

        Assert.That(read.Select(r => r.GetProperty("id").GetString()), Is.EqualTo(ours.Select(r => r.RecordId)), "warcio reads the same records in the same order");
        var digests = 0;
        var matching = 0;
        foreach (var record in read)
        {
            foreach (var (label, bytes) in new[] { ("blockDigest", "block"), ("payloadDigest", "payload") })
            {
                if (record.GetProperty(label).GetString() is not { } written)
                {
                    continue;
                }

                digests++;
                Assert.That(written, Does.Match("^sha256:[A-Z2-7]{52}====$"), "padded base32, as warcio writes it");
                var stated = Convert.ToHexStringLower(IndependentBase32(written[7..]));
                if (stated == record.GetProperty(bytes).GetString())
                {
                    matching++;
                }
            }
        }

        Assert.That(matching, Is.EqualTo(digests), "every digest equals the SHA-256 of what warcio read");
        Assert.That(read.Where(r => r.GetProperty("type").GetString() == "response").Select(r => r.GetProperty("status").GetInt32()), Is.All.EqualTo(200));

        // The index: warcio's cdx-index over the WARC inside the WACZ, against the WACZ's own index.
        var files = Package.Read(file);
        var inner = Path.Combine(lab.Dir, "evidence.warc.gz");
        await File.WriteAllBytesAsync(inner, files["archive/evidence.warc.gz"]);
        var cdxCode = Interop.Run("node", [Path.Combine(warcio, "dist", "cli.js"), "cdx-index", "evidence.warc.gz"], lab.Dir, out var cdx);
        Assert.That(cdxCode, Is.EqualTo(0), cdx);
        var theirs = cdx.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        var ourIndex = System.Text.Encoding.UTF8.GetString(files["indexes/index.cdx"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.That(ourIndex, Is.EqualTo(theirs), "the CDXJ lines, line for line");
        await using (var stream = File.OpenRead(warcFile))
        {
            Assert.That(CdxjIndex.Build(stream, "all.warc.gz"), Has.Count.EqualTo(ours.Count(r => r.Type is "response" or "metadata" or "resource")));
        }

        TestContext.Out.WriteLine($"interop: warcio read {read.Count} of {ours.Count} records; {matching} of {digests} digests match what it read; " +
                                  $"{ourIndex.Count(theirs.Contains)} of {theirs.Count} CDXJ lines equal ({ourIndex.Count} in our index)");
    }

    private static byte[] IndependentBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.TrimEnd('=').Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return [.. Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2))];
    }
}
