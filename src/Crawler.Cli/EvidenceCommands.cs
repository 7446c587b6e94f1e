using System.CommandLine;
using System.Globalization;
using Crawler.Core.Retention;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>Retention runs and evidence export: the commands that end data's life or send it out of the system.</summary>
internal static class EvidenceCommands
{
    public static Command Retention(CliIo io)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what is due without changing anything (the dry run itself is logged)" };
        var run = new Command("run", "Erase what has expired under policies/retention.yaml, restrict what moves to the restricted store, compact the database") { dryRun };
        run.SetAction(r =>
        {
            using var ctx = io.Open(r);
            ctx.RequireUser(io.Actor(r));
            var report = new RetentionService(ctx).Run(r.GetValue(dryRun));
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
        var output = new Option<string>("--out") { Description = "The WARC file to write (.warc.gz)", Required = true };
        var recipient = new Option<string>("--recipient") { Description = "Who receives the evidence (recorded with the disclosure)", Required = true };
        var export = new Command("export", "Export hits as WARC 1.1 evidence with a manifest (officer; logged as a disclosure)") { hits, output, recipient };
        export.SetAction(r =>
        {
            using var ctx = io.Open(r);
            var result = new EvidenceService(ctx).Export(r.GetValue(hits)!, r.GetValue(output)!, r.GetValue(recipient)!, io.Actor(r));
            if (io.Json(r))
            {
                io.WriteJson(new { file = result.File, sha256 = result.Sha256, records = result.Records, hits = result.HitIds, rawSnapshots = result.RawSnapshots });
            }
            else
            {
                io.Out.WriteLine($"wrote {result.File}: {result.HitIds.Count} hits ({result.RawSnapshots} with the raw exchange), {result.Records} WARC records");
                io.Out.WriteLine($"sha256 {result.Sha256} (recorded in the audit trail)");
            }

            return CliApp.Ok;
        });
        var file = new Argument<string>("FILE") { Description = "A .warc.gz written by 'evidence export'" };
        var verify = new Command("verify", "Check every digest and the manifest of an evidence file, offline (exit 1 when it fails)") { file };
        verify.SetAction(r =>
        {
            var check = EvidenceService.Verify(r.GetValue(file)!);
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    ok = check.Ok,
                    records = check.Warc.Records.Select(x => new
                    {
                        index = x.Index, type = x.Type, recordId = x.RecordId, targetUri = x.TargetUri,
                        blockDigestOk = x.BlockDigestOk, payloadDigestOk = x.PayloadDigestOk, problem = x.Problem,
                    }),
                    problems = check.Problems,
                    hits = check.Manifest?.Items.Select(i => i.HitId),
                    exportedBy = check.Manifest?.ExportedBy,
                    recipient = check.Manifest?.Recipient,
                });
            }
            else
            {
                foreach (var x in check.Warc.Records)
                {
                    io.Out.WriteLine($"{x.Index,4} {x.Type,-9} {(x.BlockDigestOk ? "ok" : "BAD")}{(x.PayloadDigestOk is { } p ? p ? " payload ok" : " payload BAD" : "")} {x.TargetUri}");
                }

                foreach (var p in check.Problems)
                {
                    io.Out.WriteLine("problem: " + p);
                }

                io.Out.WriteLine(check.Ok
                    ? $"OK: {check.Warc.Records.Count} records, every digest matches; {check.Manifest!.Items.Count} hits exported by {check.Manifest.ExportedBy} " +
                      $"to {check.Manifest.Recipient} on {check.Manifest.ExportedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z"
                    : "FAILED: the file is not as it was exported");
            }

            return check.Ok ? CliApp.Ok : 1;
        });
        return new Command("evidence", "Evidence export for court") { export, verify };
    }
}
