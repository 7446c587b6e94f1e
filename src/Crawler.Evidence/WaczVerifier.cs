using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Crawler.Evidence;

/// <summary>One file of a WACZ as checked: its size and SHA-256 in the package, and what datapackage.json said of it.</summary>
public sealed record WaczFileCheck(string Path, long Bytes, string Sha256, string? ListedHash, long? ListedBytes, string? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// The package-level verdict on a WACZ: every file, the signature on <c>datapackage-digest.json</c> (the fingerprint of
/// the key it names, and whether that is the expected key), the WARC inside (<see cref="WarcPath"/>) and every
/// problem, each naming the file or the signature.
/// </summary>
public sealed record WaczCheck(IReadOnlyList<WaczFileCheck> Files, string? KeyFingerprint, bool? KeyMatchesExpected, string? WarcPath,
    IReadOnlyList<string> Problems);

/// <summary>
/// Checks a WACZ as a recipient can, with nothing but the file (and the sender's public key, if they have it):
/// the layout WACZ 1.1.1 prescribes, every file's size and SHA-256 against <c>datapackage.json</c> (no file unlisted,
/// none missing), and <c>datapackage-digest.json</c>: the hash of <c>datapackage.json</c> and its anonymous
/// signature ("WACZ Signing and Verification" 0.1.0) with the public key it carries. The WARC inside is left to
/// the caller, who knows what it must hold.
/// </summary>
public static class WaczVerifier
{
    public static WaczCheck Verify(ZipArchive zip, EvidencePublicKey? expected)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var problems = new List<string>();
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            if (entry.FullName.StartsWith('/') || entry.FullName.Contains('\\', StringComparison.Ordinal) ||
                entry.FullName.Split('/').Any(p => p is ".." or "." or ""))
            {
                problems.Add($"{WarcSyntax.Printable(entry.FullName)}: not a plain relative path inside the package");
            }
            else if (!entries.TryAdd(entry.FullName, entry))
            {
                problems.Add($"{entry.FullName}: in the package twice");
            }
        }

        var warcs = entries.Keys.Where(p => p.StartsWith("archive/", StringComparison.Ordinal) && p.EndsWith(".warc.gz", StringComparison.Ordinal)).ToList();
        var warcPath = warcs.Count == 1 ? warcs[0] : null;
        if (warcs.Count != 1)
        {
            problems.Add($"archive/: the package holds {warcs.Count} .warc.gz files; an evidence package holds exactly one");
        }

        if (!entries.Keys.Any(p => p.StartsWith("indexes/", StringComparison.Ordinal)))
        {
            problems.Add("indexes/: the package has no index (WACZ 1.1.1 requires one)");
        }

        if (!entries.ContainsKey(WaczWriter.PagesPath))
        {
            problems.Add($"{WaczWriter.PagesPath}: missing (WACZ 1.1.1 requires it)");
        }

        var files = new List<WaczFileCheck>();
        var hashes = entries.ToDictionary(e => e.Key, e => Hash(e.Value), StringComparer.Ordinal);
        if (!entries.TryGetValue(WaczWriter.DataPackage, out var packageEntry))
        {
            problems.Add($"{WaczWriter.DataPackage}: missing, so nothing in the package is bound to anything");
            return new WaczCheck(files, null, null, warcPath, problems);
        }

        var packageBytes = ReadAll(packageEntry);
        var listed = Resources(packageBytes, problems);
        foreach (var (path, (hash, bytes)) in hashes.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (path is WaczWriter.DataPackage or WaczWriter.DataPackageDigest)
            {
                continue;
            }

            string? problem = null;
            if (!listed.TryGetValue(path, out var claim))
            {
                problem = $"{path}: in the package but not listed in {WaczWriter.DataPackage} (added after the export)";
            }
            else if (!SameHash(claim.Hash, hash))
            {
                problem = $"{path}: its SHA-256 is {hash} but {WaczWriter.DataPackage} gives {claim.Hash ?? "none"} (the file was changed after the export)";
            }
            else if (claim.Bytes != bytes)
            {
                problem = $"{path}: it has {bytes} bytes but {WaczWriter.DataPackage} gives {claim.Bytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
            }

            files.Add(new WaczFileCheck(path, bytes, hash, claim.Hash, claim.Bytes, problem));
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        foreach (var path in listed.Keys.Where(p => !hashes.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{path}: listed in {WaczWriter.DataPackage} but missing from the package (removed after the export)");
        }

        var (fingerprint, matches) = CheckDigest(entries, packageBytes, expected, problems);
        return new WaczCheck(files, fingerprint, matches, warcPath, problems);
    }

    /// <summary>The hash and the signature of <c>datapackage-digest.json</c>; returns the fingerprint of the key it names, when usable.</summary>
    private static (string? Fingerprint, bool? Matches) CheckDigest(Dictionary<string, ZipArchiveEntry> entries, byte[] packageBytes,
        EvidencePublicKey? expected, List<string> problems)
    {
        const string Name = WaczWriter.DataPackageDigest;
        if (!entries.TryGetValue(Name, out var entry))
        {
            problems.Add($"{Name}: missing, so the package is not signed");
            return (null, null);
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(ReadAll(entry)).RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add($"{Name}: not readable JSON: {e.Message}");
            return (null, null);
        }

        var actual = WaczWriter.Label(SHA256.HashData(packageBytes));
        var hash = Text(root, "hash");
        if (Text(root, "path") != WaczWriter.DataPackage)
        {
            problems.Add($"{Name}: its path is not {WaczWriter.DataPackage}");
        }

        if (hash is null || !SameHash(hash, actual))
        {
            problems.Add($"{Name}: it gives {hash ?? "no hash"} for {WaczWriter.DataPackage}, whose SHA-256 is {actual} ({WaczWriter.DataPackage} was changed after it was signed)");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("signedData", out var signed) || signed.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{Name}: it has no signedData: the package is not signed");
            return (null, null);
        }

        var signedHash = Text(signed, "hash");
        if (signedHash != hash)
        {
            problems.Add($"{Name}: signedData.hash {signedHash ?? "(none)"} is not the hash it gives for {WaczWriter.DataPackage}");
        }

        EvidencePublicKey key;
        try
        {
            key = EvidencePublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(Text(signed, "publicKey") ?? ""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add($"{Name} signature: signedData.publicKey is not a usable ECDSA P-256 key: {e.Message}");
            return (null, null);
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Text(signed, "signature") ?? "");
        }
        catch (FormatException)
        {
            signature = [];
        }

        if (signature.Length != 64 || signedHash is null || !key.Verify(Encoding.UTF8.GetBytes(signedHash), signature))
        {
            problems.Add($"{Name} signature: it does not verify with the key it names ({key.Fingerprint})");
        }

        bool? matches = null;
        if (expected is not null)
        {
            matches = expected.Fingerprint == key.Fingerprint;
            if (matches == false)
            {
                problems.Add($"{Name} signature: signed with key {key.Fingerprint}, not with the key given by --public-key ({expected.Fingerprint})");
            }
        }

        return (key.Fingerprint, matches);
    }

    /// <summary>datapackage.json's resources by path: the hash and size it claims for each.</summary>
    private static Dictionary<string, (string? Hash, long? Bytes)> Resources(byte[] packageBytes, List<string> problems)
    {
        var listed = new Dictionary<string, (string?, long?)>(StringComparer.Ordinal);
        try
        {
            var root = JsonDocument.Parse(packageBytes).RootElement;
            if (Text(root, "profile") is not ("data-package" or "wacz-package"))
            {
                problems.Add($"{WaczWriter.DataPackage}: its profile is not data-package");
            }

            if (Text(root, "wacz_version") is null)
            {
                problems.Add($"{WaczWriter.DataPackage}: it has no wacz_version");
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{WaczWriter.DataPackage}: it has no resources list");
                return listed;
            }

            foreach (var resource in resources.EnumerateArray())
            {
                var path = Text(resource, "path");
                long? bytes = resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("bytes", out var b) && b.TryGetInt64(out var n) ? n : null;
                if (path is null || !listed.TryAdd(path, (Text(resource, "hash"), bytes)))
                {
                    problems.Add($"{WaczWriter.DataPackage}: a resource without a path, or a path listed twice ({path})");
                }
            }
        }
        catch (JsonException e)
        {
            problems.Add($"{WaczWriter.DataPackage}: not readable JSON: {e.Message}");
        }

        return listed;
    }

    /// <summary>Whether a listed hash ("sha256:HEX" or bare hex, either case) names this SHA-256 label.</summary>
    private static bool SameHash(string? listed, string actual) =>
        listed is not null && (listed.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? listed[7..] : listed)
        .Equals(actual[7..], StringComparison.OrdinalIgnoreCase);

    private static (string Hash, long Bytes) Hash(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            total += n;
        }

        return (WaczWriter.Label(sha.GetHashAndReset()), total);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
