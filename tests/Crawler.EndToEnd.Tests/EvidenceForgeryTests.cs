using NUnit.Framework;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crawler.Evidence;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Issue 11: forgeries a careful forger would make (every digest recomputed, one gzip member per record) fail
/// `evidence verify`, naming the record or the manifest signature; a fresh export verifies against the trail.
/// </summary>
public sealed class EvidenceForgeryTests
{
    // warcinfo, then per hit request, response and metadata, then the manifest.
    private const int FirstResponse = 2;
    private const int FirstMetadata = 3;

    private static async Task<(Lab Lab, DemoSite.DemoSite Site, string File)> ExportedAsync()
    {
        var site = await DemoSite.DemoSite.StartAsync();
        var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: "snapshots: true");
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");
        await lab.Ok("evidence", "export", "--hits", "1", "2", "--out", file, "--recipient", "Rechtbank Rotterdam", "--as", "pieter");
        return (lab, site, file);
    }

    private static string Named(ForgedRecord record, int index) => $"record {index} ({record.Type}, {record.Id})";

    [Test]
    public async Task A_metadata_record_edited_with_its_digest_recomputed_fails_and_the_record_is_named()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var warc = ForgedWarc.Read(file);
        var metadata = warc.Records[FirstMetadata];
        Assert.That(metadata.Type, Is.EqualTo("metadata"));
        var hit = JsonNode.Parse(metadata.Block)!;
        hit["score"] = 0.01;
        metadata.Block = Encoding.UTF8.GetBytes(hit.ToJsonString());
        warc.Write(file);
        Assert.That(WarcVerifier.Verify(File.OpenRead(file)).Ok, Is.True, "the forger recomputed every digest");

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain(Named(metadata, FirstMetadata)));
        Assert.That(verify.Out, Does.Contain("FAILED"));
        Assert.That(verify.Err, Is.Empty);
    }

    [TestCase("recipient")]
    [TestCase("contentSha256")]
    public async Task The_manifest_edited_with_its_digest_recomputed_fails_on_the_manifest_signature(string field)
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var warc = ForgedWarc.Read(file);
        var manifest = JsonNode.Parse(warc.Records[^1].Block)!;
        if (field == "recipient")
        {
            manifest["recipient"] = "Rechtbank Den Haag";
        }
        else
        {
            manifest["items"]![0]!["contentSha256"] = Convert.ToHexStringLower(SHA256.HashData("another page"u8));
        }

        warc.Records[^1].Block = Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        warc.Write(file);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain("manifest signature"));
    }

    [Test]
    public async Task A_file_re_signed_with_another_key_shows_another_fingerprint_and_fails_against_the_installations_public_key()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var pem = Path.Combine(lab.Dir, "evidence-public.pem");
        var published = await lab.Ok("evidence", "public-key", "--out", pem, "--json");
        var installation = published.Json.GetProperty("fingerprint").GetString()!;

        // The forger edits a hit, recomputes every digest, rewrites the manifest's list and signs it with a key of their own.
        var warc = ForgedWarc.Read(file);
        var metadata = warc.Records[FirstMetadata];
        var hit = JsonNode.Parse(metadata.Block)!;
        hit["score"] = 0.01;
        metadata.Block = Encoding.UTF8.GetBytes(hit.ToJsonString());
        warc.Write(file);
        warc = ForgedWarc.Read(file);
        var manifest = JsonNode.Parse(warc.Records[^1].Block)!;
        manifest["records"]![FirstMetadata]!["blockDigest"] = warc.Records[FirstMetadata]["WARC-Block-Digest"];
        using var forgerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = forgerKey.ExportSubjectPublicKeyInfo();
        var forger = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
        manifest["signingKey"] = new JsonObject
        {
            ["algorithm"] = "ecdsa-p256-sha256",
            ["publicKey"] = Convert.ToBase64String(spki),
            ["fingerprint"] = forger,
        };
        var block = Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var signature = forgerKey.SignData(block, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        warc.Records[^1].Block = block;
        warc.Records[^1]["WARC-Crawler-Signature"] = $"ecdsa-p256-sha256; keyid={forger}; sig={Convert.ToBase64String(signature)}";
        warc.Write(file);

        var withoutKey = await lab.Run("evidence", "verify", file);
        var withKey = await lab.Run("evidence", "verify", file, "--public-key", pem);

        Assert.That(forger, Is.Not.EqualTo(installation));
        Assert.That(withoutKey.Code, Is.EqualTo(0), "the file is consistent in itself: only the fingerprint tells the forger's key apart");
        Assert.That(withoutKey.Out, Does.Contain(forger), "the recipient sees whose key signed it");
        Assert.That(withoutKey.Out, Does.Not.Contain(installation));
        Assert.That(withKey.Code, Is.EqualTo(1), withKey.Out);
        Assert.That(withKey.Out, Does.Contain("manifest signature"));
        Assert.That(withKey.Out, Does.Contain(installation));
    }

    [TestCase("removed")]
    [TestCase("duplicated")]
    [TestCase("swapped")]
    public async Task A_removed_duplicated_or_swapped_record_fails_and_the_record_is_named(string forgery)
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var warc = ForgedWarc.Read(file);
        var records = warc.Records;
        string[] expected;
        switch (forgery)
        {
            case "removed":
                expected = [Named(records[FirstMetadata], FirstMetadata)];
                records.RemoveAt(FirstMetadata);
                break;
            case "duplicated":
                // A forger gives the copy an id of its own, so no id repeats.
                var copy = records[FirstResponse].Clone();
                copy["WARC-Record-ID"] = $"<urn:uuid:{Guid.NewGuid():D}>";
                records.Insert(FirstResponse + 1, copy);
                expected = [Named(copy, FirstResponse + 1)];
                break;
            default:
                (records[1], records[2]) = (records[2], records[1]);
                expected = [Named(records[1], 1), Named(records[2], 2)];
                break;
        }

        warc.Write(file);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(expected.Any(verify.Out.Contains), Is.True, $"one of {string.Join(", ", expected)} is named in:\n{verify.Out}");
    }

    [Test]
    public async Task A_response_payload_changed_with_every_digest_recomputed_fails_on_the_manifests_digest_list()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var warc = ForgedWarc.Read(file);
        var response = warc.Records[FirstResponse];
        Assert.That(response.Type, Is.EqualTo("response"));
        var body = response.Block.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        var at = Array.IndexOf(response.Block, (byte)'<', body + 10);
        response.Block[at + 1] = (byte)(response.Block[at + 1] == (byte)'p' ? 'q' : 'p');
        warc.Write(file);
        Assert.That(WarcVerifier.Verify(File.OpenRead(file)).Ok, Is.True, "block and payload digests were recomputed");

        var verify = await lab.Run("evidence", "verify", file, "--json");

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        var problems = verify.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.That(problems, Has.Some.StartsWith(Named(response, FirstResponse)).And.Contains("WARC-Block-Digest"));
        Assert.That(problems, Has.Some.StartsWith(Named(response, FirstResponse)).And.Contains("WARC-Payload-Digest"));
    }

    [Test]
    public async Task A_manifest_downgraded_to_the_unsigned_format_1_is_not_proven()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var warc = ForgedWarc.Read(file);
        var manifest = JsonNode.Parse(warc.Records[^1].Block)!.AsObject();
        manifest["format"] = "crawler-evidence-manifest/1";
        manifest.Remove("records");
        manifest.Remove("signingKey");
        warc.Records[^1].Block = Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        warc.Records[^1].Headers.RemoveAll(h => h.Name == "WARC-Crawler-Signature");
        warc.Write(file);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain("not signed"));
        Assert.That(verify.Out, Does.Not.Contain("OK:"));
    }

    [Test]
    public async Task A_fresh_export_verifies_and_prints_the_file_sha256_the_audit_trail_recorded_and_the_installations_key()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var published = await lab.Ok("evidence", "public-key", "--json");
        var fingerprint = published.Json.GetProperty("fingerprint").GetString()!;
        var pem = lab.WriteFile("public.pem", published.Json.GetProperty("publicKey").GetString()!);

        var verify = await lab.Run("evidence", "verify", file);
        var json = await lab.Run("evidence", "verify", file, "--public-key", pem, "--json");
        var audit = await lab.Ok("audit", "list", "--operation", "disclose", "--json", "--as", "aaron");

        var disclosed = audit.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("subject").GetString() == "evidence:evidence.warc.gz");
        var sha = disclosed.GetProperty("contentSha256").GetString()!;
        Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)))));
        Assert.That(verify.Code, Is.EqualTo(0), verify.Out + verify.Err);
        Assert.That(verify.Out, Does.Contain("OK"));
        Assert.That(verify.Out, Does.Contain(sha), "the file's SHA-256, to compare with the disclosure in the trail");
        Assert.That(verify.Out, Does.Contain(fingerprint));
        Assert.That(json.Code, Is.EqualTo(0), json.Out + json.Err);
        Assert.That(json.Json.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(json.Json.GetProperty("fileSha256").GetString(), Is.EqualTo(sha));
        Assert.That(json.Json.GetProperty("signingKey").GetProperty("fingerprint").GetString(), Is.EqualTo(fingerprint));
        Assert.That(disclosed.GetProperty("reason").GetString(), Does.Contain(fingerprint), "the trail names the key the file was signed with");
    }

    [Test]
    public async Task The_public_key_is_the_spki_of_the_key_in_the_key_folder_and_its_fingerprint_is_the_sha256_of_that()
    {
        using var lab = await Lab.CreateAsync();
        var pem = Path.Combine(lab.Dir, "key.pem");

        var printed = await lab.Ok("evidence", "public-key");
        var written = await lab.Ok("evidence", "public-key", "--out", pem);

        var keyFile = Path.Combine(lab.Dir + ".keys", "evidence.key");
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(keyFile));
        var spki = key.ExportSubjectPublicKeyInfo();
        var fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
        Assert.That(File.ReadAllText(keyFile), Does.StartWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
        Assert.That(key.KeySize, Is.EqualTo(256));
        Assert.That(Directory.GetFiles(lab.Dir, "*.key", SearchOption.AllDirectories), Is.Empty, "no key in the data folder");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        Assert.That(printed.Out, Does.Contain(key.ExportSubjectPublicKeyInfoPem()));
        Assert.That(printed.Out, Does.Contain(fingerprint));
        Assert.That(printed.Out, Does.Not.Contain("PRIVATE"));
        Assert.That(await File.ReadAllTextAsync(pem), Does.Contain(key.ExportSubjectPublicKeyInfoPem()));
        Assert.That(written.Out, Does.Contain(fingerprint));
    }

    [Test]
    public async Task An_installation_from_before_signed_evidence_gets_its_key_at_the_first_export()
    {
        var site = await DemoSite.DemoSite.StartAsync();
        await using var _ = site;
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: "snapshots: true");
        var keyFile = Path.Combine(lab.Dir + ".keys", "evidence.key");
        File.Delete(keyFile);
        var file = Path.Combine(lab.Dir, "evidence.warc.gz");

        await lab.Ok("evidence", "export", "--hits", "1", "--out", file, "--recipient", "OM", "--as", "pieter");
        var verify = await lab.Run("evidence", "verify", file);
        var published = await lab.Ok("evidence", "public-key", "--json");

        Assert.That(File.Exists(keyFile), Is.True);
        Assert.That(verify.Code, Is.EqualTo(0), verify.Out);
        Assert.That(verify.Out, Does.Contain(published.Json.GetProperty("fingerprint").GetString()));
    }

    [Test]
    public async Task Processes_racing_to_make_the_missing_key_all_end_up_with_the_same_key()
    {
        using var lab = await Lab.CreateAsync();
        var keyFile = Path.Combine(lab.Dir + ".keys", "evidence.key");

        for (var round = 0; round < 5; round++)
        {
            File.Delete(keyFile);
            using var start = new Barrier(8);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                var folder = Storage.DataFolder.Open(lab.Dir);
                start.SignalAndWait();
                return folder.EvidenceKeyPem();
            })));

            Assert.That(keys.Distinct().Count(), Is.EqualTo(1), $"round {round}");
            Assert.That(await File.ReadAllTextAsync(keyFile), Is.EqualTo(keys[0]));
        }
    }

    [Test]
    public async Task A_missing_file_a_file_that_is_not_gzip_and_an_unreadable_public_key_are_bad_input_without_a_stack_trace()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var notGzip = lab.WriteFile("page.html", "<html>not evidence</html>");
        var badPem = lab.WriteFile("bad.pem", "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");

        var missing = await lab.Run("evidence", "verify", Path.Combine(lab.Dir, "nothing.warc.gz"));
        var html = await lab.Run("evidence", "verify", notGzip);
        var pem = await lab.Run("evidence", "verify", file, "--public-key", badPem);
        var noPem = await lab.Run("evidence", "verify", file, "--public-key", Path.Combine(lab.Dir, "nothing.pem"));

        foreach (var (name, result, names) in new[] { ("missing", missing, "nothing.warc.gz"), ("not gzip", html, "page.html"), ("bad pem", pem, "bad.pem"), ("no pem", noPem, "nothing.pem") })
        {
            Assert.That(result.Code, Is.EqualTo(2), $"{name}: {result.Out}{result.Err}");
            Assert.That(result.Err, Does.Contain(names), name);
            Assert.That(result.Err + result.Out, Does.Not.Contain("   at "), name);
        }
    }
}

