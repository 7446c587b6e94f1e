using System.Security.Cryptography;
using System.Text.Json;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Crawler.Service.Audit;
using Crawler.Evidence;
using Crawler.Storage;

namespace Crawler.Service.Application;

/// <summary>The manifest's account of one exported hit: where it came from and which WARC records carry it.</summary>
public sealed record EvidenceItem(
    long HitId,
    string Url,
    DateTimeOffset FetchedAt,
    string ContentSha256,
    long MandateId,
    int MandateVersion,
    string Case,
    bool RawSnapshot,
    IReadOnlyList<string> RecordIds,
    IReadOnlyList<long> AuditSequences);

/// <summary>An audit entry as the manifest quotes it; its hash lets an auditor find and verify it in the trail.</summary>
public sealed record EvidenceAuditEntry(long Sequence, DateTimeOffset Time, string Actor, string Operation, string Subject, string Outcome,
    string? Rule, string? Reason, long? MandateId, string Hash);

/// <summary>The mandate an exported hit was collected under, with its approval and history.</summary>
public sealed record EvidenceMandate(long Id, int Version, string Case, string CaseName, string LegalBasis, string WpgPurpose, string Purpose,
    DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? ApprovedContentSha256,
    string? WeighingLevel, IReadOnlyList<string> History);

/// <summary>The key that signed a manifest: the public key (base64 SubjectPublicKeyInfo DER) and its fingerprint.</summary>
public sealed record EvidenceSigningKeyInfo(string Algorithm, string PublicKey, string Fingerprint);

/// <summary>
/// The last record of an evidence file. <see cref="RecordCount"/> counts the records before it, and
/// <see cref="Records"/> lists each of them with its id, type, target and digests; the manifest's block is signed
/// (see <see cref="EvidenceSignature"/>) with <see cref="SigningKey"/>, so no record can be altered, added,
/// removed or moved, and no claim of the manifest changed, without the signature or the list failing.
/// Format 1 manifests (before signing) have neither <see cref="Records"/> nor <see cref="SigningKey"/>.
/// </summary>
public sealed record EvidenceManifest(
    string Format,
    DateTimeOffset ExportedAt,
    string ExportedBy,
    string Recipient,
    string PolicyVersion,
    int RecordCount,
    IReadOnlyList<EvidenceItem> Items,
    IReadOnlyList<EvidenceMandate> Mandates,
    IReadOnlyList<EvidenceAuditEntry> Audit,
    long AuditHeadSequence,
    string AuditHeadHash,
    IReadOnlyList<WarcRecordEntry>? Records = null,
    EvidenceSigningKeyInfo? SigningKey = null)
{
    public const string FormatId = "crawler-evidence-manifest/2";
    public const string UnsignedFormatId = "crawler-evidence-manifest/1";
    public static readonly Uri Target = new("urn:crawler:evidence-manifest");
}

public sealed record EvidenceExport(string File, string Sha256, int Records, IReadOnlyList<long> HitIds, int RawSnapshots, string KeyFingerprint,
    EvidenceFormat Format = EvidenceFormat.Warc);

/// <summary>
/// What an export writes: a signed WARC 1.1 file, or that WARC packaged as a WACZ 1.1.1 (index, pages, datapackage with
/// every file's hash and the case context, and a signed datapackage-digest.json) that ReplayWeb.page opens as it is.
/// </summary>
public enum EvidenceFormat
{
    Warc,
    Wacz,
}

/// <summary><see cref="NotProven"/>: nothing failed, but nothing proves the file either (an unsigned format 1 manifest).</summary>
public enum EvidenceVerdict
{
    Verified,
    Failed,
    NotProven,
}

/// <summary>
/// The result of checking an evidence file. <see cref="FileSha256"/> (hex) is what the audit trail's disclosure
/// recorded as its content hash; <see cref="KeyFingerprint"/> is the fingerprint of the key the manifest names,
/// which the recipient compares with the one the exporting installation published. Every problem names the
/// record (index, type, id), the manifest signature, or the manifest.
/// </summary>
public sealed record EvidenceCheck(
    EvidenceVerdict Verdict,
    string FileSha256,
    WarcVerification Warc,
    EvidenceManifest? Manifest,
    string? KeyFingerprint,
    bool? KeyMatchesExpected,
    IReadOnlyList<string> Problems,
    WaczCheck? Package = null)
{
    public bool Ok => Verdict == EvidenceVerdict.Verified;
}

