using System.Text.Json;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>Faults a new user found by trying every command; each test failed before its fix.</summary>
public sealed class IntegrityFaultTests
{
    [Test]
    public async Task Only_one_next_version_may_await_a_decision_and_an_unchanged_one_is_refused()
    {
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        var v1File = lab.WriteMandate(now.AddHours(-1), now.AddDays(5));
        await lab.Ok("mandate", "request", "--file", v1File, "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        var unchanged = await lab.Run("mandate", "renew", "1", "--file", v1File, "--as", "sanne");
        var first = await lab.Ok("mandate", "renew", "1", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(25)), "--as", "sanne", "--json");
        var second = await lab.Run("mandate", "renew", "1", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(26)), "--as", "sanne");

        Assert.That(unchanged.Err, Does.Contain("refused (mandate.unchanged)"));
        Assert.That(second.Err, Does.Contain("refused (mandate.version-pending)"));
        var v2 = first.Json.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await lab.Ok("mandate", "approve", v2, "--as", "olga");

        // The superseded version can be neither revoked (ending the case) nor renewed again.
        Assert.That((await lab.Run("mandate", "revoke", "1", "--reason", "x", "--as", "pieter")).Err, Does.Contain("refused (mandate.transition)"));
        Assert.That((await lab.Run("mandate", "renew", "1", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(27)), "--as", "sanne")).Err,
            Does.Contain("refused (mandate.transition)"));
        var history = await lab.Ok("mandate", "history", "1", "--as", "pieter");
        Assert.That(history.Out, Does.Contain("mandate 1 version 1: superseded").And.Contain($"mandate {v2} version 2: active"));
        var dry = await lab.Ok("retention", "run", "--dry-run", "--json", "--as", "admin");
        Assert.That(dry.Json.GetProperty("items").GetArrayLength(), Is.Zero, "nothing of the case falls due while its last version is in force");
    }

    [Test]
    public async Task A_version_whose_predecessor_was_revoked_meanwhile_is_not_approved()
    {
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(5)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        await lab.Ok("mandate", "renew", "1", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(25)), "--as", "sanne");
        await lab.Ok("mandate", "revoke", "1", "--reason", "the case ended", "--as", "pieter");

        var approve = await lab.Run("mandate", "approve", "2", "--as", "olga");

        Assert.That(approve.Err, Does.Contain("refused (mandate.predecessor-ended)"));
        var shown = await lab.Ok("mandate", "show", "2", "--json", "--as", "olga");
        Assert.That(shown.Json.GetProperty("status").GetString(), Is.EqualTo("requested"));
    }

    [Test]
    public async Task Kept_text_holds_no_contact_the_mandate_pseudonymises()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(5), treatment: "pseudonymise");

        var hit = await lab.Ok("hits", "show", "1", "--json", "--as", "sanne");
        var text = hit.Json.GetProperty("text").GetString()!;

        Assert.That(text, Is.Not.Empty, "the mandate keeps text");
        Assert.That(text, Does.Not.Contain("12345601").And.Not.Contain("lisa.101@example.nl"));
        var shown = await lab.Ok("mandate", "show", "1", "--as", "pieter");
        Assert.That(shown.Out, Does.Contain("text: the whole ad text and title are kept, with phone numbers and messenger handles, e-mail addresses, the working name masked"));
    }

    [Test]
    public async Task A_wrong_key_folder_gives_one_clear_line_and_exit_2()
    {
        using var lab = await Lab.CreateAsync();
        var other = Path.Combine(Path.GetTempPath(), "crawler-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Lab.RunIn(other, "init");
            var result = await lab.Run("target", "list", "--keys", other + ".keys", "--as", "sanne");

            Assert.That(result.Code, Is.EqualTo(2));
            Assert.That(result.Err.Trim().Split('\n'), Has.Length.EqualTo(1), result.Err);
            Assert.That(result.Err, Does.Contain("cannot be opened with the database key").And.Contain(other + ".keys"));
            Assert.That(result.Err, Does.Not.Contain("   at "), "no stack trace");
        }
        finally
        {
            foreach (var d in new[] { other, other + ".keys" }.Where(Directory.Exists))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }

    [Test]
    public async Task Audit_entries_show_their_legal_basis_data_subject_and_recipient()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(5));
        await lab.Ok("evidence", "export", "--hits", "1", "--out", Path.Combine(lab.Dir, "e.warc.gz"), "--recipient", "OM Rotterdam", "--as", "pieter");

        var json = (await lab.Ok("audit", "list", "--json", "--as", "aaron")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var csv = (await lab.Ok("audit", "list", "--csv", "--as", "aaron")).Out;
        var text = (await lab.Ok("audit", "list", "--operation", "disclose", "--as", "aaron")).Out;

        var store = json.First(e => e.GetProperty("operation").GetString() == "store");
        Assert.That(store.GetProperty("legalBasis").GetString(), Is.EqualTo("art126g-sv"));
        Assert.That(store.GetProperty("dataSubject").GetString(), Is.EqualTo("unknown"));
        var disclose = json.First(e => e.GetProperty("operation").GetString() == "disclose");
        Assert.That(disclose.GetProperty("recipient").GetString(), Is.EqualTo("OM Rotterdam"));
        Assert.That(csv.Split('\n')[0], Does.Contain("legalBasis,dataSubject,recipient"));
        Assert.That(text, Does.Contain("basis=art126g-sv").And.Contain("recipient=OM Rotterdam"));

        var report = Path.Combine(lab.Dir, "report.html");
        await lab.Ok("audit", "report", "--mandate", "1", "--out", report, "--as", "aaron");
        Assert.That(File.ReadAllText(report), Does.Contain("Legal basis and data subjects").And.Contain("OM Rotterdam"));
    }

    [TestCase("{}", "sequence")]
    [TestCase("{\"sequence\": 3, \"hash\": \"abc\", \"time\": \"2026-12-01T00:00:00Z\"}", "hash")]
    [TestCase("{\"sequence\": \"three\"}", "--checkpoint")]
    [TestCase("null", "--checkpoint")]
    public async Task A_malformed_checkpoint_is_bad_input_not_tampering(string content, string field)
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("cp.json", content);

        var result = await lab.Run("audit", "verify", "--checkpoint", file, "--as", "aaron");

        Assert.That(result.Code, Is.EqualTo(2), "bad input, not a failed verification (exit 1)");
        Assert.That(result.Err, Does.Contain("cp.json").And.Contain(field));
        Assert.That(result.Out, Does.Not.Contain("FAILED"));
    }

    [TestCase(new[] { "hits", "show", "abc" }, "ID: expected a hit id")]
    [TestCase(new[] { "mandate", "show", "0" }, "ID: expected a mandate id")]
    [TestCase(new[] { "audit", "list", "--from", "yesterday" }, "--from: expected a time in ISO 8601")]
    [TestCase(new[] { "audit", "list", "--mandate", "x1" }, "--mandate: expected a mandate id")]
    [TestCase(new[] { "crawl", "run", "--target", "1.5" }, "--target: expected a target id")]
    [TestCase(new[] { "policy", "explain", "--target", "1", "--depth", "deep", "http://a.example/" }, "--depth: expected a whole number")]
    [TestCase(new[] { "audit", "list", "--operation", "delete" }, "unknown operation 'delete' (known: collect, refuse")]
    [TestCase(new[] { "audit", "list", "--mandate", "99" }, "no mandate with id 99")]
    [TestCase(new[] { "audit", "list", "--case", "NOPE-1" }, "no mandate has case 'NOPE-1'")]
    [TestCase(new[] { "hits", "list", "--mandate", "99" }, "no mandate with id 99")]
    [TestCase(new[] { "mandate", "show", "99" }, "no mandate with id 99")]
    [TestCase(new[] { "target", "show", "99" }, "no target with id 99")]
    public async Task An_argument_error_names_the_argument_and_the_form_expected(string[] args, string message)
    {
        using var lab = await Lab.CreateAsync();
        var who = args[0] == "audit" ? "aaron" : args[0] == "crawl" || args[0] == "policy" ? "sanne" : "pieter";

        var result = await lab.Run([.. args, "--as", who]);

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(message));
        Assert.That(result.Err, Does.Not.Contain("System.").And.Not.Contain("`1"), "no .NET type names");
    }
}
