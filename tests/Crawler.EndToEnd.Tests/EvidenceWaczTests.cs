using NUnit.Framework;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Issue 20, the WACZ package: its layout, every file's hash in datapackage.json with the case context, the signed
/// datapackage-digest.json, and forgeries of the WARC or datapackage.json with their hashes recomputed.
/// </summary>
public sealed class EvidenceWaczTests
{
    private const string Warc = "archive/evidence.warc.gz";

    internal static async Task<(Lab Lab, DemoSite.DemoSite Site, string File)> ExportedAsync(bool snapshots = true)
    {
        var site = await DemoSite.DemoSite.StartAsync();
        var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(2), extra: snapshots ? "snapshots: true" : "");
        var file = Path.Combine(lab.Dir, "evidence.wacz");
        await lab.Ok("evidence", "export", "--hits", "1", "2", "--out", file, "--recipient", "Rechtbank Rotterdam", "--as", "pieter");
        return (lab, site, file);
    }

    [Test]
    public async Task A_wacz_holds_the_warc_stored_its_index_pages_and_a_datapackage_with_every_hash_and_the_case_and_verifies_offline()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var published = await lab.Ok("evidence", "public-key", "--json");
        var pem = lab.WriteFile("public.pem", published.Json.GetProperty("publicKey").GetString()!);

        var verify = await lab.Run("evidence", "verify", file, "--public-key", pem);

        Assert.That(verify.Code, Is.EqualTo(0), verify.Out + verify.Err);
        Assert.That(verify.Out, Does.Contain("OK:"));
        var files = Package.Read(file);
        Assert.That(files.Keys, Is.EqualTo(new[] { Warc, "indexes/index.cdx", "pages/pages.jsonl", "datapackage.json", "datapackage-digest.json" }));
        Assert.That(Package.MethodOf(file, Warc), Is.Zero, "the WARC is stored, not deflated, so a viewer can read records by offset");

        var package = JsonNode.Parse(files["datapackage.json"])!;
        Assert.That(package["profile"]!.GetValue<string>(), Is.EqualTo("data-package"));
        Assert.That(package["wacz_version"]!.GetValue<string>(), Is.EqualTo("1.1.1"));
        foreach (var resource in package["resources"]!.AsArray())
        {
            var path = resource!["path"]!.GetValue<string>();
            Assert.That(resource["hash"]!.GetValue<string>(), Is.EqualTo("sha256:" + Convert.ToHexStringLower(SHA256.HashData(files[path]))), path);
            Assert.That(resource["bytes"]!.GetValue<long>(), Is.EqualTo(files[path].Length), path);
        }

        var context = package["crawlerEvidence"]!;
        Assert.That(context["exportedBy"]!.GetValue<string>(), Is.EqualTo("pieter"));
        Assert.That(context["recipient"]!.GetValue<string>(), Is.EqualTo("Rechtbank Rotterdam"));
        Assert.That(context["cases"]![0]!.GetValue<string>(), Is.EqualTo("TEST-001"));
        var mandate = context["mandates"]![0]!;
        Assert.That(mandate["id"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(mandate["version"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(mandate["legalBasis"]!.GetValue<string>(), Is.EqualTo("art126g-sv"));
        Assert.That(mandate["allowed"]!["snapshots"]!.GetValue<bool>(), Is.True);
        Assert.That(mandate["allowed"]!["dataCategories"]!["phone"]!.GetValue<string>(), Is.EqualTo("keep"));
        Assert.That(context["hits"]!.AsArray().Select(h => h!["id"]!.GetValue<long>()), Is.EqualTo(new long[] { 1, 2 }));

        // The signature, checked as the signing spec describes, with nothing but the published public key.
        var digest = JsonNode.Parse(files["datapackage-digest.json"])!;
        var hash = digest["hash"]!.GetValue<string>();
        Assert.That(hash, Is.EqualTo("sha256:" + Convert.ToHexStringLower(SHA256.HashData(files["datapackage.json"]))));
        Assert.That(digest["signedData"]!["hash"]!.GetValue<string>(), Is.EqualTo(hash));
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pem));
        Assert.That(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Is.EqualTo(digest["signedData"]!["publicKey"]!.GetValue<string>()));
        Assert.That(key.VerifyData(Encoding.UTF8.GetBytes(hash), Convert.FromBase64String(digest["signedData"]!["signature"]!.GetValue<string>()),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Is.True);

        var pages = Encoding.UTF8.GetString(files["pages/pages.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(pages[0]!["format"]!.GetValue<string>(), Is.EqualTo("json-pages-1.0"));
        var hits = (await lab.Ok("hits", "list", "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(pages.Skip(1).Select(p => p["title"]!.GetValue<string>()), Is.EquivalentTo(hits.Take(2).Select(h => h["title"]!.GetValue<string>())));
        Assert.That(pages.Skip(1).Select(p => p["url"]!.GetValue<string>()), Is.EquivalentTo(hits.Take(2).Select(h => new Uri(h["url"]!.GetValue<string>()).AbsoluteUri)));

        using var ctx = lab.OpenContext();
        var disclosed = ctx.Store.Entries().Last(e => e.Record.Operation == "disclose");
        Assert.That(disclosed.Record.ContentSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)))));
        Assert.That(verify.Out, Does.Contain(disclosed.Record.ContentSha256!));
    }

    [Test]
    public async Task A_wacz_of_hits_without_snapshots_holds_only_the_minimised_hits()
    {
        var (lab, site, file) = await ExportedAsync(snapshots: false);
        await using var _ = site;
        using var __ = lab;

        var types = Package.Records(Package.Read(file)[Warc]).Select(r => r.Type).ToList();

        Assert.That(types, Is.EqualTo(new[] { "warcinfo", "metadata", "metadata", "resource" }));
        Assert.That((await lab.Run("evidence", "verify", file)).Code, Is.EqualTo(0));
    }

    [Test]
    public async Task A_warc_edited_with_its_digests_recomputed_and_re_hashed_into_the_datapackage_fails_on_the_package_signature_and_the_record()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var files = Package.Read(file);
        var warcFile = Path.Combine(lab.Dir, "inner.warc.gz");
        await File.WriteAllBytesAsync(warcFile, files[Warc]);
        var warc = ForgedWarc.Read(warcFile);
        var metadata = warc.Records.First(r => r.Type == "metadata");
        var hit = JsonNode.Parse(metadata.Block)!;
        hit["score"] = 0.01;
        metadata.Block = Encoding.UTF8.GetBytes(hit.ToJsonString());
        warc.Write(warcFile);
        files[Warc] = await File.ReadAllBytesAsync(warcFile);
        Package.Rehash(files, Warc, updateDigest: true);
        Package.Write(file, files);

        var verify = await lab.Run("evidence", "verify", file, "--json");

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        var problems = verify.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.That(problems, Has.Some.StartsWith("datapackage-digest.json signature"), string.Join("\n", problems));
        Assert.That(problems, Has.Some.StartsWith($"{Warc}: record 3 (metadata,"), "the edited record is named");
        Assert.That(verify.Json.GetProperty("ok").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_warc_edited_without_touching_the_datapackage_fails_naming_the_file()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var files = Package.Read(file);
        var warcFile = Path.Combine(lab.Dir, "inner.warc.gz");
        await File.WriteAllBytesAsync(warcFile, files[Warc]);
        var warc = ForgedWarc.Read(warcFile);
        warc.Records.RemoveAt(3);
        warc.Write(warcFile);
        files[Warc] = await File.ReadAllBytesAsync(warcFile);
        Package.Write(file, files);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain($"problem: {Warc}: its SHA-256 is"));
        Assert.That(verify.Out, Does.Contain("FAILED"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_datapackage_edited_fails_on_its_digest_or_its_signature(bool digestRecomputed)
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var files = Package.Read(file);
        var package = JsonNode.Parse(files["datapackage.json"])!;
        package["crawlerEvidence"]!["recipient"] = "Rechtbank Den Haag";
        files["datapackage.json"] = Encoding.UTF8.GetBytes(package.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (digestRecomputed)
        {
            var digest = JsonNode.Parse(files["datapackage-digest.json"])!;
            var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(files["datapackage.json"]));
            digest["hash"] = hash;
            digest["signedData"]!["hash"] = hash;
            files["datapackage-digest.json"] = Encoding.UTF8.GetBytes(digest.ToJsonString());
        }

        Package.Write(file, files);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain(digestRecomputed
            ? "problem: datapackage-digest.json signature: it does not verify"
            : "problem: datapackage-digest.json: it gives sha256:"));
    }

    [Test]
    public async Task A_file_slipped_into_the_package_is_named()
    {
        var (lab, site, file) = await ExportedAsync();
        await using var _ = site;
        using var __ = lab;
        var files = Package.Read(file);
        files["pages/extra.jsonl"] = "{\"url\": \"http://elsewhere.example/\", \"ts\": \"2026-01-01T00:00:00Z\"}\n"u8.ToArray();
        Package.Write(file, files);

        var verify = await lab.Run("evidence", "verify", file);

        Assert.That(verify.Code, Is.EqualTo(1), verify.Out);
        Assert.That(verify.Out, Does.Contain("problem: pages/extra.jsonl: in the package but not listed in datapackage.json"));
    }
}

/// <summary>A WACZ taken apart and put back together the way a forger would, with the ZIP layout kept.</summary>
internal static class Package
{
    public static Dictionary<string, byte[]> Read(string file)
    {
        using var zip = ZipFile.OpenRead(file);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[entry.FullName] = copy.ToArray();
        }

        return files;
    }

    public static void Write(string file, Dictionary<string, byte[]> files)
    {
        using var output = File.Create(file);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create);
        foreach (var (name, data) in files)
        {
            using var stream = zip.CreateEntry(name, name.StartsWith("archive/", StringComparison.Ordinal) ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
            stream.Write(data);
        }
    }

    /// <summary>Puts a file's new hash and size into datapackage.json, and (if asked) the new hash of that into the digest file.</summary>
    public static void Rehash(Dictionary<string, byte[]> files, string path, bool updateDigest)
    {
        var package = JsonNode.Parse(files["datapackage.json"])!;
        var resource = package["resources"]!.AsArray().First(r => r!["path"]!.GetValue<string>() == path)!;
        resource["hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(files[path]));
        resource["bytes"] = files[path].Length;
        files["datapackage.json"] = Encoding.UTF8.GetBytes(package.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (updateDigest)
        {
            var digest = JsonNode.Parse(files["datapackage-digest.json"])!;
            var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(files["datapackage.json"]));
            digest["hash"] = hash;
            digest["signedData"]!["hash"] = hash;
            files["datapackage-digest.json"] = Encoding.UTF8.GetBytes(digest.ToJsonString());
        }
    }

    /// <summary>The compression method in an entry's local file header (0 stored, 8 deflate).</summary>
    public static int MethodOf(string file, string name)
    {
        var bytes = File.ReadAllBytes(file);
        for (var at = 0; at + 30 < bytes.Length; at++)
        {
            if (bytes[at] == 'P' && bytes[at + 1] == 'K' && bytes[at + 2] == 3 && bytes[at + 3] == 4)
            {
                var nameLength = BitConverter.ToUInt16(bytes, at + 26);
                if (Encoding.UTF8.GetString(bytes, at + 30, nameLength) == name)
                {
                    return BitConverter.ToUInt16(bytes, at + 8);
                }
            }
        }

        throw new InvalidOperationException($"no local header for {name}");
    }

    public static List<Crawler.Evidence.WarcRecord> Records(byte[] warc) => [.. Crawler.Evidence.WarcReader.Read(new MemoryStream(warc))];
}
