using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>Requesting and assessing mandates through the CLI: the weighing decides, refusals name the field, nothing is stored.</summary>
public sealed class MandateWeighingCliTests
{
    private static async Task<Lab> LabWithTargetAsync()
    {
        var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        return lab;
    }

    private static string Mandate(Lab lab, string extra, string legalBasis = "art126g-sv", int days = 10, string name = "m.yaml")
    {
        var from = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        return lab.WriteFile(name, $"""
            case: "C-7"
            caseName: "Weighing"
            legalBasis: {legalBasis}
            wpgPurpose: art9
            purpose: "p"
            offence: "273f Sr"
            suspect: "unknown"
            factsAndCircumstances: "f"
            targets: [fixture]
            validFrom: "{from:O}"
            validUntil: "{from.AddDays(days):O}"
            {extra}
            """);
    }

    private static int MandateCount(Lab lab)
    {
        using var ctx = lab.OpenContext();
        return ctx.Store.Mandates().Count;
    }

    [Test]
    public async Task A_skeleton_format_mandate_that_weighs_minor_is_still_accepted()
    {
        using var lab = await LabWithTargetAsync();

        var result = await lab.Run("mandate", "request", "--file", Mandate(lab, "linking: false", "art3-politiewet"), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.EqualTo(0), result.Err);
        var shown = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        Assert.That(shown.Json.GetProperty("targetType").GetString(), Is.EqualTo("phenomenon"));
        Assert.That(shown.Json.GetProperty("weighing").GetProperty("level").GetString(), Is.EqualTo("minor"));
    }

    [Test]
    public async Task A_missing_justification_is_named_with_its_line_and_nothing_is_stored()
    {
        using var lab = await LabWithTargetAsync();
        var file = Mandate(lab, "linking: true\njustifications:\n  duration: \"not needed\"");

        var result = await lab.Run("mandate", "request", "--file", file, "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("m.yaml:13:").And.Contain("justifications.combination"));
        Assert.That(MandateCount(lab), Is.Zero);
    }

    [Test]
    public async Task A_legal_basis_that_does_not_fit_the_level_is_refused_with_the_deciding_factor()
    {
        using var lab = await LabWithTargetAsync();
        var file = Mandate(lab, "targetType: person\ntargetDescription: \"one advertiser\"\njustifications:\n  targeting: \"the tip names one number\"", "art3-politiewet");

        var result = await lab.Run("mandate", "request", "--file", file, "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("legalBasis").And.Contain("targeting").And.Contain("art126g-sv"));
        Assert.That(MandateCount(lab), Is.Zero);
    }

    [TestCase("unknownField: 1", "unknownField")]
    [TestCase("dataCategories:\n  faces: keep", "dataCategories.faces")]
    [TestCase("targetType: nation", "targetType")]
    [TestCase("targetType: person", "targetDescription")]
    [TestCase("justifications:\n  mood: \"x\"", "justifications.mood")]
    public async Task Bad_mandate_fields_are_refused_by_name(string extra, string field)
    {
        using var lab = await LabWithTargetAsync();

        var result = await lab.Run("mandate", "request", "--file", Mandate(lab, extra), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(field));
        Assert.That(MandateCount(lab), Is.Zero);
    }

    [Test]
    public async Task An_unknown_legal_basis_is_refused()
    {
        using var lab = await LabWithTargetAsync();

        var result = await lab.Run("mandate", "request", "--file", Mandate(lab, "", "art99-vibes"), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("legalBasis").And.Contain("unknown legal basis 'art99-vibes'"));
    }

    [Test]
    public async Task Assess_shows_every_factor_and_files_nothing()
    {
        using var lab = await LabWithTargetAsync();
        var file = Mandate(lab, "linking: true\njustifications:\n  combination: \"ads share numbers\"");

        var result = await lab.Run("mandate", "assess", "--file", file, "--json", "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(0), result.Err);
        var w = result.Json;
        Assert.That(w.GetProperty("level").GetString(), Is.EqualTo("systematic"));
        Assert.That(w.GetProperty("decidingFactor").GetString(), Is.EqualTo("combination"));
        Assert.That(w.GetProperty("factors").EnumerateArray().Select(f => f.GetProperty("factor").GetString()),
            Is.EqualTo(TestSeq("duration", "frequency", "place", "technical-aid", "amount", "sensitivity", "combination", "targeting", "third-parties")));
        Assert.That(MandateCount(lab), Is.Zero);
    }

    private static string[] TestSeq(params string[] items) => items;

    [Test]
    public async Task Assess_exits_2_when_the_mandate_would_be_refused()
    {
        using var lab = await LabWithTargetAsync();

        var result = await lab.Run("mandate", "assess", "--file", Mandate(lab, "limits:\n  maxPages: 50000"), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("beyond-policy"));
        Assert.That(result.Out, Does.Contain("amount"));
    }

    [Test]
    public async Task A_mandate_the_weighing_stops_is_refused_in_the_audit_trail()
    {
        using var lab = await LabWithTargetAsync();

        await lab.Run("mandate", "request", "--file", Mandate(lab, "linking: true"), "--as", "sanne");

        using var ctx = lab.OpenContext();
        var refusal = ctx.Store.Entries().Single(e => e.Record.Rule == "mandate.weighing");
        Assert.That(refusal.Record.Actor, Is.EqualTo("sanne"));
        Assert.That(refusal.Record.Reason, Does.Contain("justifications.combination"));
    }
}
