using LiteDB;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

public sealed class AuditCliTests
{
    [Test]
    public async Task A_checkpoint_proves_a_later_truncation_and_verify_exits_1_naming_the_entry()
    {
        using var lab = await Lab.CreateAsync();
        var file = Path.Combine(lab.Dir, "..", Path.GetFileName(lab.Dir) + ".checkpoint.json");
        var cp = await lab.Ok("audit", "checkpoint", "--out", file, "--as", "aaron", "--json");
        var head = cp.Json.GetProperty("sequence").GetInt64();

        var ok = await lab.Ok("audit", "verify", "--checkpoint", file, "--as", "aaron");
        Assert.That(ok.Out, Does.Contain("checkpoint entry " + head));

        using (var db = new LiteDatabase(new ConnectionString
               {
                   Filename = Path.Combine(lab.Dir, "crawler.db"), Connection = ConnectionType.Shared,
                   Password = Crawler.Storage.DataFolder.Open(lab.Dir).DatabasePassword,
               }))
        {
            // Cut the tail from the checkpoint's entry on (later entries record the verifications since).
            db.GetCollection("audit").DeleteMany(Query.GTE("_id", head));
        }

        var plain = await lab.Run("audit", "verify", "--as", "aaron");
        var proven = await lab.Run("audit", "verify", "--checkpoint", file, "--as", "aaron");
        File.Delete(file);

        Assert.That(plain.Code, Is.EqualTo(0), "without the checkpoint the shorter chain looks whole");
        Assert.That(proven.Code, Is.EqualTo(1));
        Assert.That(proven.Out, Does.Contain($"FAILED at entry {head}"));
    }

    [Test]
    public async Task An_unreadable_checkpoint_is_bad_input()
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("cp.json", "{ not json");

        var result = await lab.Run("audit", "verify", "--checkpoint", file, "--as", "aaron");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("cp.json").And.Contain("--checkpoint"));
    }

    [Test]
    public async Task The_trail_can_be_filtered_and_exported_as_csv()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        var refusals = await lab.Ok("audit", "list", "--operation", "refuse", "--json", "--as", "aaron");
        var csv = await lab.Ok("audit", "list", "--mandate", "1", "--csv", "--as", "aaron");
        var byActor = await lab.Ok("audit", "list", "--actor", "pieter", "--json", "--as", "aaron");

        var refusalLines = refusals.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(refusalLines, Has.Length.EqualTo(2), "robots /private/ and the out-of-scope partner link");
        Assert.That(refusalLines, Has.All.Contain("\"operation\":\"refuse\""));
        var csvLines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csvLines[0], Does.StartWith("sequence,time,actor,operation,subject,outcome"));
        Assert.That(csvLines.Skip(1), Has.All.Contain(",1,"), "every row belongs to mandate 1");
        Assert.That(byActor.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.Contain("pieter"));
    }

    [Test]
    public async Task A_hit_review_is_recorded_and_logged()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        var bad = await lab.Run("hits", "review", "1", "--verdict", "maybe", "--note", "x", "--as", "sanne");
        var byAuditor = await lab.Run("hits", "review", "1", "--verdict", "relevant", "--note", "x", "--as", "aaron");
        var ok = await lab.Ok("hits", "review", "1", "--verdict", "relevant", "--note", "same number as the tip", "--as", "sanne", "--json");

        Assert.That(bad.Code, Is.EqualTo(2));
        Assert.That(bad.Err, Does.Contain("--verdict"));
        Assert.That(byAuditor.Code, Is.EqualTo(2), "auditors read, they do not review");
        Assert.That(ok.Json.GetProperty("reviewStatus").GetString(), Is.EqualTo("relevant"));
        var logged = await lab.Ok("audit", "list", "--operation", "alter", "--json", "--as", "aaron");
        Assert.That(logged.Out, Does.Contain("same number as the tip"));
    }

    [Test]
    public async Task The_audit_report_is_self_contained_html_with_the_weighing_the_chart_and_the_verification()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");
        var file = Path.Combine(lab.Dir, "report.html");

        await lab.Ok("audit", "report", "--mandate", "1", "--out", file, "--as", "aaron");

        var html = await File.ReadAllTextAsync(file);
        Assert.That(html, Does.StartWith("<!doctype html>"));
        Assert.That(html, Does.Contain("OK: ").And.Contain("chain intact"));
        Assert.That(html, Does.Contain("Koops weighing").And.Contain("third-parties"));
        Assert.That(html, Does.Contain("<svg").And.Contain("robots").And.Contain("scope.host"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("src=\"http"), "no scripts, nothing loaded from elsewhere");
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Entries().Any(e => e.Record.Rule == "audit.report" && e.Record.Actor == "aaron"), Is.True);
    }
}