/// <summary>A record taken apart by hand: its named fields in file order and its block.</summary>
internal sealed class ForgedRecord(List<(string Name, string Value)> headers, byte[] block)
{
    public List<(string Name, string Value)> Headers { get; } = headers;

    public byte[] Block { get; set; } = block;

    public string Type => this["WARC-Type"]!;

    public string Id => this["WARC-Record-ID"]!;

    public string? this[string name]
    {
        get => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        set
        {
            var at = Headers.FindIndex(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                Headers[at] = (name, value!);
            }
            else
            {
                Headers.Add((name, value!));
            }
        }
    }

    public ForgedRecord Clone() => new([.. Headers], Block.ToArray());
}

/// <summary>
/// An evidence file as a forger handles it, without Crawler.Evidence's reader: inflated at once, split by hand,
/// edited, and written back as one gzip member per record with Content-Length and every digest recomputed.
/// </summary>
internal sealed class ForgedWarc(List<ForgedRecord> records)
{
    public List<ForgedRecord> Records { get; } = records;

    public static ForgedWarc Read(string file)
    {
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        var bytes = all.ToArray();
        var records = new List<ForgedRecord>();
        var at = 0;
        while (at < bytes.Length)
        {
            var headerEnd = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            var lines = Encoding.UTF8.GetString(bytes, at, headerEnd).Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).Select(p => (p[0], p[1])).ToList();
            var record = new ForgedRecord(headers, []);
            var length = int.Parse(record["Content-Length"]!, CultureInfo.InvariantCulture);
            record.Block = bytes.AsSpan(at + headerEnd + 4, length).ToArray();
            records.Add(record);
            at += headerEnd + 4 + length + 4;
        }

        return new ForgedWarc(records);
    }

    public void Write(string file)
    {
        using var output = File.Create(file);
        foreach (var record in Records)
        {
            record["Content-Length"] = record.Block.Length.ToString(CultureInfo.InvariantCulture);
            record["WARC-Block-Digest"] = Label(record.Block);
            if (record["WARC-Payload-Digest"] is not null)
            {
                record["WARC-Payload-Digest"] = Label(record.Block.AsSpan(record.Block.AsSpan().IndexOf("\r\n\r\n"u8) + 4));
            }

            var text = new StringBuilder("WARC/1.1\r\n");
            foreach (var (name, value) in record.Headers)
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            using var member = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            member.Write(Encoding.UTF8.GetBytes(text.Append("\r\n").ToString()));
            member.Write(record.Block);
            member.Write("\r\n\r\n"u8);
        }
    }

    // The customary WARC form: base32 of the SHA-256, as the exporter writes it.
    private static string Label(ReadOnlySpan<byte> data) => WarcVerifier.Sha256Label(data);
}
