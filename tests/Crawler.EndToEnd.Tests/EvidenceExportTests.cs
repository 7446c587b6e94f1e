using NUnit.Framework;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Crawler.Evidence;

namespace Crawler.EndToEnd.Tests;

/// <summary>Evidence export of crawled hits: a WARC that verifies offline, fails when touched, and whose disclosure is logged.</summary>
public sealed class EvidenceExportTests
{
    private static async Task<(Lab Lab, DemoSite.DemoSite Site)> CrawledAsync(bool snapshots)
    {
        var site = await DemoSite.DemoSite.StartAsync();
        var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: snapshots ? "snapshots: true" : "");
        return (lab, site);
    }

    /// <summary>A second reader, independent of Crawler.Evidence: the whole file inflated at once and split by hand.</summary>
    private static List<(Dictionary<string, string> Headers, byte[] Block)> ReadByHand(string file)
    {
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        var bytes = all.ToArray();
        var records = new List<(Dictionary<string, string>, byte[])>();
        var at = 0;
        while (at < bytes.Length)
        {
            var headerEnd = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            var lines = Encoding.UTF8.GetString(bytes, at, headerEnd).Split("\r\n");
            Assert.That(lines[0], Is.EqualTo("WARC/1.1"));
            var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            var length = int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
            var block = bytes.AsSpan(at + headerEnd + 4, length).ToArray();
            records.Add((headers, block));
            at += headerEnd + 4 + length + 4;
        }

        return records;
    }

    [Test]
    public async Task An_exported_warc_verifies_offline_and_its_disclosure_is_logged_with_the_recipient()
    {
        var (lab, site) = await CrawledAsync(snapshots: true);
        await using var _ = site;
        using var __ = lab;
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");

        var export = await lab.Ok("evidence", "export", "--hits", "1", "2", "--out", file, "--recipient", "Rechtbank Rotterdam", "--as", "pieter", "--json");
        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(0), verify.Out);
        Assert.That(verify.Out, Does.Contain("OK:"));
        var records = ReadByHand(file);
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Headers["WARC-Type"]), Is.EqualTo(new[]
            {
                "warcinfo", "request", "response", "metadata", "request", "response", "metadata", "resource",
            }));
            var response = records.First(r => r.Headers["WARC-Type"] == "response");
            Assert.That(response.Headers["WARC-IP-Address"], Is.EqualTo("127.0.0.1"));
            Assert.That(response.Headers["WARC-Target-URI"], Does.StartWith(site.BaseUrl.ToString()));
            Assert.That(Encoding.UTF8.GetString(response.Block), Does.Contain("HTTP/1.1 200"));
            foreach (var (headers, block) in records)
            {
                Assert.That(headers["WARC-Block-Digest"], Is.EqualTo(WarcVerifier.Sha256Label(block)), "block digest, recomputed by hand");
            }
        });
        var manifest = JsonDocument.Parse(records[^1].Block).RootElement;
        Assert.That(manifest.GetProperty("recipient").GetString(), Is.EqualTo("Rechtbank Rotterdam"));
        Assert.That(manifest.GetProperty("mandates")[0].GetProperty("approvedBy").GetString(), Is.EqualTo("pieter"));
        Assert.That(manifest.GetProperty("items")[0].GetProperty("auditSequences").GetArrayLength(), Is.GreaterThan(0),
            "each record is covered by the audit entries of its collection");

        using var ctx = lab.OpenContext();
        var disclosures = ctx.Store.Entries().Where(e => e.Record.Operation == "disclose").ToList();
        Assert.That(disclosures.Select(e => e.Record.Subject), Is.EquivalentTo(new[] { "hit:1", "hit:2", "evidence:evidence.warc.gz" }));
        Assert.That(disclosures.All(e => e.Record.Recipient == "Rechtbank Rotterdam"), Is.True);
        Assert.That(disclosures[^1].Record.ContentSha256, Is.EqualTo(export.Json.GetProperty("sha256").GetString()), "the trail pins the exported file");
    }

    [Test]
    public async Task A_flipped_byte_or_a_missing_tail_fails_verification()
    {
        var (lab, site) = await CrawledAsync(snapshots: true);
        await using var _ = site;
        using var __ = lab;
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");
        await lab.Ok("evidence", "export", "--hits", "1", "--out", file, "--recipient", "OM", "--as", "pieter");
        var bytes = await File.ReadAllBytesAsync(file);

        var flipped = Path.Combine(lab.Dir, "flipped.warc.gz");
        var copy = bytes.ToArray();
        copy[copy.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(flipped, copy);
        var cut = Path.Combine(lab.Dir, "cut.warc.gz");
        long manifestOffset;
        await using (var s = File.OpenRead(file))
        {
            manifestOffset = WarcReader.Read(s).Last().Offset;
        }

        await File.WriteAllBytesAsync(cut, bytes.AsSpan(0, (int)manifestOffset).ToArray());

        var flippedCheck = await lab.Run("evidence", "verify", flipped);
        var cutCheck = await lab.Run("evidence", "verify", cut);
        Assert.That(flippedCheck.Code, Is.EqualTo(1), flippedCheck.Out);
        Assert.That(flippedCheck.Out, Does.Contain("FAILED"));
        Assert.That(cutCheck.Code, Is.EqualTo(1), "a file cut between two records still parses; the manifest catches it");
        Assert.That(cutCheck.Out, Does.Contain("manifest is missing"));
    }

    [Test]
    public async Task Without_snapshots_only_the_minimised_hit_is_exported_and_a_specialist_may_not_export()
    {
        var (lab, site) = await CrawledAsync(snapshots: false);
        await using var _ = site;
        using var __ = lab;
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");

        var refused = await lab.Run("evidence", "export", "--hits", "1", "--out", file, "--recipient", "OM", "--as", "sanne");
        Assert.That(refused.Code, Is.EqualTo(2));
        Assert.That(File.Exists(file), Is.False, "nothing is written when the export is refused");

        await lab.Ok("evidence", "export", "--hits", "1", "--out", file, "--recipient", "OM", "--as", "pieter");
        var types = ReadByHand(file).Select(r => r.Headers["WARC-Type"]).ToList();
        Assert.That(types, Is.EqualTo(new[] { "warcinfo", "metadata", "resource" }));
        Assert.That((await lab.Run("evidence", "verify", file)).Code, Is.EqualTo(0));
    }
}
