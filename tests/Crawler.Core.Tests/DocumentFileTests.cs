using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class DocumentFileTests
{
    private const string TargetName = "target.yaml";
    private const string MandateName = "mandate.yaml";

    private const string ValidTarget = """
        name: demo-ads
        seeds:
          - https://ads.example.nl/
        scope:
          hosts: [ads.example.nl]
          include: ['^/(ads/|listing|$)']
          exclude: ['^/private/', 'login']
          maxDepth: 2
          maxPagesPerRun: 50
        politeness:
          minDelayMs: 2000
          maxConcurrencyPerHost: 1
        schedule: "0 0 3 * * ?"
        profile: generic
        """;

    private const string ValidMandate = """
        case: "2026-MH-0042"
        caseName: "Onderzoek Tulp"
        legalBasis: art126g-sv
        wpgPurpose: art9
        purpose: "Identify ads that indicate exploitation"
        offence: "Mensenhandel (art. 273f Sr)"
        suspect: "Unknown persons"
        factsAndCircumstances: "Tip about ads sharing one phone number"
        targets: [demo-ads]
        validFrom: "2026-11-28T00:00:00Z"
        validUntil: "2027-01-27T00:00:00Z"
        limits:
          maxPages: 500
          maxHits: 100
        dataCategories:
          phone: pseudonymise
          email: pseudonymise
          text: drop
        linking: false
        """;

    private static TargetSpec ParseTarget(string text) => TargetFile.Parse(TargetName, text, TestData.Policy, _ => true);

    private static MandateSpec ParseMandate(string text) => MandateFile.Parse(MandateName, text, TestData.Policy);

    private static IReadOnlyList<InputProblem> TargetProblems(string text) =>
        Assert.Throws<InputException>(() => ParseTarget(text))!.Problems;

    private static IReadOnlyList<InputProblem> MandateProblems(string text) =>
        Assert.Throws<InputException>(() => ParseMandate(text))!.Problems;

    private static InputProblem Single(IReadOnlyList<InputProblem> problems, string field)
    {
        var matching = problems.Where(p => p.Field == field).ToList();
        Assert.That(matching, Has.Count.EqualTo(1), string.Join(Environment.NewLine, problems));
        return matching[0];
    }

    private static int LineOf(string text, string fragment) =>
        text[..text.IndexOf(fragment, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    [Test]
    public void The_example_target_file_parses()
    {
        var spec = TargetFile.Parse("examples/target.yaml", TestData.ReadExample("target.yaml"), TestData.Policy, _ => true);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Name, Is.EqualTo("demo-ads"));
            Assert.That(spec.Seeds, Is.EqualTo(TestData.Seq("https://ads.example.nl/")));
            Assert.That(spec.Scope.Hosts, Is.EqualTo(TestData.Seq("ads.example.nl")));
            Assert.That(spec.Scope.Include, Is.EqualTo(TestData.Seq("^/(ads/|listing|$)")));
            Assert.That(spec.Scope.Exclude, Is.EqualTo(TestData.Seq("^/private/", "login")));
            Assert.That(spec.Scope.MaxDepth, Is.EqualTo(2));
            Assert.That(spec.Scope.MaxPagesPerRun, Is.EqualTo(50));
            Assert.That(spec.Politeness, Is.EqualTo(new Politeness(2000, 1)));
            Assert.That(spec.Schedule, Is.EqualTo("0 0 3 * * ?"));
            Assert.That(spec.Profile, Is.EqualTo("generic"));
        });
    }

    [Test]
    public void The_example_mandate_file_parses()
    {
        var spec = MandateFile.Parse("examples/mandate.yaml", TestData.ReadExample("mandate.yaml"), TestData.Policy);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Case, Is.EqualTo("2026-MH-0042"));
            Assert.That(spec.LegalBasis, Is.EqualTo("art126g-sv"));
            Assert.That(spec.WpgPurpose, Is.EqualTo(WpgPurpose.Art9));
            Assert.That(spec.Targets, Is.EqualTo(TestData.Seq("demo-ads")));
            Assert.That(spec.ValidFrom, Is.EqualTo(TestData.ValidFrom));
            Assert.That(spec.ValidUntil, Is.EqualTo(TestData.ValidUntil));
            Assert.That(spec.Limits, Is.EqualTo(new MandateLimits(500, 100)));
            Assert.That(spec.TreatmentOf(DataCategory.Phone), Is.EqualTo(Treatment.Pseudonymise));
            Assert.That(spec.TreatmentOf(DataCategory.Email), Is.EqualTo(Treatment.Pseudonymise));
            Assert.That(spec.TreatmentOf(DataCategory.Text), Is.EqualTo(Treatment.Drop));
            Assert.That(spec.TreatmentOf(DataCategory.Name), Is.EqualTo(Treatment.Drop), "unnamed categories are dropped");
            Assert.That(spec.Linking, Is.False);
        });
    }

    [Test]
    public void A_minimal_target_takes_the_policy_defaults_and_the_seed_hosts()
    {
        var spec = ParseTarget("name: tiny\nseeds: [\"https://Ads.Example.NL:443/start#top\"]\n");

        Assert.Multiple(() =>
        {
            Assert.That(spec.Seeds, Is.EqualTo(TestData.Seq("https://ads.example.nl/start")));
            Assert.That(spec.Scope.Hosts, Is.EqualTo(TestData.Seq("ads.example.nl")));
            Assert.That(spec.Scope.MaxDepth, Is.EqualTo(TestData.Policy.TargetDefaults.MaxDepth));
            Assert.That(spec.Scope.MaxPagesPerRun, Is.EqualTo(TestData.Policy.TargetDefaults.MaxPagesPerRun));
            Assert.That(spec.Politeness.MinDelayMs, Is.EqualTo(TestData.Policy.TargetDefaults.MinDelayMs));
            Assert.That(spec.Profile, Is.EqualTo("generic"));
            Assert.That(spec.Schedule, Is.Null);
        });
    }

    [Test]
    public void A_mandate_without_limits_takes_the_policy_defaults()
    {
        var text = ValidMandate.Replace("limits:\n  maxPages: 500\n  maxHits: 100\n", "", StringComparison.Ordinal);

        var spec = ParseMandate(text);

        Assert.That(spec.Limits, Is.EqualTo(new MandateLimits(TestData.Policy.Mandates.DefaultMaxPages, TestData.Policy.Mandates.DefaultMaxHits)));
    }

    [Test]
    public void Malformed_target_YAML_names_the_file_and_a_line()
    {
        var problems = TargetProblems("name: demo-ads\nseeds: https://ads.example.nl/: x\n");

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems[0].File, Is.EqualTo(TargetName));
            Assert.That(problems[0].Line, Is.EqualTo(2));
            Assert.That(problems[0].Field, Is.EqualTo("(document)"));
            Assert.That(problems[0].Message, Does.StartWith("malformed YAML"));
        });
    }

    [Test]
    public void An_unclosed_flow_list_is_reported_as_malformed_YAML_not_a_crash()
    {
        // A forgotten ']' followed by the next field: YamlDotNet throws InvalidOperationException here, not YamlException.
        var problems = TargetProblems("name: demo-ads\nseeds: [https://ads.example.nl/\nscope:\n  hosts: [a\n");

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems[0].File, Is.EqualTo(TargetName));
            Assert.That(problems[0].Line, Is.GreaterThan(0));
            Assert.That(problems[0].Message, Does.StartWith("malformed YAML"));
        });
    }

    [Test]
    public void Malformed_mandate_YAML_names_the_file_and_a_line()
    {
        var problems = MandateProblems("case: \"2026-MH-0042\ncaseName: x\n  - : : \n");

        Assert.Multiple(() =>
        {
            Assert.That(problems[0].File, Is.EqualTo(MandateName));
            Assert.That(problems[0].Line, Is.GreaterThan(0));
            Assert.That(problems[0].Field, Is.EqualTo("(document)"));
        });
    }

    [Test]
    public void A_document_that_is_not_a_mapping_is_refused()
    {
        var problems = TargetProblems("- just\n- a list\n");

        Assert.Multiple(() =>
        {
            Assert.That(problems[0].Field, Is.EqualTo("(document)"));
            Assert.That(problems[0].Message, Does.Contain("mapping"));
        });
    }

    [Test]
    public void Duplicate_keys_are_reported_as_an_input_problem()
    {
        var ex = Assert.Throws<InputException>(() => ParseTarget("name: demo-ads\nname: other-ads\nseeds: [\"https://ads.example.nl/\"]\n"));

        Assert.That(ex.Problems[0].File, Is.EqualTo(TargetName));
    }

    [Test]
    public void An_unknown_target_field_is_named_with_its_line()
    {
        var text = ValidTarget.Replace("  maxDepth: 2", "  maxDeph: 2", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "scope.maxDeph");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Line, Is.EqualTo(LineOf(text, "maxDeph")));
            Assert.That(problem.File, Is.EqualTo(TargetName));
            Assert.That(problem.Message, Does.Contain("unknown field"));
            Assert.That(problem.ToString(), Does.StartWith($"{TargetName}:{LineOf(text, "maxDeph")}:"));
        });
    }

    [Test]
    public void An_unknown_top_level_mandate_field_is_named_with_its_line()
    {
        var text = ValidMandate + "\napprovedBy: pieter\n";

        var problem = Single(MandateProblems(text), "approvedBy");

        Assert.That(problem.Line, Is.EqualTo(LineOf(text, "approvedBy")));
    }

    [Test]
    public void A_target_without_seeds_is_refused_on_field_seeds()
    {
        var text = ValidTarget.Replace("seeds:\n  - https://ads.example.nl/\n", "", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "seeds");

        Assert.That(problem.Message, Does.Contain("required"));
    }

    [Test]
    public void A_target_with_an_empty_seed_list_is_refused_on_field_seeds()
    {
        var text = ValidTarget.Replace("seeds:\n  - https://ads.example.nl/\n", "seeds: []\n", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "seeds");

        Assert.That(problem.Message, Does.Contain("at least one"));
    }

    [Test]
    public void A_seed_outside_scope_hosts_is_refused()
    {
        var text = ValidTarget.Replace("  - https://ads.example.nl/\n", "  - https://ads.example.nl/\n  - https://other.example.com/\n", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "seeds");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("seed host 'other.example.com' is outside scope.hosts"));
            Assert.That(problem.Line, Is.GreaterThan(0));
        });
    }

    [Test]
    public void A_seed_that_is_not_http_is_refused()
    {
        var text = ValidTarget.Replace("  - https://ads.example.nl/\n", "  - https://ads.example.nl/\n  - ftp://ads.example.nl/\n", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "seeds");

        Assert.That(problem.Message, Does.Contain("not a usable URL"));
    }

    [Test]
    public void An_invalid_exclude_regex_is_refused()
    {
        var text = ValidTarget.Replace("exclude: ['^/private/', 'login']", "exclude: ['^/private/', '(unclosed']", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "scope.exclude");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("'(unclosed' is not a valid regular expression"));
            Assert.That(problem.Line, Is.EqualTo(LineOf(text, "(unclosed")));
        });
    }

    [Test]
    public void A_max_depth_above_the_policy_limit_is_refused()
    {
        var text = ValidTarget.Replace("  maxDepth: 2", "  maxDepth: 11", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "scope.maxDepth");

        Assert.That(problem.Message, Does.Contain("between 0 and 10"));
    }

    [Test]
    public void An_unknown_profile_is_refused()
    {
        var text = ValidTarget.Replace("profile: generic", "profile: special", StringComparison.Ordinal);

        Assert.That(Single(TargetProblems(text), "profile").Message, Does.Contain("unknown extraction profile 'special'"));
    }

    [TestCase("http://10.1.2.3/", "private")]
    [TestCase("http://192.168.0.10:8080/ads/", "private")]
    [TestCase("http://169.254.169.254/latest/", "linklocal")]
    [TestCase("http://[fd00::1]/", "uniquelocal")]
    [TestCase("http://127.0.0.1/", "loopback")]
    [TestCase("http://localhost:5000/", "loopback")]
    [TestCase("http://shop.localhost/", "loopback")]
    public void A_seed_on_an_address_that_is_no_public_source_is_refused_with_its_line(string seed, string kind)
    {
        var host = new Uri(seed).Host.Trim('[', ']');
        var text = ValidTarget.Replace("https://ads.example.nl/", seed, StringComparison.Ordinal)
            .Replace("hosts: [ads.example.nl]", $"hosts: [\"{host}\"]", StringComparison.Ordinal);

        var problem = Single(TargetProblems(text), "seeds");

        Assert.That(problem.Message, Does.Contain($"on a {kind} address, not a public source"));
        Assert.That(problem.Line, Is.EqualTo(3), "the seed's own line");
    }

    [Test]
    public void A_loopback_seed_is_accepted_in_a_lab_installation_whose_policy_allows_it_and_a_private_one_never()
    {
        var loopback = ValidTarget.Replace("https://ads.example.nl/", "http://127.0.0.1:5000/", StringComparison.Ordinal)
            .Replace("hosts: [ads.example.nl]", "hosts: [\"127.0.0.1\"]", StringComparison.Ordinal);
        var privateSeed = ValidTarget.Replace("https://ads.example.nl/", "http://10.0.0.7/", StringComparison.Ordinal)
            .Replace("hosts: [ads.example.nl]", "hosts: [\"10.0.0.7\"]", StringComparison.Ordinal);

        Assert.That(TestData.Policy.Network.AllowLoopbackInLab, Is.True, "the shipped policy allows loopback in a lab");
        Assert.That(TargetFile.Parse(TargetName, loopback, TestData.Policy, _ => true, labInstallation: true).Seeds, Has.Count.EqualTo(1));
        Assert.Throws<InputException>(() => TargetFile.Parse(TargetName, privateSeed, TestData.Policy, _ => true, labInstallation: true));
    }

    [Test]
    public void A_schedule_the_cron_validator_refuses_is_refused()
    {
        var ex = Assert.Throws<InputException>(() => TargetFile.Parse(TargetName, ValidTarget, TestData.Policy, _ => false));

        Assert.That(Single(ex.Problems, "schedule").Message, Does.Contain("not a Quartz cron expression"));
    }

    [Test]
    public void A_mandate_missing_purpose_is_refused_on_field_purpose()
    {
        var text = ValidMandate.Replace("purpose: \"Identify ads that indicate exploitation\"\n", "", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "purpose");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("required field is missing"));
            Assert.That(problem.File, Is.EqualTo(MandateName));
        });
    }

    [Test]
    public void An_unknown_legal_basis_is_refused()
    {
        var text = ValidMandate.Replace("legalBasis: art126g-sv", "legalBasis: art999-sv", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "legalBasis");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("unknown legal basis 'art999-sv'"));
            Assert.That(problem.Message, Does.Contain("art126g-sv"));
            Assert.That(problem.Line, Is.EqualTo(LineOf(text, "art999-sv")));
        });
    }

    [Test]
    public void A_legal_basis_not_in_force_is_refused()
    {
        var text = ValidMandate.Replace("legalBasis: art126g-sv", "legalBasis: art2.8.8-sv", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "legalBasis");

        Assert.That(problem.Message, Does.Contain("'art2.8.8-sv'").And.Contain("is not in force"));
    }

    [Test]
    public void A_window_longer_than_the_policy_allows_is_refused_on_valid_until()
    {
        var text = ValidMandate.Replace("validUntil: \"2027-01-27T00:00:00Z\"", "validUntil: \"2027-02-27T00:00:00Z\"", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "validUntil");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("91 days"));
            Assert.That(problem.Message, Does.Contain("at most 90"));
        });
    }

    [Test]
    public void A_window_of_exactly_the_maximum_is_accepted()
    {
        var text = ValidMandate.Replace("validUntil: \"2027-01-27T00:00:00Z\"", "validUntil: \"2027-02-26T00:00:00Z\"", StringComparison.Ordinal);

        Assert.That(ParseMandate(text).ValidUntil - TestData.ValidFrom, Is.EqualTo(TimeSpan.FromDays(90)));
    }

    [Test]
    public void A_window_ending_before_it_starts_is_refused_on_valid_until()
    {
        var text = ValidMandate.Replace("validUntil: \"2027-01-27T00:00:00Z\"", "validUntil: \"2026-11-27T00:00:00Z\"", StringComparison.Ordinal);

        Assert.That(Single(MandateProblems(text), "validUntil").Message, Does.Contain("must be after validFrom"));
    }

    [Test]
    public void An_unknown_data_category_is_refused()
    {
        var text = ValidMandate.Replace("  text: drop\n", "  text: drop\n  faces: keep\n", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "dataCategories.faces");

        Assert.Multiple(() =>
        {
            Assert.That(problem.Message, Does.Contain("unknown data category"));
            Assert.That(problem.Line, Is.EqualTo(LineOf(text, "faces")));
        });
    }

    [TestCase("3")]
    [TestCase("Phone")]
    [TestCase("phone,email")]
    [TestCase("name, age")]
    public void A_data_category_key_that_is_not_exactly_a_category_name_is_refused(string key)
    {
        var text = ValidMandate.Replace("  text: drop\n", $"  text: drop\n  \"{key}\": keep\n", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "dataCategories." + key);

        Assert.That(problem.Message, Does.Contain("unknown data category"));
    }

    [Test]
    public void A_bad_treatment_value_is_refused()
    {
        var text = ValidMandate.Replace("  phone: pseudonymise", "  phone: encrypt", StringComparison.Ordinal);

        var problem = Single(MandateProblems(text), "dataCategories.phone");

        Assert.That(problem.Message, Does.Contain("expected keep, pseudonymise or drop, got 'encrypt'"));
    }

    [Test]
    public void Text_cannot_be_pseudonymised()
    {
        var text = ValidMandate.Replace("  text: drop", "  text: pseudonymise", StringComparison.Ordinal);

        Assert.That(Single(MandateProblems(text), "dataCategories.text").Message, Does.Contain("not pseudonymised"));
    }

    [Test]
    public void An_unknown_wpg_purpose_is_refused()
    {
        var text = ValidMandate.Replace("wpgPurpose: art9", "wpgPurpose: art10", StringComparison.Ordinal);

        Assert.That(Single(MandateProblems(text), "wpgPurpose").Message, Does.Contain("expected art9 or art8"));
    }

    [Test]
    public void Several_mandate_problems_are_reported_together()
    {
        var text = ValidMandate
            .Replace("legalBasis: art126g-sv", "legalBasis: art2.8.8-sv", StringComparison.Ordinal)
            .Replace("purpose: \"Identify ads that indicate exploitation\"\n", "", StringComparison.Ordinal)
            .Replace("  phone: pseudonymise", "  phone: encrypt", StringComparison.Ordinal);

        var problems = MandateProblems(text);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(problems.Select(p => p.Field), Is.SupersetOf(TestData.Seq("legalBasis", "purpose", "dataCategories.phone")));
            Assert.That(problems.Select(p => p.File), Is.All.EqualTo(MandateName));
        });
    }

    [Test]
    public void Several_target_problems_are_reported_together()
    {
        var text = ValidTarget
            .Replace("  maxDepth: 2", "  maxDeph: 2", StringComparison.Ordinal)
            .Replace("'login'", "'[unclosed'", StringComparison.Ordinal)
            .Replace("profile: generic", "profile: special", StringComparison.Ordinal);

        var ex = Assert.Throws<InputException>(() => ParseTarget(text));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Problems, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(ex.Problems.Select(p => p.Field), Is.SupersetOf(TestData.Seq("scope.maxDeph", "scope.exclude", "profile")));
            Assert.That(ex.Message, Does.Contain("scope.maxDeph").And.Contain("scope.exclude"));
        });
    }
}
