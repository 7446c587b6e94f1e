using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crawler.Evidence;

/// <summary>One entry of <c>pages/pages.jsonl</c>: a page a viewer offers to open, at the time it was archived.</summary>
public sealed record WaczPage(string Id, string Url, DateTimeOffset Date, string? Title);

/// <summary>
/// What goes into a WACZ beside its WARC: the pages, the descriptive properties of <c>datapackage.json</c>
/// (<see cref="Title"/>, <see cref="Description"/>, <see cref="Software"/>), and <see cref="Context"/>, a custom
/// property of the package (WACZ 1.1.1 allows those) under the name <see cref="ContextName"/>.
/// </summary>
public sealed record WaczContent(
    string Title,
    string Description,
    string Software,
    DateTimeOffset Created,
    IReadOnlyList<WaczPage> Pages,
    string ContextName,
    JsonObject Context);

/// <summary>
/// Writes a WACZ 1.1.1 package (Webrecorder's "Web Archive Collection Zipped") around one <c>.warc.gz</c>:
/// <c>archive/NAME.warc.gz</c> stored uncompressed (a viewer reads records out of it by offset),
/// <c>indexes/index.cdx</c> (CDXJ, <see cref="CdxjIndex"/>), <c>pages/pages.jsonl</c>, <c>datapackage.json</c>
/// listing every other file with its SHA-256 and size, and <c>datapackage-digest.json</c> with the hash of
/// <c>datapackage.json</c> signed as "WACZ Signing and Verification" 0.1.0 describes for an anonymous signature:
/// ECDSA over SHA-256 of the hash string, IEEE P1363, base64, with the public key as base64 SubjectPublicKeyInfo.
/// </summary>
public static class WaczWriter
{
    public const string WaczVersion = "1.1.1";
    public const string DataPackage = "datapackage.json";
    public const string DataPackageDigest = "datapackage-digest.json";
    public const string IndexPath = "indexes/index.cdx";
    public const string PagesPath = "pages/pages.jsonl";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the package to <paramref name="output"/>; <paramref name="warcGz"/> (seekable) is copied in as
    /// <c>archive/</c><paramref name="warcName"/>. Returns the hash label written into <c>datapackage-digest.json</c>.
    /// </summary>
    public static string Write(Stream output, Stream warcGz, string warcName, WaczContent content, EvidenceSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(warcGz);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(key);
        if (!warcName.EndsWith(".warc.gz", StringComparison.Ordinal) || warcName.Contains('/', StringComparison.Ordinal) || warcName.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{WarcSyntax.Printable(warcName)}' is not a plain file name ending in .warc.gz", nameof(warcName));
        }

        var warcPath = "archive/" + warcName;
        warcGz.Position = 0;
        var index = CdxjIndex.Build(warcGz, warcName);
        var cdx = Encoding.UTF8.GetBytes(string.Concat(index.Select(l => l + "\n")));
        var pages = Encoding.UTF8.GetBytes(PagesJsonl(content.Pages));
        warcGz.Position = 0;
        var warcHash = SHA256.HashData(warcGz);

        var resources = new JsonArray
        {
            Resource(warcName, warcPath, warcHash, warcGz.Length),
            Resource("index.cdx", IndexPath, SHA256.HashData(cdx), cdx.Length),
            Resource("pages.jsonl", PagesPath, SHA256.HashData(pages), pages.Length),
        };
        var package = new JsonObject
        {
            ["profile"] = "data-package",
            ["wacz_version"] = WaczVersion,
            ["title"] = content.Title,
            ["description"] = content.Description,
            ["created"] = Rfc3339(content.Created),
            ["modified"] = Rfc3339(content.Created),
            ["software"] = content.Software,
            ["resources"] = resources,
            [content.ContextName] = content.Context.DeepClone(),
        };
        if (content.Pages.Count > 0)
        {
            package["mainPageUrl"] = content.Pages[0].Url;
            package["mainPageDate"] = Rfc3339(content.Pages[0].Date);
        }

        var packageBytes = JsonSerializer.SerializeToUtf8Bytes(package, Indented);
        var hash = Label(SHA256.HashData(packageBytes));
        var digest = new JsonObject
        {
            ["path"] = DataPackage,
            ["hash"] = hash,
            ["signedData"] = new JsonObject
            {
                ["hash"] = hash,
                ["created"] = Rfc3339(content.Created),
                ["software"] = content.Software,
                // The signature is over the hash as text (UTF-8), as the signing spec's anonymous signature has it.
                ["signature"] = Convert.ToBase64String(key.Sign(Encoding.UTF8.GetBytes(hash))),
                ["publicKey"] = Convert.ToBase64String(key.PublicKey.SubjectPublicKeyInfo),
            },
        };
        var digestBytes = JsonSerializer.SerializeToUtf8Bytes(digest, Indented);

        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            // Already compressed, and read by offset: stored, as WACZ 1.1.1 asks.
            var warcEntry = zip.CreateEntry(warcPath, CompressionLevel.NoCompression);
            warcEntry.LastWriteTime = content.Created;
            using (var target = warcEntry.Open())
            {
                warcGz.Position = 0;
                warcGz.CopyTo(target);
            }

            Add(zip, IndexPath, cdx, content.Created);
            Add(zip, PagesPath, pages, content.Created);
            Add(zip, DataPackage, packageBytes, content.Created);
            Add(zip, DataPackageDigest, digestBytes, content.Created);
        }

        return hash;
    }

    /// <summary>"sha256:" and the lower-case hex digest: the form WACZ's datapackage.json uses.</summary>
    public static string Label(ReadOnlySpan<byte> sha256) => "sha256:" + Convert.ToHexStringLower(sha256);

    /// <summary>The pages file: a header line, then one line per page.</summary>
    private static string PagesJsonl(IReadOnlyList<WaczPage> pages)
    {
        var text = new StringBuilder();
        text.Append(JsonSerializer.Serialize(new JsonObject { ["format"] = "json-pages-1.0", ["id"] = "pages", ["title"] = "All Pages" }, OneLine)).Append('\n');
        foreach (var page in pages)
        {
            var line = new JsonObject { ["id"] = page.Id, ["url"] = page.Url, ["ts"] = Rfc3339(page.Date) };
            if (page.Title is not null)
            {
                line["title"] = page.Title;
            }

            text.Append(JsonSerializer.Serialize(line, OneLine)).Append('\n');
        }

        return text.ToString();
    }

    private static JsonObject Resource(string name, string path, byte[] sha256, long bytes) => new()
    {
        ["name"] = name,
        ["path"] = path,
        ["hash"] = Label(sha256),
        ["bytes"] = bytes,
    };

    private static void Add(ZipArchive zip, string path, byte[] data, DateTimeOffset time)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = time;
        using var stream = entry.Open();
        stream.Write(data);
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
}
