using Crawler.Core.Policy;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class PolicyFilesTests
{
    private static IEnumerable<string> ExampleFiles() =>
        Directory.GetFiles(TestData.ExamplesDir, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestData.PoliciesDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    [Test]
    public void The_top_level_policy_files_load()
    {
        var files = TestData.TopLevelPolicyFiles();

        var policy = PolicySetLoader.Load(files);

        Assert.Multiple(() =>
        {
            Assert.That(files.Select(f => f.Name), Is.SupersetOf(TestData.Seq(PolicySetLoader.CrawlerFile, PolicySetLoader.IndicatorsFile)));
            Assert.That(policy.ProductToken, Is.EqualTo("CrawlerNL"));
            Assert.That(policy.UserAgent, Does.StartWith("CrawlerNL/").And.Contain("(+https://politie.example.nl/crawler)"));
            Assert.That(policy.Network, Is.EqualTo(new NetworkPolicy(true, 1000)));
            Assert.That(policy.Fetch.AllowedContentTypes, Is.EqualTo(TestData.Seq("text/html", "application/xhtml+xml")));
            Assert.That(policy.Fetch.MaxBodyBytes, Is.EqualTo(2097152));
            Assert.That(policy.TargetDefaults, Is.EqualTo(new TargetDefaults(2, 100, 1000, 1, 10, 10000, 0, 4)));
            Assert.That(policy.Mandates.MaxValidityDays, Is.EqualTo(90));
            Assert.That(policy.Mandates.LegalBases.Select(b => (b.Id, b.InForce)),
                Is.EqualTo(TestData.Seq(("art3-politiewet", true), ("art126g-sv", true), ("art2.8.8-sv", false))));
            Assert.That(policy.Indicators.Indicators, Has.Count.EqualTo(15));
            Assert.That(policy.Indicators.Indicators.Single(i => i.Id == "minor-age").Escalates, Is.True);
            Assert.That(policy.Indicators.Indicators.Single(i => i.Id == "youth-emphasis").Weight, Is.EqualTo(3));
            Assert.That(policy.Indicators.Indicators.Single(i => i.Id == "low-price").PerHourBelow, Is.EqualTo(60m));
            Assert.That(policy.Indicators.Indicators.Single(i => i.Id == "new-in-town").Weight, Is.Zero);
            Assert.That(policy.Indicators.Negation.Words, Does.Contain("geen").And.Contain("never"));
            Assert.That(policy.Indicators.Negation.AdjacentWords, Is.EqualTo(TestData.Seq("without", "zonder", "sans", "ohne")));
            Assert.That(policy.Indicators.Linking, Is.EqualTo(LinkingPolicy.Default), "the code's defaults are the shipped file's values");
            Assert.That(policy.Profiles, Is.EqualTo(TestData.Seq("cards", "classic", "forum", "generic", "jsonld")));
        });
    }

    [Test]
    public void There_are_example_files_to_check()
    {
        Assert.That(ExampleFiles(), Is.SupersetOf(TestData.Seq("examples/mandate.yaml", "examples/target.yaml")));
    }

    [TestCaseSource(nameof(ExampleFiles))]
    public void Every_example_file_parses_as_its_kind(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(TestData.PoliciesDir, relativePath));
        var name = Path.GetFileName(relativePath);

        if (name.Contains("mandate", StringComparison.OrdinalIgnoreCase))
        {
            var spec = MandateFile.Parse(relativePath, text, TestData.Policy);
            Assert.That(spec.Targets, Is.Not.Empty);
        }
        else if (name.Contains("target", StringComparison.OrdinalIgnoreCase))
        {
            var spec = TargetFile.Parse(relativePath, text, TestData.Policy, _ => true);
            Assert.That(spec.Seeds, Is.Not.Empty);
        }
        else
        {
            Assert.Fail($"{relativePath}: an example must be named after what it is (mandate or target)");
        }
    }

    [Test]
    public void The_example_mandate_names_the_example_target()
    {
        var target = TargetFile.Parse("target.yaml", TestData.ReadExample("target.yaml"), TestData.Policy, _ => true);
        var mandate = MandateFile.Parse("mandate.yaml", TestData.ReadExample("mandate.yaml"), TestData.Policy);

        Assert.That(mandate.Targets, Does.Contain(target.Name));
    }

    [Test]
    public void A_target_written_out_reads_back_as_the_same_target()
    {
        var parsed = TargetFile.Parse("target.yaml", TestData.ReadExample("target.yaml"), TestData.Policy, _ => true);
        var edited = parsed with { Schedule = "0 0 3 * * ?", Scope = parsed.Scope with { Include = ["^/ads/"], Exclude = ["\\.pdf$"] } };

        var again = TargetFile.Parse("again.yaml", TargetFile.Write(edited), TestData.Policy, _ => true);

        Assert.That(TargetFile.Write(again), Is.EqualTo(TargetFile.Write(edited)));
        Assert.That(again.Scope.Exclude, Is.EqualTo(new[] { "\\.pdf$" }), "a pattern with a backslash survives the quoting");
        Assert.That(again.Seeds, Is.EqualTo(parsed.Seeds));
        Assert.That(again.Politeness, Is.EqualTo(parsed.Politeness));
    }

    [Test]
    public void The_policy_version_is_a_lower_hex_SHA_256()
    {
        Assert.That(TestData.Policy.Version, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void The_policy_version_is_the_same_for_the_same_files()
    {
        var again = PolicySetLoader.Load(TestData.TopLevelPolicyFiles());
        var reordered = PolicySetLoader.Load(Enumerable.Reverse(TestData.TopLevelPolicyFiles()).ToList());

        Assert.Multiple(() =>
        {
            Assert.That(again.Version, Is.EqualTo(TestData.Policy.Version));
            Assert.That(reordered.Version, Is.EqualTo(TestData.Policy.Version));
        });
    }

    [TestCase(PolicySetLoader.CrawlerFile)]
    [TestCase(PolicySetLoader.IndicatorsFile)]
    public void The_policy_version_changes_when_one_byte_of_a_file_changes(string fileName)
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == fileName);
        var text = files[i].Text;
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        files[i] = files[i] with { Text = text[..(hash + 1)] + "!" + text[(hash + 2)..] };

        var changed = PolicySetLoader.Load(files);

        Assert.Multiple(() =>
        {
            Assert.That(files[i].Text, Has.Length.EqualTo(text.Length));
            Assert.That(changed.Version, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(changed.Version, Is.Not.EqualTo(TestData.Policy.Version));
        });
    }

    [Test]
    public void The_policy_version_changes_when_a_file_is_renamed()
    {
        var files = TestData.TopLevelPolicyFiles();
        files.Add(new PolicyFileText("extra.yaml", "# extra\n"));
        var withExtra = PolicySetLoader.Load(files);
        files[^1] = new PolicyFileText("extra2.yaml", "# extra\n");
        var renamed = PolicySetLoader.Load(files);

        Assert.Multiple(() =>
        {
            Assert.That(withExtra.Version, Is.Not.EqualTo(TestData.Policy.Version));
            Assert.That(renamed.Version, Is.Not.EqualTo(withExtra.Version));
        });
    }

    [Test]
    public void A_policy_set_missing_indicators_yaml_is_refused_naming_the_file()
    {
        var files = TestData.TopLevelPolicyFiles().Where(f => f.Name != PolicySetLoader.IndicatorsFile).ToList();

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Problems, Has.Count.EqualTo(1));
            Assert.That(ex.Problems[0].File, Is.EqualTo("indicators.yaml"));
            Assert.That(ex.Problems[0].Message, Does.Contain("required policy file is missing"));
            Assert.That(ex.Message, Does.Contain("indicators.yaml"));
        });
    }

    [Test]
    public void A_policy_set_missing_every_file_names_each()
    {
        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load([]));

        Assert.That(ex.Problems.Select(p => p.File), Is.EquivalentTo(TestData.Seq("crawler.yaml", "indicators.yaml", "koops.yaml", "profiles/generic.yaml")));
    }

    [Test]
    public void An_unknown_field_in_crawler_yaml_is_refused_with_its_line()
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.CrawlerFile);
        files[i] = files[i] with { Text = files[i].Text.Replace("  maxRedirects: 5", "  maxRedirect: 5", StringComparison.Ordinal) };

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        var problem = ex.Problems.Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.File, Is.EqualTo("crawler.yaml"));
            Assert.That(problem.Field, Is.EqualTo("fetch.maxRedirect"));
            Assert.That(problem.Line, Is.GreaterThan(0));
        });
    }

    [Test]
    public void A_product_token_with_forbidden_characters_is_refused()
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.CrawlerFile);
        files[i] = files[i] with { Text = files[i].Text.Replace("productToken: CrawlerNL", "productToken: CrawlerNL/1.0", StringComparison.Ordinal) };

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        Assert.That(ex.Problems.Select(p => p.Field), Does.Contain("userAgent.productToken"));
    }

    [Test]
    public void A_duplicate_indicator_id_is_refused()
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.IndicatorsFile);
        files[i] = files[i] with { Text = files[i].Text.Replace("- id: low-price", "- id: new-in-town", StringComparison.Ordinal) };

        var ex = Assert.Throws<InputException>(() => PolicySetLoader.Load(files));

        Assert.That(ex.Problems.Select(p => p.Message), Has.Some.Contains("duplicate indicator id 'new-in-town'"));
    }
}
