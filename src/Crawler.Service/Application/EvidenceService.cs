using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Evidence;

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

/// <summary>
/// The last record of an evidence file. <see cref="RecordCount"/> counts the records before it, so a
/// file cut short (even exactly between two records) no longer matches its manifest.
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
    string AuditHeadHash)
{
    public const string FormatId = "crawler-evidence-manifest/1";
    public static readonly Uri Target = new("urn:crawler:evidence-manifest");
}

public sealed record EvidenceExport(string File, string Sha256, int Records, IReadOnlyList<long> HitIds, int RawSnapshots);

public sealed record EvidenceCheck(bool Ok, WarcVerification Warc, EvidenceManifest? Manifest, IReadOnlyList<string> Problems);

/// <summary>
/// Writes hits as WARC 1.1 evidence (ISO 28500): the raw request and response where the mandate
/// allowed snapshots, the minimised hit as a metadata record, and a manifest with the mandates,
/// approvals and audit entries behind each record. The export is a disclosure and is logged with
/// its recipient and the file's hash.
/// </summary>
public sealed class EvidenceService(CrawlerContext context)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public EvidenceExport Export(IReadOnlyList<long> hitIds, string file, string recipient, string? actingAs)
    {
        var user = context.RequireUser(actingAs);
        context.Authorize(Permission.EvidenceExport, "evidence:" + Path.GetFileName(file));
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
            var hit = context.Store.FindHit(id) ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--hits", $"no hit with id {id}"));
            if (hit.RestrictedAt is not null)
            {
                throw new InputException(new InputProblem("(command line)", 0, 0, "--hits",
                    $"hit {id} is in the restricted store (Wpg art. 14): kept for complaints and accountability only, not for export"));
            }

            hits.Add(hit);
        }

        var now = context.Now;
        var mandates = hits.Select(h => h.MandateId).Distinct().Select(id => context.Store.FindMandate(id)!).ToList();
        var trail = new AuditService(context).List().ToList();
        var items = new List<EvidenceItem>();
        var temp = file + ".partial";
        var records = 0;
        var raw = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var warc = new WarcWriter(stream))
            {
                var info = warc.WriteWarcInfo(Path.GetFileName(file), now,
                [
                    new("software", "Crawler " + typeof(EvidenceService).Assembly.GetName().Version),
                    new("format", "WARC File Format 1.1"),
                    new("conformsTo", "https://iso.org/standard/68004.html"),
                    new("exported-by", user.Name),
                    new("recipient", OneLine(recipient)),
                    new("cases", string.Join(", ", mandates.Select(m => m.Spec.Case).Distinct())),
                    new("policy-version", context.Policy.Version),
                ]);
                records++;
                foreach (var hit in hits)
                {
                    var ids = new List<string>();
                    var snapshot = hit.HasSnapshot ? context.Store.FindSnapshot(hit.Id) : null;
                    string? responseId = null;
                    if (snapshot is not null)
                    {
                        var (requestId, response) = warc.WriteExchange(new WarcExchange(new Uri(snapshot.Url), snapshot.FetchedAt, snapshot.IpAddress, "GET",
                            snapshot.RequestHeaders, snapshot.Status, snapshot.ReasonPhrase, snapshot.ResponseHeaders, snapshot.Body), info);
                        ids.Add(requestId);
                        ids.Add(response);
                        responseId = response;
                        records += 2;
                        raw++;
                    }

                    ids.Add(warc.WriteMetadata(new Uri(hit.Url), hit.FetchedAt, "application/json",
                        JsonSerializer.SerializeToUtf8Bytes(hit, Json), responseId, info));
                    records++;
                    var covering = trail.Where(e => e.Record.Subject == $"hit:{hit.Id}" || (e.Record.MandateId == hit.MandateId && e.Record.Subject == hit.Url))
                        .Select(e => e.Sequence).ToList();
                    items.Add(new EvidenceItem(hit.Id, hit.Url, hit.FetchedAt, hit.ContentSha256, hit.MandateId, hit.MandateVersion, hit.Case,
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
                var manifest = new EvidenceManifest(EvidenceManifest.FormatId, now, user.Name, recipient, context.Policy.Version, records, items,
                    mandates.Select(m => new EvidenceMandate(m.Id, m.Version, m.Spec.Case, m.Spec.CaseName, m.Spec.LegalBasis, m.Spec.WpgPurpose.ToString(),
                        m.Spec.Purpose, m.Spec.ValidFrom, m.Spec.ValidUntil, m.Approval?.By, m.Approval?.At, m.Approval?.ContentSha256,
                        m.Assessment?.Level.ToString(), m.History.Select(h => $"{h.At:O} {h.Status} by {h.By}{(h.Reason is null ? "" : ": " + h.Reason)}").ToList())).ToList(),
                    audit, head?.Sequence ?? 0, head?.Hash ?? AuditChain.GenesisHash);
                warc.WriteResource(EvidenceManifest.Target, now, "application/json", JsonSerializer.SerializeToUtf8Bytes(manifest, Json), info);
            }

            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        var entries = hits.Select(h => new AuditRecord(user.Name, AuditOperation.Disclose, $"hit:{h.Id}", "exported",
                $"exported as evidence in {Path.GetFileName(file)}", "evidence.export", h.MandateId, h.MandateVersion, h.Case,
                ContentSha256: h.ContentSha256, DataSubject: DataSubject.Unknown, Recipient: recipient))
            .Append(new AuditRecord(user.Name, AuditOperation.Disclose, "evidence:" + Path.GetFileName(file), "exported",
                $"{hits.Count} hits ({raw} with the raw exchange) in {records + 1} WARC records; file SHA-256 is the content hash", "evidence.export",
                mandates.Count == 1 ? mandates[0].Id : null, mandates.Count == 1 ? mandates[0].Version : null,
                string.Join(", ", mandates.Select(m => m.Spec.Case).Distinct()), ContentSha256: sha, Recipient: recipient))
            .ToList();
        context.Audit(entries);
        return new EvidenceExport(Path.GetFullPath(file), sha, records + 1, hits.Select(h => h.Id).ToList(), raw);
    }

    /// <summary>
    /// Checks an evidence file offline, without the data folder: every record's digests, and the
    /// manifest (present, last, counting the records before it, naming records that exist).
    /// </summary>
    public static EvidenceCheck Verify(string file)
    {
        if (!File.Exists(file))
        {
            throw new InputException(new InputProblem(file, 0, 0, "FILE", "file not found"));
        }

        WarcVerification warc;
        using (var stream = File.OpenRead(file))
        {
            warc = WarcVerifier.Verify(stream);
        }

        var problems = new List<string>();
        if (!warc.Ok)
        {
            problems.Add(warc.Problem ?? "a record failed its digest check");
            problems.AddRange(warc.Records.Where(r => r.Problem is not null).Select(r => $"record {r.Index} ({r.Type}, {r.RecordId}): {r.Problem}"));
            return new EvidenceCheck(false, warc, null, problems);
        }

        EvidenceManifest? manifest = null;
        List<WarcRecord> all;
        using (var stream = File.OpenRead(file))
        {
            all = WarcReader.Read(stream).ToList();
        }

        var last = all.Count > 0 ? all[^1] : null;
        if (last is null || last.Type != "resource" || last["WARC-Target-URI"] != EvidenceManifest.Target.ToString())
        {
            problems.Add("the manifest is missing: the file was cut short or is not a crawler evidence file");
        }
        else
        {
            try
            {
                manifest = JsonSerializer.Deserialize<EvidenceManifest>(last.Block, Json);
            }
            catch (JsonException ex)
            {
                problems.Add("the manifest is not readable: " + ex.Message);
            }
        }

        if (manifest is not null)
        {
            if (manifest.Format != EvidenceManifest.FormatId)
            {
                problems.Add($"unknown manifest format '{manifest.Format}'");
            }

            if (manifest.RecordCount != all.Count - 1)
            {
                problems.Add($"the manifest counts {manifest.RecordCount} records before it, the file has {all.Count - 1}");
            }

            var ids = all.Select(r => r.RecordId).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in manifest.Items.SelectMany(i => i.RecordIds).Where(id => !ids.Contains(id)))
            {
                problems.Add($"the manifest names record {missing}, which is not in the file");
            }
        }

        return new EvidenceCheck(problems.Count == 0, warc, manifest, problems);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
