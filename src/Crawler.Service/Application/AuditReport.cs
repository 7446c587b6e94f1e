using System.Globalization;
using System.Net;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Service.Access;
using Crawler.Service.Audit;

namespace Crawler.Service.Application;

/// <summary>
/// A self-contained HTML report on one mandate for auditors: the mandate and its weighing, its
/// versions and approval history, what was fetched and refused (by rule, as a chart), what
/// happened to the hits, and whether the trail verifies. Readable without the tool: no scripts,
/// no external resources.
/// </summary>
public sealed class AuditReport(MandateService mandates, AuditService auditService, RetentionService retention, IMandateStore mandateStore,
    IHitStore hitStore, AccessControl access, AuditTrail audit, PolicySet policy, TimeProvider time)
{
    public async Task<string> WriteAsync(long mandateId, string file, string? actingAs, CancellationToken ct = default)
    {
        var actor = (await access.RequireUserAsync(actingAs, ct)).Name;
        await access.AuthorizeAsync(Core.Users.Permission.AuditRead, $"audit-report:mandate:{mandateId}", ct);
        var mandate = await mandates.FindAsync(mandateId, ct);
        var versions = await mandates.VersionsAsync(mandateId, ct);
        var ids = versions.Select(v => v.Id).ToHashSet();
        await audit.AppendAsync(new AuditRecord(actor, AuditOperation.Consult, $"audit-report:mandate:{mandateId}", "ok",
            $"audit report written to {Path.GetFileName(file)}", "audit.report", mandateId, mandate.Version, mandate.Spec.Case), ct);
        var entries = new List<AuditEntry>();
        await foreach (var e in auditService.ListAsync(null, ct))
        {
            if (e.Record.MandateId is { } m && ids.Contains(m))
            {
                entries.Add(e);
            }
        }

        var verification = await auditService.VerifyChainAsync(null, ct);
        var all = await mandateStore.ListAsync(ct);
        var kept = new List<Hit>();
        foreach (var v in versions)
        {
            kept.AddRange(await hitStore.ListAsync(v.Id, ct));
        }

        var html = Render(mandate, versions, entries, verification, actor, kept.Select(h => (h, retention.VerdictFor(h, all))).ToList());
        await File.WriteAllTextAsync(file, html, new UTF8Encoding(false), ct);
        return file;
    }

    private string Render(Mandate m, IReadOnlyList<Mandate> versions, List<AuditEntry> entries, AuditVerification verification, string actor,
        IReadOnlyList<(Hit Hit, Core.Retention.RetentionVerdict Verdict)> kept)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit report: mandate ")
            .Append(m.Id).Append("</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222}")
            .Append("table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
            .Append("th{background:#f3f3f3}.ok{color:#176b28;font-weight:bold}.bad{color:#a3141c;font-weight:bold}code{font-size:12px}")
            .Append("</style></head><body>");
        sb.Append("<h1>Audit report — mandate ").Append(m.Id).Append(" (case ").Append(E(m.Spec.Case)).Append(")</h1>");
        sb.Append("<p>Generated ").Append(E(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))).Append(" by ").Append(E(actor))
            .Append(" with policy <code>").Append(E(policy.Version)).Append("</code>. This report is itself recorded in the audit trail.</p>");

        sb.Append("<h2>Verification of the audit trail</h2><p class=\"").Append(verification.Ok ? "ok" : "bad").Append("\">")
            .Append(verification.Ok ? $"OK: {verification.Entries} entries, chain intact" : $"FAILED at entry {verification.FirstBadSequence}: {E(verification.Problem)}")
            .Append("</p>");

        sb.Append("<h2>The mandate</h2><table>");
        Row(sb, "State now", MandateService.Describe(m, time.GetUtcNow()));
        Row(sb, "Case", $"{m.Spec.Case} — {m.Spec.CaseName}");
        Row(sb, "Legal basis / Wpg purpose", $"{m.Spec.LegalBasis} / {m.Spec.WpgPurpose.ToString().ToLowerInvariant()}");
        Row(sb, "Purpose", m.Spec.Purpose);
        Row(sb, "Offence", m.Spec.Offence);
        Row(sb, "Suspect or description", m.Spec.Suspect);
        Row(sb, "Facts and circumstances", m.Spec.FactsAndCircumstances);
        Row(sb, "Targets", string.Join(", ", m.Spec.Targets) + $" ({m.Spec.EffectiveTargetType.ToString().ToLowerInvariant()})");
        Row(sb, "Validity", $"{m.Spec.ValidFrom:O} until {m.Spec.ValidUntil:O}");
        Row(sb, "Caps", $"{m.Spec.Limits.MaxPages} pages, {m.Spec.Limits.MaxHits} hits" + (m.Spec.Limits.MaxContacts is { } c ? $", {c} contacts" : ""));
        Row(sb, "Data categories", string.Join(", ", Enum.GetValues<DataCategory>().Select(d => $"{d.ToString().ToLowerInvariant()}: {m.Spec.TreatmentOf(d).ToString().ToLowerInvariant()}")));
        Row(sb, "Linking / robots override", $"{(m.Spec.Linking ? "on" : "off")} / {m.Spec.RobotsOverride ?? "none"}");
        Row(sb, "Content SHA-256 (what the approval binds)", m.Spec.ContentSha256());
        sb.Append("</table>");

        if (m.Assessment is { } a)
        {
            sb.Append("<h2>Koops weighing</h2><p>Overall: <b>").Append(KoopsWeighing.Name(a.Level)).Append("</b>, decided by ").Append(E(a.DecidingFactor))
                .Append("; weighed under policy <code>").Append(E(a.PolicyVersion)).Append("</code>, crawler ").Append(E(a.CrawlerVersion)).Append(".</p><table><tr><th>factor</th><th>level</th><th>value</th><th>reason</th><th>justification</th></tr>");
            foreach (var f in a.Factors)
            {
                sb.Append("<tr><td>").Append(E(f.Factor)).Append("</td><td>").Append(KoopsWeighing.Name(f.Level)).Append("</td><td>").Append(E(f.Value))
                    .Append("</td><td>").Append(E(f.Reason)).Append("</td><td>").Append(E(f.Justification)).Append("</td></tr>");
            }

            sb.Append("</table>");
        }

        sb.Append("<h2>Versions and approval history</h2><table><tr><th>mandate</th><th>version</th><th>time</th><th>status</th><th>by</th><th>reason</th></tr>");
        foreach (var v in versions)
        {
            foreach (var e in v.History)
            {
                sb.Append("<tr><td>").Append(v.Id).Append("</td><td>").Append(v.Version).Append("</td><td>").Append(E(e.At.ToString("O", CultureInfo.InvariantCulture)))
                    .Append("</td><td>").Append(E(e.Status.ToString().ToLowerInvariant())).Append("</td><td>").Append(E(e.By)).Append("</td><td>").Append(E(e.Reason)).Append("</td></tr>");
            }

            foreach (var r in v.Reviews ?? [])
            {
                sb.Append("<tr><td>").Append(v.Id).Append("</td><td>").Append(v.Version).Append("</td><td>").Append(E(r.At.ToString("O", CultureInfo.InvariantCulture)))
                    .Append("</td><td>review: ").Append(E(r.Decision.ToString().ToLowerInvariant())).Append("</td><td>").Append(E(r.By)).Append("</td><td>").Append(E(r.Note)).Append("</td></tr>");
            }
        }

        sb.Append("</table>");

        var fetched = entries.Count(e => e.Record.Operation == AuditOperation.Collect && e.Record.Outcome == "fetched");
        var refusedByRule = entries.Where(e => e.Record.Operation == AuditOperation.Refuse)
            .GroupBy(e => e.Record.Rule ?? "(none)").Select(g => (Rule: g.Key, Count: g.Count())).OrderByDescending(x => x.Count).ToList();
        sb.Append("<h2>Pages fetched and refused</h2><p>").Append(fetched).Append(" pages fetched and kept for extraction; ").Append(refusedByRule.Sum(x => x.Count))
            .Append(" refusals (of requests and of actions on the mandate), by rule:</p>");
        Chart(sb, [("fetched", fetched), .. refusedByRule]);

        int Count(string op, string? rule = null) => entries.Count(e => e.Record.Operation == op && (rule is null || e.Record.Rule == rule));
        sb.Append("<h2>What happened to the hits</h2><table>");
        Row(sb, "Stored (kept)", Count(AuditOperation.Store).ToString(CultureInfo.InvariantCulture));
        Row(sb, "Not stored (not an ad, unchanged, outside keywords, below threshold, not public)", Count(AuditOperation.Discard).ToString(CultureInfo.InvariantCulture));
        Row(sb, "Reviewed", Count(AuditOperation.Alter, "hits.review").ToString(CultureInfo.InvariantCulture));
        Row(sb, "Consulted (listed or shown)", Count(AuditOperation.Consult).ToString(CultureInfo.InvariantCulture));
        Row(sb, "Revealed / exported (disclosed) / erased / restricted",
            $"{Count(AuditOperation.Reveal)} / {Count(AuditOperation.Disclose)} / {Count(AuditOperation.Erase)} / {Count(AuditOperation.Restrict)}");
        sb.Append("</table>");

        sb.Append("<h2>Legal basis and data subjects in the trail</h2><table><tr><th>legal basis</th><th>data subject (Wpg art. 6b)</th><th>entries</th></tr>");
        foreach (var g in entries.GroupBy(e => (e.Record.LegalBasis ?? "(none recorded)", e.Record.DataSubject ?? "(no personal data)"))
                     .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            sb.Append("<tr><td>").Append(E(g.Key.Item1)).Append("</td><td>").Append(E(g.Key.Item2)).Append("</td><td>").Append(g.Count()).Append("</td></tr>");
        }

        sb.Append("</table>");
        var disclosures = entries.Where(e => e.Record.Operation is AuditOperation.Disclose or AuditOperation.Reveal).ToList();
        sb.Append("<h2>Disclosures and reveals</h2>");
        if (disclosures.Count == 0)
        {
            sb.Append("<p>None.</p>");
        }
        else
        {
            sb.Append("<table><tr><th>entry</th><th>time</th><th>by</th><th>what</th><th>recipient</th><th>legal basis</th><th>content SHA-256</th></tr>");
            foreach (var e in disclosures)
            {
                sb.Append("<tr><td>").Append(e.Sequence).Append("</td><td>").Append(E(e.Time.ToString("O", CultureInfo.InvariantCulture))).Append("</td><td>")
                    .Append(E(e.Record.Actor)).Append("</td><td>").Append(E(e.Record.Operation + " " + e.Record.Subject)).Append("</td><td>")
                    .Append(E(e.Record.Recipient ?? "")).Append("</td><td>").Append(E(e.Record.LegalBasis ?? "")).Append("</td><td><code>")
                    .Append(E(e.Record.ContentSha256 ?? "")).Append("</code></td></tr>");
            }

            sb.Append("</table>");
        }

        sb.Append("<h2>Hits held now and when they will be deleted</h2>");
        if (kept.Count == 0)
        {
            sb.Append("<p>None: nothing of this mandate is held any more.</p>");
        }
        else
        {
            sb.Append("<table><tr><th>hit</th><th>fetched</th><th>review</th><th>retention</th><th>deletion date</th></tr>");
            foreach (var (h, v) in kept)
            {
                sb.Append("<tr><td>").Append(h.Id).Append("</td><td>").Append(E(h.FetchedAt.ToString("O", CultureInfo.InvariantCulture))).Append("</td><td>")
                    .Append(E(h.ReviewStatus)).Append("</td><td>").Append(E(v.Basis)).Append("</td><td>")
                    .Append(E(v.DeleteAt?.ToString("O", CultureInfo.InvariantCulture) ?? "when the mandate ends, plus its period")).Append("</td></tr>");
            }

            sb.Append("</table>");
        }

        sb.Append("<p>Entries for this mandate in the trail: ").Append(entries.Count).Append(".</p></body></html>");
        return sb.ToString();
    }

    private static void Chart(StringBuilder sb, List<(string Label, int Count)> bars)
    {
        var max = Math.Max(1, bars.Max(b => b.Count));
        const int Width = 520, Bar = 22, Label = 220;
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(Label + Width + 60).Append("\" height=\"").Append((bars.Count * (Bar + 6)) + 10)
            .Append("\" role=\"img\" aria-label=\"pages fetched and refused by rule\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, count) = bars[i];
            var y = 5 + (i * (Bar + 6));
            var w = (int)Math.Round(Width * (double)count / max);
            sb.Append("<text x=\"0\" y=\"").Append(y + 16).Append("\" font-size=\"12\">").Append(E(label)).Append("</text>")
                .Append("<rect x=\"").Append(Label).Append("\" y=\"").Append(y).Append("\" width=\"").Append(Math.Max(w, 1)).Append("\" height=\"").Append(Bar)
                .Append("\" fill=\"").Append(label == "fetched" ? "#3a7d44" : "#b5483f").Append("\"/>")
                .Append("<text x=\"").Append(Label + Math.Max(w, 1) + 6).Append("\" y=\"").Append(y + 16).Append("\" font-size=\"12\">").Append(count).Append("</text>");
        }

        sb.Append("</svg>");
    }

    private static void Row(StringBuilder sb, string name, string? value) =>
        sb.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
}