/// <summary>
/// Writes hits as WARC 1.1 evidence (ISO 28500): the raw request and response where the mandate
/// allowed snapshots, the minimised hit as a metadata record, and a manifest with the mandates,
/// approvals and audit entries behind each record, the digests of every record, signed with the
/// installation's evidence key. The export is a disclosure and is logged with its recipient, the
/// file's hash and the signing key's fingerprint.
/// </summary>
public sealed class EvidenceService(IHitStore hitStore, IMandateStore mandateStore, AuditService auditService, AccessControl access, AuditTrail audit,
    DataFolder folder, PolicySet policy, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

public async Task<EvidenceExport> ExportAsync(IReadOnlyList<long> hitIds, string file, string recipient, string? actingAs, EvidenceFormat format = EvidenceFormat.Warc,
        CancellationToken ct = default)
    {
        var user = await access.RequireUserAsync(actingAs, ct);
        await access.AuthorizeAsync(Permission.EvidenceExport, "evidence:" + Path.GetFileName(file), ct);
        if (hitIds.Count == 0)
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--hits", "name at least one hit"));
        }

        if (string.IsNullOrWhiteSpace(recipient))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--recipient", "a disclosure needs its recipient (LED art. 25)"));
        }

        var hits = new List<Hit>();
        foreach (var id in hitIds.Distinct())
        {
            var hit = await hitStore.FindAsync(id, ct) ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--hits", $"no hit with id {id}"));
            if (hit.RestrictedAt is not null)
            {
                throw new InputException(new InputProblem("(command line)", 0, 0, "--hits",
                    $"hit {id} is in the restricted store (Wpg art. 14): kept for complaints and accountability only, not for export"));
            }

            hits.Add(hit);
        }

        using var signer = SigningKey(folder);
        var now = time.GetUtcNow();
        var mandates = new List<Core.Mandates.Mandate>();
        foreach (var mandateId in hits.Select(h => h.MandateId).Distinct())
        {
            mandates.Add((await mandateStore.FindAsync(mandateId, ct))!);
        }

        var trail = new List<AuditEntry>();
        await foreach (var e in auditService.ListAsync(null, ct))
        {
            trail.Add(e);
        }

        var snapshots = new Dictionary<long, Snapshot?>();
        foreach (var hit in hits.Where(h => h.HasSnapshot))
        {
            snapshots[hit.Id] = await hitStore.FindSnapshotAsync(hit.Id, ct);
        }

        var items = new List<EvidenceItem>();
        var wacz = format == EvidenceFormat.Wacz;
        var warcName = wacz ? WarcNameIn(file) : Path.GetFileName(file);
        var temp = file + ".partial";
        var warcTemp = wacz ? file + ".warc.partial" : temp;
        var records = 0;
        var raw = 0;
        string? manifestId = null;
        try
        {
            using (var stream = new FileStream(warcTemp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var warc = new WarcWriter(stream))
            {
                var info = warc.WriteWarcInfo(warcName, now,
                [
                    new("software", "Crawler " + typeof(EvidenceService).Assembly.GetName().Version),
                    new("format", "WARC File Format 1.1"),
                    new("conformsTo", "https://iso.org/standard/68004.html"),
                    new("exported-by", user.Name),
                    new("recipient", OneLine(recipient)),
                    new("cases", string.Join(", ", mandates.Select(m => m.Spec.Case).Distinct())),
                    new("policy-version", policy.Version),
                ]);
                records++;
                foreach (var hit in hits)
                {
                    var ids = new List<string>();
                    var snapshot = snapshots.GetValueOrDefault(hit.Id);
                    string? responseId = null;
                    if (snapshot is not null)
                    {
                        var (requestId, response) = warc.WriteExchange(new WarcExchange(new Uri(snapshot.Url), snapshot.FetchedAt, snapshot.IpAddress, "GET",
                            snapshot.RequestHeaders, snapshot.Status, snapshot.ReasonPhrase, snapshot.ResponseHeaders, snapshot.Body)
                        {
                            RequestHead = snapshot.RequestHead,
                            ResponseHead = snapshot.ResponseHead,
                        }, info);
                        ids.Add(requestId);
                        ids.Add(response);
                        responseId = response;
                        records += 2;
                        raw++;
                    }

                    ids.Add(warc.WriteMetadata(new Uri(hit.Url), hit.FetchedAt, "application/json",
                        JsonSerializer.SerializeToUtf8Bytes(hit with { Url = AsFetched(hit.Url) }, Json), responseId, info));
                    records++;
                    var covering = trail.Where(e => e.Record.Subject == $"hit:{hit.Id}" || (e.Record.MandateId == hit.MandateId && e.Record.Subject == hit.Url))
                        .Select(e => e.Sequence).ToList();
                    items.Add(new EvidenceItem(hit.Id, AsFetched(hit.Url), hit.FetchedAt, hit.ContentSha256, hit.MandateId, hit.MandateVersion, hit.Case,
                        snapshot is not null, ids, covering));
                }

                var quoted = items.SelectMany(i => i.AuditSequences).ToHashSet();
                var mandateIds = mandates.Select(m => m.Id).ToHashSet();
                var audit = trail.Where(e => quoted.Contains(e.Sequence) ||
                                             (e.Record.MandateId is { } m && mandateIds.Contains(m) &&
                                              e.Record.Operation is AuditOperation.Request or AuditOperation.Approve or AuditOperation.Reject or
                                                  AuditOperation.Revoke or AuditOperation.Suspend or AuditOperation.Review))
                    .Select(e => new EvidenceAuditEntry(e.Sequence, e.Time, e.Record.Actor, e.Record.Operation, e.Record.Subject, e.Record.Outcome,
                        e.Record.Rule, e.Record.Reason, e.Record.MandateId, e.Hash))
                    .ToList();
                var head = trail.Count > 0 ? trail[^1] : null;
                var key = signer.PublicKey;
                var manifest = new EvidenceManifest(EvidenceManifest.FormatId, now, user.Name, recipient, policy.Version, records, items,
                    mandates.Select(m => new EvidenceMandate(m.Id, m.Version, m.Spec.Case, m.Spec.CaseName, m.Spec.LegalBasis, m.Spec.WpgPurpose.ToString(),
                        m.Spec.Purpose, m.Spec.ValidFrom, m.Spec.ValidUntil, m.Approval?.By, m.Approval?.At, m.Approval?.ContentSha256,
                        m.Assessment?.Level.ToString(), m.History.Select(h => $"{h.At:O} {h.Status} by {h.By}{(h.Reason is null ? "" : ": " + h.Reason)}").ToList())).ToList(),
                    audit, head?.Sequence ?? 0, head?.Hash ?? AuditChain.GenesisHash,
                    [.. warc.Written],
                    new EvidenceSigningKeyInfo(EvidencePublicKey.Algorithm, Convert.ToBase64String(key.SubjectPublicKeyInfo), key.Fingerprint));
                // The signature is over the block exactly as it is stored, so a verifier checks the bytes it reads.
                var block = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
                manifestId = warc.WriteResource(EvidenceManifest.Target, now, "application/json", block, info, [signer.SignatureField(block)]);
            }

            if (wacz)
            {
                using var warcFile = File.OpenRead(warcTemp);
                using var package = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
                WaczWriter.Write(package, warcFile, warcName, PackageContent(hits, mandates, items, user.Name, recipient, now, warcName, manifestId!, signer), signer);
            }

            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            foreach (var partial in new[] { temp, warcTemp }.Distinct())
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }
            }
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        var entries = hits.Select(h => new AuditRecord(user.Name, AuditOperation.Disclose, $"hit:{h.Id}", "exported",
                $"exported as evidence in {Path.GetFileName(file)}", "evidence.export", h.MandateId, h.MandateVersion, h.Case,
                ContentSha256: h.ContentSha256, DataSubject: DataSubject.Unknown, Recipient: recipient))
            .Append(new AuditRecord(user.Name, AuditOperation.Disclose, "evidence:" + Path.GetFileName(file), "exported",
                $"{hits.Count} hits ({raw} with the raw exchange) in {records + 1} WARC records{(wacz ? " packaged as WACZ " + WaczWriter.WaczVersion : "")}; " +
                "file SHA-256 is the content hash; " +
                $"manifest signed with evidence key {signer.PublicKey.Fingerprint}", "evidence.export",
                mandates.Count == 1 ? mandates[0].Id : null, mandates.Count == 1 ? mandates[0].Version : null,
                string.Join(", ", mandates.Select(m => m.Spec.Case).Distinct()), ContentSha256: sha, Recipient: recipient))
            .ToList();
        await audit.AppendAsync(entries, ct);
        return new EvidenceExport(Path.GetFullPath(file), sha, records + 1, hits.Select(h => h.Id).ToList(), raw, signer.PublicKey.Fingerprint, format);
    }

    /// <summary>The WARC's name inside a package: the package's name with .warc.gz for .wacz.</summary>
    private static string WarcNameIn(string file)
    {
        var name = Path.GetFileName(file);
        return (name.EndsWith(".wacz", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name) + ".warc.gz";
    }

    /// <summary>
    /// The package around the WARC: a page per hit (the stored title, as minimised), and the case context in
    /// datapackage.json under "crawlerEvidence": who exported it to whom and when, each mandate with its legal basis,
    /// approval and what it allowed, each hit with its content hash, and which record of the WARC is its signed manifest.
    /// </summary>
    private WaczContent PackageContent(List<Hit> hits, List<Mandate> mandates, List<EvidenceItem> items, string actor, string recipient,
        DateTimeOffset now, string warcName, string manifestId, EvidenceSigningKey signer)
    {
        static string Name(string value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value);
        var cases = mandates.Select(m => m.Spec.Case).Distinct().ToList();
        var pages = hits.Zip(items).Select(p => new WaczPage($"hit-{p.First.Id}", p.Second.Url, p.Second.FetchedAt, p.First.Title)).ToList();
        var caseContext = new JsonObject
        {
            ["format"] = "crawler-evidence-package/1",
            ["exportedAt"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["exportedBy"] = actor,
            ["recipient"] = recipient,
            ["policyVersion"] = policy.Version,
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode?)c)]),
            ["mandates"] = new JsonArray([.. mandates.Select(m => (JsonNode?)new JsonObject
            {
                ["id"] = m.Id,
                ["version"] = m.Version,
                ["case"] = m.Spec.Case,
                ["caseName"] = m.Spec.CaseName,
                ["legalBasis"] = m.Spec.LegalBasis,
                ["wpgPurpose"] = Name(m.Spec.WpgPurpose.ToString()),
                ["purpose"] = m.Spec.Purpose,
                ["validFrom"] = m.Spec.ValidFrom.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["validUntil"] = m.Spec.ValidUntil.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["approvedBy"] = m.Approval?.By,
                ["approvedAt"] = m.Approval?.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["approvedContentSha256"] = m.Approval?.ContentSha256,
                ["allowed"] = new JsonObject
                {
                    ["targets"] = new JsonArray([.. m.Spec.Targets.Select(t => (JsonNode?)t)]),
                    ["dataCategories"] = new JsonObject(Enum.GetValues<DataCategory>()
                        .Select(c => KeyValuePair.Create(Name(c.ToString()), (JsonNode?)Name(m.Spec.TreatmentOf(c).ToString())))),
                    ["snapshots"] = m.Spec.Snapshots == true,
                    ["linking"] = m.Spec.Linking,
                    ["limits"] = JsonSerializer.SerializeToNode(m.Spec.Limits, Json),
                },
            })]),
            ["hits"] = new JsonArray([.. items.Select(i => (JsonNode?)new JsonObject
            {
                ["id"] = i.HitId,
                ["url"] = i.Url,
                ["fetchedAt"] = i.FetchedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["contentSha256"] = i.ContentSha256,
                ["mandateId"] = i.MandateId,
                ["mandateVersion"] = i.MandateVersion,
                ["rawExchange"] = i.RawSnapshot,
            })]),
            ["warc"] = new JsonObject
            {
                ["path"] = "archive/" + warcName,
                ["manifestRecordId"] = manifestId,
                ["manifestTarget"] = EvidenceManifest.Target.ToString(),
                ["signingKey"] = signer.PublicKey.Fingerprint,
            },
        };
        var software = "Crawler " + typeof(EvidenceService).Assembly.GetName().Version;
        var description =
            $"Evidence in case {string.Join(", ", cases)}: {hits.Count} hits exported by {actor} to {recipient} on " +
            $"{now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC, collected under " +
            string.Join("; ", mandates.Select(m => $"mandate {m.Id} version {m.Version} ({m.Spec.LegalBasis})")) + ".\n\n" +
            $"The WARC in archive/ ends with a signed manifest ({EvidenceManifest.Target}) listing every record, the mandates, their approvals " +
            "and the audit entries behind each hit. This package is signed in datapackage-digest.json with the same key " +
            $"({signer.PublicKey.Fingerprint}). Check both offline with `crawler evidence verify FILE.wacz --public-key KEY.pem`.";
        return new WaczContent($"Evidence {string.Join(", ", cases)} for {OneLine(recipient)}", description, software, now, pages,
            "crawlerEvidence", caseContext);
    }

    /// <summary>
    /// The installation's evidence public key, for recipients to verify exports with. Needs only the key folder;
    /// an installation from before signed evidence gets its key now.
    /// </summary>
    public static EvidencePublicKey PublicKey(DataFolder folder)
    {
        using var key = SigningKey(folder);
        return key.PublicKey;
    }

    private static EvidenceSigningKey SigningKey(DataFolder folder)
    {
        try
        {
            return EvidenceSigningKey.FromPem(folder.EvidenceKeyPem());
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{folder.EvidenceKeyPath}: {StripParameter(e)}");
        }
    }

    /// <summary>
    /// Checks an evidence file offline, with nothing but the file (and, if given, the public key the recipient
    /// was sent): every record's digests; the manifest present and last; its record list equal to the records in
    /// the file; the records each hit names present, and a raw response's payload hashing to the hit's content
    /// hash; the manifest's signature, by the key it names, and with <paramref name="publicKeyFile"/> that this is
    /// that key. Missing or unreadable input is an <see cref="InputException"/>; everything about the content
    /// is a problem in the result.
    /// </summary>
    public static EvidenceCheck Verify(string file, string? publicKeyFile = null)
    {
        var expected = publicKeyFile is null ? null : ReadPublicKey(publicKeyFile);
        var (fileSha, isZip) = FileSha256(file);
        if (isZip)
        {
            return VerifyPackage(file, fileSha, expected);
        }

        using var stream = Open(file);
        return VerifyWarc(stream, fileSha, expected);
    }

    /// <summary>
    /// A WACZ: the package (layout, every file's hash in datapackage.json, the signed datapackage-digest.json), then the
    /// WARC inside exactly as a .warc.gz is checked, its index against the index of its records, its pages against the
    /// exported hits, and the WARC's manifest signed with the same key as the package. WARC problems are prefixed
    /// with the WARC's path in the package.
    /// </summary>
    private static EvidenceCheck VerifyPackage(string file, string fileSha, EvidencePublicKey? expected)
    {
        using var stream = Open(file);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InputException(new InputProblem(file, 0, 0, "FILE", "starts like a ZIP file but is not a readable one: " + e.Message));
        }

        using var _ = zip;
        var package = WaczVerifier.Verify(zip, expected);
        var empty = new WarcVerification(false, [], "the package holds no WARC to check", ReadToEnd: false);
        if (package.WarcPath is not { } warcPath)
        {
            return new EvidenceCheck(EvidenceVerdict.Failed, fileSha, empty, null, package.KeyFingerprint, package.KeyMatchesExpected, package.Problems, package);
        }

        // The WARC is read more than once (records, then its index), so it is copied out of the package first.
        using var warc = new FileStream(Path.Combine(Path.GetTempPath(), "crawler-verify-" + Guid.NewGuid().ToString("N") + ".warc.gz"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using (var entry = zip.GetEntry(warcPath)!.Open())
        {
            entry.CopyTo(warc);
        }

        warc.Position = 0;
        var inner = VerifyWarc(warc, fileSha, expected);
        var problems = new List<string>(package.Problems);
        problems.AddRange(inner.Problems.Select(p => $"{warcPath}: {p}"));
        if (inner.Warc.ReadToEnd && inner.Warc.Records.Count > 0)
        {
            warc.Position = 0;
            CheckIndex(zip, CdxjIndex.Build(warc, warcPath["archive/".Length..]), problems);
        }

        CheckPages(zip, inner.Manifest, problems);
        if (inner.KeyFingerprint is { } warcKey && package.KeyFingerprint is { } packageKey && warcKey != packageKey)
        {
            problems.Add($"{WaczWriter.DataPackageDigest} signature: the package is signed with key {packageKey}, its WARC's manifest with {warcKey}");
        }

        var verdict = problems.Count == 0 ? EvidenceVerdict.Verified
            : inner.Verdict == EvidenceVerdict.NotProven && package.Problems.Count == 0 && problems.Count == inner.Problems.Count ? EvidenceVerdict.NotProven
            : EvidenceVerdict.Failed;
        return inner with
        {
            Verdict = verdict,
            KeyFingerprint = package.KeyFingerprint ?? inner.KeyFingerprint,
            KeyMatchesExpected = package.KeyMatchesExpected ?? inner.KeyMatchesExpected,
            Problems = problems,
            Package = package,
        };
    }

    /// <summary>The package's CDXJ index must be the index of the WARC it holds, line for line.</summary>
    private static void CheckIndex(ZipArchive zip, IReadOnlyList<string> expected, List<string> problems)
    {
        if (zip.GetEntry(WaczWriter.IndexPath) is not { } entry)
        {
            return;
        }

        using var reader = new StreamReader(entry.Open());
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < Math.Max(lines.Length, expected.Count); i++)
        {
            var found = i < lines.Length ? lines[i] : null;
            var wanted = i < expected.Count ? expected[i] : null;
            if (found != wanted)
            {
                problems.Add($"{WaczWriter.IndexPath}: line {i + 1} is {(found is null ? "missing" : $"'{Shorten(found)}'")}, " +
                             $"but the WARC's records index as {(wanted is null ? "nothing more" : $"'{Shorten(wanted)}'")}");
                return;
            }
        }
    }

    /// <summary>Every page the package offers is one of the hits its manifest lists, at the URL the manifest gives.</summary>
    private static void CheckPages(ZipArchive zip, EvidenceManifest? manifest, List<string> problems)
    {
        if (zip.GetEntry(WaczWriter.PagesPath) is not { } entry || manifest is null)
        {
            return;
        }

        var urls = manifest.Items.Select(i => i.Url).ToHashSet(StringComparer.Ordinal);
        using var reader = new StreamReader(entry.Open());
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            try
            {
                using var page = JsonDocument.Parse(line);
                if (page.RootElement.TryGetProperty("url", out var url) && url.GetString() is { } u && !urls.Contains(u))
                {
                    problems.Add($"{WaczWriter.PagesPath}: line {number} offers {u}, which is not one of the exported hits");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                problems.Add($"{WaczWriter.PagesPath}: line {number} is not a JSON object");
            }
        }
    }

    private static string Shorten(string value) => value.Length > 120 ? value[..120] + "..." : value;

    /// <summary>A .warc.gz, from <paramref name="stream"/>: everything the file claims, as the public overload describes.</summary>
    private static EvidenceCheck VerifyWarc(Stream stream, string fileSha, EvidencePublicKey? expected)
    {
        var entries = new List<WarcRecordEntry>();
        var manifests = new Dictionary<int, WarcRecord>();
        var payloads = new Dictionary<string, string?>(StringComparer.Ordinal);
        WarcVerification warc;
        {
            warc = WarcVerifier.Verify(stream, (index, record) =>
            {
                entries.Add(WarcRecordEntry.Of(index, record));
                if (record.Type == "resource" && record["WARC-Target-URI"] == EvidenceManifest.Target.ToString())
                {
                    manifests[index] = record;
                }
                else if (record.Type == "response")
                {
                    payloads.TryAdd(record.RecordId, HttpPayloadSha256(record.Block));
                }
            });
        }

        var problems = warc.Records.Where(r => r.Problem is not null).Select(r => $"{entries[r.Index].Describe()}: {r.Problem}").ToList();
        if (!warc.ReadToEnd || warc.Records.Count == 0)
        {
            // Reading stopped: what follows the damage cannot be compared with anything.
            problems.Add(warc.Problem!);
            return new EvidenceCheck(EvidenceVerdict.Failed, fileSha, warc, null, null, null, problems);
        }

        if (manifests.Count == 0)
        {
            problems.Add("the manifest is missing: the file was cut short or is not a crawler evidence file");
            return new EvidenceCheck(EvidenceVerdict.Failed, fileSha, warc, null, null, null, problems);
        }

        var at = manifests.Keys.Max();
        problems.AddRange(entries.Skip(at + 1).Select(e => $"{e.Describe()}: follows the manifest (record {at}), which must be the last record"));
        var manifestRecord = manifests[at];
        var before = entries.Take(at).ToList();
        var (manifest, format, problem) = ReadManifest(manifestRecord.Block);
        if (manifest is null)
        {
            problems.Add(problem!);
            return new EvidenceCheck(EvidenceVerdict.Failed, fileSha, warc, null, null, null, problems);
        }

        var signed = format == EvidenceManifest.FormatId;
        string? fingerprint = null;
        bool? matches = null;
        if (signed)
        {
            fingerprint = CheckSignature(manifest, manifestRecord, expected, problems);
            matches = expected is null || fingerprint is null ? null : fingerprint == expected.Fingerprint;
            problems.AddRange(manifest.Records is null
                ? ["manifest: it has no record list"]
                : WarcRecordList.Compare(manifest.Records, before));
        }
        else if (expected is not null)
        {
            problems.Add($"manifest signature: the manifest is not signed, so it cannot have been signed with the key given by --public-key ({expected.Fingerprint})");
        }

        if (manifest.RecordCount != before.Count)
        {
            problems.Add($"manifest: it counts {manifest.RecordCount} records before it, the file has {before.Count}");
        }

        CheckItems(manifest, before, payloads, problems);
        var verdict = problems.Count > 0 ? EvidenceVerdict.Failed : signed ? EvidenceVerdict.Verified : EvidenceVerdict.NotProven;
        if (!signed)
        {
            problems.Insert(0, $"manifest: format {format} is not signed and does not list the records' digests, so nothing proves the records " +
                               "are as exported (a record changed with its digest recomputed would pass); ask the sender for a new export");
        }

        return new EvidenceCheck(verdict, fileSha, warc, manifest, fingerprint, matches, problems);
    }

    /// <summary>The manifest, with its format; or why it cannot be read. Unknown formats are refused.</summary>
    private static (EvidenceManifest? Manifest, string? Format, string? Problem) ReadManifest(byte[] block)
    {
        try
        {
            using var document = JsonDocument.Parse(block);
            var format = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out var f) &&
                         f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (format is not (EvidenceManifest.FormatId or EvidenceManifest.UnsignedFormatId))
            {
                return (null, format, $"manifest: unknown manifest format '{format}'");
            }

            var manifest = document.Deserialize<EvidenceManifest>(Json);
            return manifest is { Items: not null, Mandates: not null, Audit: not null }
                ? (manifest, format, null)
                : (null, format, "manifest: it lacks its items, mandates or audit entries");
        }
        catch (JsonException e)
        {
            return (null, null, "manifest: it is not readable: " + e.Message);
        }
    }

    /// <summary>Checks the signature of a format 2 manifest; returns the fingerprint of the key it names, when it names a usable one.</summary>
    private static string? CheckSignature(EvidenceManifest manifest, WarcRecord record, EvidencePublicKey? expected, List<string> problems)
    {
        const string Signature = "manifest signature: ";
        if (manifest.SigningKey is not { } info)
        {
            problems.Add(Signature + "the manifest names no signing key");
            return null;
        }

        EvidencePublicKey key;
        try
        {
            key = EvidencePublicKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(info.PublicKey ?? ""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(Signature + "the manifest's public key is unusable: " + e.Message);
            return null;
        }

        if (info.Algorithm != EvidencePublicKey.Algorithm)
        {
            problems.Add(Signature + $"the manifest's key algorithm '{info.Algorithm}' is not {EvidencePublicKey.Algorithm}");
        }

        if (info.Fingerprint != key.Fingerprint)
        {
            problems.Add(Signature + $"the manifest gives the fingerprint '{info.Fingerprint}' for a key whose fingerprint is {key.Fingerprint}");
        }

        var fields = record.ValuesOf(EvidenceSignature.FieldName).ToList();
        if (fields.Count > 1)
        {
            problems.Add(Signature + $"the manifest record carries {fields.Count} {EvidenceSignature.FieldName} fields");
        }
        else if (EvidenceSignature.Check(fields.SingleOrDefault(), record.Block, key) is { } bad)
        {
            problems.Add(Signature + bad);
        }

        if (expected is not null && expected.Fingerprint != key.Fingerprint)
        {
            problems.Add(Signature + $"signed with key {key.Fingerprint}, not with the key given by --public-key ({expected.Fingerprint})");
        }

        return key.Fingerprint;
    }

    /// <summary>Each hit's records are in the file, and a raw response's payload is the body whose hash the hit carries.</summary>
    private static void CheckItems(EvidenceManifest manifest, List<WarcRecordEntry> records, Dictionary<string, string?> payloads, List<string> problems)
    {
        var byId = records.GroupBy(r => r.RecordId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var item in manifest.Items ?? [])
        {
            var named = new List<WarcRecordEntry>();
            foreach (var id in item.RecordIds ?? [])
            {
                if (byId.TryGetValue(id, out var record))
                {
                    named.Add(record);
                }
                else
                {
                    problems.Add($"manifest: hit {item.HitId} names record {id}, which is not in the file");
                }
            }

            if (!item.RawSnapshot)
            {
                continue;
            }

            if (named.FirstOrDefault(r => r.Type == "response") is not { } response)
            {
                problems.Add($"manifest: hit {item.HitId} is listed with its raw exchange, but none of the records it names in the file is a response");
            }
            else if (payloads.GetValueOrDefault(response.RecordId) is not { } payload)
            {
                problems.Add($"{response.Describe()}: its HTTP message has no end of headers, so its payload cannot be compared with hit {item.HitId}'s content hash");
            }
            else if (!payload.Equals(item.ContentSha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{response.Describe()}: the SHA-256 of its HTTP payload is {payload}, but the manifest gives {item.ContentSha256} " +
                             $"as the content hash of hit {item.HitId} (the body as fetched)");
            }
        }
    }

    /// <summary>Hex SHA-256 of the entity body of an application/http block (after its header block), or null if it has none.</summary>
    private static string? HttpPayloadSha256(byte[] block)
    {
        var headerEnd = block.AsSpan().IndexOf("\r\n\r\n"u8);
        return headerEnd < 0 ? null : Convert.ToHexStringLower(SHA256.HashData(block.AsSpan(headerEnd + 4)));
    }

    /// <summary>The file's SHA-256 (hex), and whether it is a ZIP (a WACZ) rather than a gzip file (a .warc.gz).</summary>
    private static (string Sha256, bool IsZip) FileSha256(string file)
    {
        using var stream = Open(file);
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        var zip = read == 4 && magic.SequenceEqual("PK\x03\x04"u8);
        if (!zip && (read < 2 || magic[0] != 0x1F || magic[1] != 0x8B))
        {
            throw new InputException(new InputProblem(file, 0, 0, "FILE",
                "neither a gzip file (a .warc.gz starts with the bytes 1f 8b) nor a ZIP file (a .wacz starts with PK 03 04)"));
        }

        stream.Position = 0;
        return (Convert.ToHexStringLower(SHA256.HashData(stream)), zip);
    }

    private static FileStream Open(string file)
    {
        try
        {
            return File.OpenRead(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "FILE", "file not found"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "FILE", "cannot be read: " + e.Message));
        }
    }

    private static EvidencePublicKey ReadPublicKey(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "--public-key", "file not found"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(new InputProblem(file, 0, 0, "--public-key", "cannot be read: " + e.Message));
        }

        try
        {
            return EvidencePublicKey.FromPem(text);
        }
        catch (ArgumentException e)
        {
            throw new InputException(new InputProblem(file, 0, 0, "--public-key", StripParameter(e)));
        }
    }

    // ArgumentException appends " (Parameter 'x')", which means nothing to someone reading a key file's error.
    private static string StripParameter(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>
    /// A URL as it was fetched: percent-encoded, exactly as WARC-Target-URI and the request line have it. Hits keep
    /// the decoded form for people to read; every record, the manifest and the package use this one form, so they
    /// match without decoding.
    /// </summary>
    private static string AsFetched(string url) => new Uri(url).AbsoluteUri;
}
