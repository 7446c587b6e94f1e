using System.CommandLine;
using System.Globalization;
using Crawler.Core.Retention;
using Crawler.Service.Access;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>Retention runs and evidence export: the commands that end data's life or send it out of the system.</summary>
internal static class EvidenceCommands
{
    public static Command Retention(CliIo io)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what is due without changing anything (the dry run itself is logged)" };
        var run = new Command("run", "Erase what has expired under policies/retention.yaml, restrict what moves to the restricted store, compact the database") { dryRun };
        run.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            await app.Get<AccessControl>().RequireUserAsync(io.Actor(r), ct);
            var report = await app.Get<RetentionService>().RunAsync(r.GetValue(dryRun), ct);
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    dryRun = report.DryRun,
                    items = report.Items.Select(i => new
                    {
                        subject = i.Subject,
                        @class = i.Class.ToString().ToLowerInvariant(),
                        action = i.Action.ToString().ToLowerInvariant(),
                        deleteAt = i.DeleteAt,
                        rule = i.Rule,
                        basis = i.Basis,
                        mandateId = i.MandateId,
                        @case = i.Case,
                        contentSha256 = i.ContentSha256,
                    }),
                    frontierItemsPurged = report.FrontierItemsPurged,
                    auditStartsAfter = report.AuditAnchor?.Sequence,
                    compacted = report.Compacted,
                });
                return CliApp.Ok;
            }

            foreach (var i in report.Items)
            {
                io.Out.WriteLine($"{(report.DryRun ? "due" : "done")}: {i.Action.ToString().ToLowerInvariant()} {i.Subject} ({i.Class.ToString().ToLowerInvariant()}, " +
                                 $"deadline {i.DeleteAt:yyyy-MM-dd HH:mm}Z, {i.Rule})");
            }

            io.Out.WriteLine(report.DryRun
                ? $"dry run: {report.Items.Count} items due; nothing changed"
                : $"{report.Items.Count(i => i.Action == RetentionAction.Erase)} erased, {report.Items.Count(i => i.Action == RetentionAction.Restrict)} restricted, " +
                  $"{report.FrontierItemsPurged} frontier entries purged" +
                  (report.AuditAnchor is { } a ? $", audit trail now starts after entry {a.Sequence}" : "") +
                  (report.Compacted ? "; database compacted" : ""));
            return CliApp.Ok;
        });
        return new Command("retention", "Enforce the retention periods") { run };
    }

    public static Command Evidence(CliIo io)
    {
        var hits = CliArgs.Ids("--hits", "hit", "crawler hits list", "The hits to export");
        var output = new Option<string>("--out") { Description = "The file to write (.warc.gz, or .wacz)", Required = true };
        var recipient = new Option<string>("--recipient") { Description = "Who receives the evidence (recorded with the disclosure)", Required = true };
        var format = new Option<string?>("--format")
        {
            Description = "warc (a signed WARC 1.1 file) or wacz (that WARC packaged as WACZ 1.1.1, signed, for ReplayWeb.page); default: wacz for a .wacz file, else warc",
        };
        format.AcceptOnlyFromAmong("warc", "wacz");
        var export = new Command("export", "Export hits as signed WARC 1.1 evidence with a manifest, or as a signed WACZ package (officer; logged as a disclosure)")
        {
            hits, output, recipient, format,
        };
        export.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var file = r.GetValue(output)!;
            var chosen = r.GetValue(format) ?? (file.EndsWith(".wacz", StringComparison.OrdinalIgnoreCase) ? "wacz" : "warc");
            var result = await app.Get<EvidenceService>().ExportAsync(r.GetValue(hits)!, file, r.GetValue(recipient)!, io.Actor(r),
                chosen == "wacz" ? EvidenceFormat.Wacz : EvidenceFormat.Warc, ct);
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    file = result.File, format = chosen, sha256 = result.Sha256, records = result.Records, hits = result.HitIds, rawSnapshots = result.RawSnapshots,
                    keyFingerprint = result.KeyFingerprint,
                });
            }
            else
            {
                io.Out.WriteLine($"wrote {result.File}: {result.HitIds.Count} hits ({result.RawSnapshots} with the raw exchange), {result.Records} WARC records" +
                                 (result.Format == EvidenceFormat.Wacz ? ", packaged as WACZ 1.1.1" : ""));
                io.Out.WriteLine($"sha256 {result.Sha256} (recorded in the audit trail)");
                io.Out.WriteLine($"signed with evidence key {result.KeyFingerprint} (send the recipient 'crawler evidence public-key' to verify with)");
            }

            return CliApp.Ok;
        });
        return new Command("evidence", "Evidence export for court") { export, Verify(io), PublicKey(io) };
    }

    private static Command Verify(CliIo io)
    {
        var file = new Argument<string>("FILE") { Description = "A .warc.gz or .wacz written by 'evidence export'" };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "The exporting installation's public key (PEM, from 'crawler evidence public-key'): the file must be signed with exactly this key",
        };
        var verify = new Command("verify", "Check an evidence file offline: every digest, the signed manifest and its record list (exit 1 when it fails or is unsigned)")
        {
            file, publicKey,
        };
        verify.SetAction(async (r, ct) =>
        {
            var check = EvidenceService.Verify(r.GetValue(file)!, r.GetValue(publicKey));
            var manifest = check.Manifest;
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    ok = check.Ok,
                    verdict = check.Verdict,
                    fileSha256 = check.FileSha256,
                    signingKey = new { fingerprint = check.KeyFingerprint, matchesPublicKey = check.KeyMatchesExpected },
                    format = manifest?.Format,
                    package = check.Package is { } package ? new
                    {
                        format = "wacz",
                        warc = package.WarcPath,
                        files = package.Files.Select(f => new { path = f.Path, bytes = f.Bytes, sha256 = f.Sha256, ok = f.Ok, problem = f.Problem }),
                        signingKey = package.KeyFingerprint,
                    } : null,
                    records = check.Warc.Records.Select(x => new
                    {
                        index = x.Index, type = x.Type, recordId = x.RecordId, targetUri = x.TargetUri,
                        blockDigestOk = x.BlockDigestOk, payloadDigestOk = x.PayloadDigestOk, problem = x.Problem,
                    }),
                    problems = check.Problems,
                    hits = manifest?.Items.Select(i => i.HitId),
                    exportedBy = manifest?.ExportedBy,
                    exportedAt = manifest?.ExportedAt,
                    recipient = manifest?.Recipient,
                });
                return check.Ok ? CliApp.Ok : CliApp.VerificationFailed;
            }

            foreach (var f in check.Package?.Files ?? [])
            {
                io.Out.WriteLine($"file {(f.Ok ? "ok " : "BAD")} {f.Path} ({f.Bytes} bytes, {f.Sha256})");
            }

            foreach (var x in check.Warc.Records)
            {
                io.Out.WriteLine($"{x.Index,4} {x.Type,-9} {(x.BlockDigestOk ? "ok" : "BAD")}{(x.PayloadDigestOk is { } p ? p ? " payload ok" : " payload BAD" : "")} {x.TargetUri}");
            }

            foreach (var p in check.Problems)
            {
                io.Out.WriteLine("problem: " + p);
            }

            io.Out.WriteLine($"file sha256 {check.FileSha256} (compare it with the content hash of the 'disclose' entry for this file in the exporter's audit trail)");
            if (check.KeyFingerprint is { } fingerprint)
            {
                io.Out.WriteLine($"signing key {fingerprint}" + check.KeyMatchesExpected switch
                {
                    true => " (the key given by --public-key)",
                    false => " (NOT the key given by --public-key)",
                    null => " (compare it with the fingerprint the exporting installation published, or pass --public-key)",
                });
            }

            io.Out.WriteLine(check.Verdict switch
            {
                EvidenceVerdict.Verified =>
                    $"OK: {check.Warc.Records.Count} records, every digest matches and the manifest listing them is signed; {manifest!.Items.Count} hits " +
                    $"exported by {manifest.ExportedBy} to {manifest.Recipient} on {manifest.ExportedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z",
                EvidenceVerdict.NotProven => "NOT PROVEN: every digest matches, but the manifest is not signed, so the file may have been changed since it was exported",
                _ => "FAILED: the file is not as it was exported",
            });
            return check.Ok ? CliApp.Ok : CliApp.VerificationFailed;
        });
        return verify;
    }

    private static Command PublicKey(CliIo io)
    {
        var output = new Option<string?>("--out") { Description = "Write the PEM to this file instead of printing it" };
        var command = new Command("public-key", "The installation's evidence public key (PEM) and its fingerprint, for recipients to verify exports with")
        {
            output,
        };
        command.SetAction(async (r, ct) =>
        {
            // Only the key folder is needed: the key is public, so reading it is not logged.
            var key = EvidenceService.PublicKey(Storage.DataFolder.Open(io.DataDir(r), io.Keys(r)));
            if (r.GetValue(output) is { } file)
            {
                try
                {
                    File.WriteAllText(file, key.Pem + "\n");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new Core.Yaml.InputException(new Core.Yaml.InputProblem(file, 0, 0, "--out", "cannot be written: " + e.Message));
                }
            }

            if (io.Json(r))
            {
                io.WriteJson(new { publicKey = key.Pem + "\n", fingerprint = key.Fingerprint, file = r.GetValue(output) is { } f ? Path.GetFullPath(f) : null });
            }
            else
            {
                if (r.GetValue(output) is { } written)
                {
                    io.Out.WriteLine($"wrote {Path.GetFullPath(written)}");
                }
                else
                {
                    io.Out.WriteLine(key.Pem);
                }

                io.Out.WriteLine($"fingerprint {key.Fingerprint}");
            }

            return CliApp.Ok;
        });
        return command;
    }
}
