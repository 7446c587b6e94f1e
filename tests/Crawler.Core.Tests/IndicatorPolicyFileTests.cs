using Crawler.Core.Policy;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>policies/indicators.yaml: malformed lexicons, negation and linking are refused naming file, line, column and field.</summary>
public sealed class IndicatorPolicyFileTests
{
    // Line numbers below refer to this document.
    private const string Minimal = """
        hitThreshold: 0.5
        negation:
          words: [geen, no]
          adjacentWords: [zonder]
          window: 2
        indicators:
          - id: minor-age
            weight: 0
            escalates: true
            terms: [minderjarig]
          - id: low-price
            weight: 0.5
            perHourBelow: 60
            terms: [goedkoop, cheap]
          - id: shared-contact
            weight: 3
            note: from linking
        linking:
          hubThreshold: 10
          textSimilarity: 0.75
        """;

    private static IndicatorPolicy Load(string indicatorsYaml)
    {
        var files = TestData.TopLevelPolicyFiles();
        var i = files.FindIndex(f => f.Name == PolicySetLoader.IndicatorsFile);
        files[i] = files[i] with { Text = indicatorsYaml };
        return PolicySetLoader.Load(files).Indicators;
    }

    private static InputProblem Refused(string indicatorsYaml)
    {
        var ex = Assert.Throws<InputException>(() => Load(indicatorsYaml));
        Assert.That(ex.Problems, Has.Count.EqualTo(1), ex.Message);
        Assert.That(ex.Problems[0].File, Is.EqualTo("indicators.yaml"));
        return ex.Problems[0];
    }

    private static string Edit(string from, string to)
    {
        if (!Minimal.Contains(from, StringComparison.Ordinal))
        {
            Assert.Fail($"the test edits text that is not there: {from}");
        }

        return Minimal.Replace(from, to, StringComparison.Ordinal);
    }

    [Test]
    public void A_minimal_file_loads_with_the_linking_defaults_for_what_it_leaves_out()
    {
        var policy = Load(Minimal);

        Assert.Multiple(() =>
        {
            Assert.That(policy.HitThreshold, Is.EqualTo(0.5));
            Assert.That(policy.Negation.Words, Is.EqualTo(TestData.Seq("geen", "no")));
            Assert.That(policy.Negation.AdjacentWords, Is.EqualTo(TestData.Seq("zonder")));
            Assert.That(policy.Negation.Window, Is.EqualTo(2));
            Assert.That(policy.Negation.After, Is.SameAs(TrailingNegation.None), "no after block: no negation after a term");
            Assert.That(policy.Indicators.Select(i => i.Id), Is.EqualTo(TestData.Seq("minor-age", "low-price", "shared-contact")));
            Assert.That(policy.Indicators[1].PerHourBelow, Is.EqualTo(60m));
            Assert.That(policy.Indicators[2].Terms, Is.Empty, "fed by linking, no lexicon needed");
            Assert.That(policy.Indicators[2].Note, Is.EqualTo("from linking"));
            Assert.That(policy.Linking, Is.EqualTo(LinkingPolicy.Default with { HubThreshold = 10, TextSimilarity = 0.75 }));
        });
    }

    [Test]
    public void A_weight_that_is_not_a_number_is_refused_with_its_line_and_column()
    {
        var problem = Refused(Edit("weight: 0.5", "weight: heavy"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].weight"));
            Assert.That(problem.Line, Is.EqualTo(12));
            Assert.That(problem.Column, Is.EqualTo(13));
            Assert.That(problem.Message, Is.EqualTo("expected a number"));
            Assert.That(problem.ToString(), Is.EqualTo("indicators.yaml:12:13: indicators[1].weight: expected a number"));
        });
    }

    [TestCase("weight: -1")]
    [TestCase("weight: 101")]
    public void A_weight_out_of_range_is_refused(string weight)
    {
        var problem = Refused(Edit("weight: 0.5", weight));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].weight"));
            Assert.That(problem.Message, Does.StartWith("must be between 0 and 100"));
        });
    }

    [Test]
    public void A_missing_weight_is_refused()
    {
        var problem = Refused(Edit("    weight: 0.5\n", ""));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].weight"));
            Assert.That(problem.Message, Is.EqualTo("required field is missing"));
            Assert.That(problem.Line, Is.EqualTo(11));
        });
    }

    [Test]
    public void An_indicator_not_fed_by_data_must_have_terms()
    {
        var problem = Refused(Edit("- id: shared-contact", "- id: venue"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[2].terms"));
            Assert.That(problem.Message, Is.EqualTo("required field is missing"));
            Assert.That(problem.Line, Is.EqualTo(15));
        });
    }

    [Test]
    public void A_term_that_folds_to_another_term_of_the_same_indicator_is_refused()
    {
        var problem = Refused(Edit("[goedkoop, cheap]", "[goedkoop, GOEDKÓÓP]"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].terms[1]"));
            Assert.That(problem.Message, Does.Contain("duplicate term 'GOEDKÓÓP'"));
            Assert.That(problem.Line, Is.EqualTo(14));
            Assert.That(problem.Column, Is.EqualTo(23));
        });
    }

    [Test]
    public void A_term_with_nothing_to_match_is_refused()
    {
        var problem = Refused(Edit("[goedkoop, cheap]", "[goedkoop, \"...\"]"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].terms[1]"));
            Assert.That(problem.Message, Does.Contain("no letters, digits or symbols"));
        });
    }

    [Test]
    public void A_price_threshold_on_another_indicator_than_low_price_is_refused()
    {
        var problem = Refused(Edit("    note: from linking", "    perHourBelow: 50"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[2].perHourBelow"));
            Assert.That(problem.Message, Does.Contain("only low-price"));
            Assert.That(problem.Line, Is.EqualTo(17));
        });
    }

    [Test]
    public void Minor_age_that_does_not_escalate_is_refused()
    {
        var problem = Refused(Edit("escalates: true", "escalates: false"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[0].escalates"));
            Assert.That(problem.Message, Does.Contain("legal red line"));
            Assert.That(problem.Line, Is.EqualTo(9));
        });
    }

    [Test]
    public void A_policy_without_minor_age_is_refused()
    {
        var problem = Refused(Edit("- id: minor-age", "- id: minor-words"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators"));
            Assert.That(problem.Message, Does.StartWith("minor-age is required"));
            Assert.That(problem.Line, Is.EqualTo(7));
        });
    }

    [Test]
    public void An_id_that_is_not_lower_case_words_is_refused()
    {
        var problem = Refused(Edit("  - id: low-price", "  - id: Low Price\n    weight: 1\n    terms: [x]\n  - id: low-price"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].id"));
            Assert.That(problem.Line, Is.EqualTo(11));
            Assert.That(problem.Message, Does.Contain("lower-case letters"));
        });
    }

    [Test]
    public void An_unknown_indicator_field_is_refused_naming_the_known_ones()
    {
        var problem = Refused(Edit("    perHourBelow: 60", "    perHour: 60"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("indicators[1].perHour"));
            Assert.That(problem.Message, Does.Contain("perHourBelow"));
            Assert.That(problem.Line, Is.EqualTo(13));
        });
    }

    [Test]
    public void A_negation_of_two_words_is_refused()
    {
        var problem = Refused(Edit("[geen, no]", "[geen, \"not at all\"]"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("negation.words[1]"));
            Assert.That(problem.Message, Does.Contain("not one word"));
            Assert.That(problem.Line, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_negation_window_out_of_range_is_refused()
    {
        var problem = Refused(Edit("window: 2", "window: 11"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("negation.window"));
            Assert.That(problem.Message, Is.EqualTo("must be between 0 and 10, got 11"));
        });
    }

    // Lines 6 to 9 once After is put in.
    private const string After = "  window: 2\n  after:\n    words: [niet, nee]\n    completions: [mogelijk, possible]\n    window: 1\n";

    private static string WithAfter(string from = "", string to = "")
    {
        var yaml = Edit("  window: 2\n", After);
        if (from.Length > 0 && !yaml.Contains(from, StringComparison.Ordinal))
        {
            Assert.Fail($"the test edits text that is not there: {from}");
        }

        return from.Length == 0 ? yaml : yaml.Replace(from, to, StringComparison.Ordinal);
    }

    [Test]
    public void A_negation_after_block_loads()
    {
        var policy = Load(WithAfter());

        Assert.Multiple(() =>
        {
            Assert.That(policy.Negation.Words, Is.EqualTo(TestData.Seq("geen", "no")), "the look-back is unchanged");
            Assert.That(policy.Negation.Window, Is.EqualTo(2));
            Assert.That(policy.Negation.After.Words, Is.EqualTo(TestData.Seq("niet", "nee")));
            Assert.That(policy.Negation.After.Completions, Is.EqualTo(TestData.Seq("mogelijk", "possible")));
            Assert.That(policy.Negation.After.Window, Is.EqualTo(1));
            Assert.That(policy.Negation.After.Between, Is.Empty, "without a between list any word may stand between");
        });
    }

    [Test]
    public void A_negation_after_block_without_completions_loads_with_none()
    {
        var policy = Load(WithAfter("    completions: [mogelijk, possible]\n", ""));

        Assert.That(policy.Negation.After.Completions, Is.Empty);
    }

    [TestCase("    window: 1\n", "    window: 1\n    reach: 2\n", "negation.after.reach", 10,
        "unknown field (known fields: words, completions, between, window)")]
    [TestCase("[niet, nee]", "[niet, \"doe ik niet\"]", "negation.after.words[1]", 7, "'doe ik niet' is not one word")]
    [TestCase("[mogelijk, possible]", "[mogelijk, \"niet mogelijk\"]", "negation.after.completions[1]", 8, "'niet mogelijk' is not one word")]
    [TestCase("    window: 1\n", "    between: [ik, \"doe ik\"]\n    window: 1\n", "negation.after.between[1]", 9, "'doe ik' is not one word")]
    [TestCase("    window: 1\n", "    window: 11\n", "negation.after.window", 9, "must be between 0 and 10, got 11")]
    [TestCase("    window: 1\n", "    window: -1\n", "negation.after.window", 9, "must be between 0 and 10, got -1")]
    [TestCase("    window: 1\n", "    window: far\n", "negation.after.window", 9, "expected a whole number")]
    [TestCase("    window: 1\n", "", "negation.after.window", 7, "required field is missing")]
    [TestCase("    words: [niet, nee]\n", "", "negation.after.words", 7, "required field is missing")]
    [TestCase("[niet, nee]", "[]", "negation.after.words", 7, "must list at least one entry")]
    public void A_malformed_negation_after_block_is_refused_naming_the_field_and_line(string from, string to, string field, int line, string message)
    {
        var problem = Refused(WithAfter(from, to));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo(field));
            Assert.That(problem.Line, Is.EqualTo(line));
            Assert.That(problem.Message, Is.EqualTo(message));
            Assert.That(problem.ToString(), Does.StartWith($"indicators.yaml:{line}:"));
        });
    }

    [Test]
    public void A_negation_after_that_is_not_a_mapping_is_refused()
    {
        var problem = Refused(Edit("  window: 2\n", "  window: 2\n  after: [niet, nee]\n"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("negation.after"));
            Assert.That(problem.Line, Is.EqualTo(6));
            Assert.That(problem.Message, Is.EqualTo("expected a mapping of fields"));
        });
    }

    [Test]
    public void An_unknown_negation_field_names_after_among_the_known_ones()
    {
        var problem = Refused(Edit("  window: 2\n", "  window: 2\n  behind: [niet]\n"));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("negation.behind"));
            Assert.That(problem.Line, Is.EqualTo(6));
            Assert.That(problem.Message, Is.EqualTo("unknown field (known fields: words, adjacentWords, window, after)"));
        });
    }

    [Test]
    public void The_shipped_file_sees_negations_after_a_term()
    {
        var after = TestData.Policy.Indicators.Negation.After;

        Assert.Multiple(() =>
        {
            Assert.That(after.Words, Is.EqualTo(TestData.Seq("niet", "nee", "neen", "nooit", "no", "not", "never", "non", "pas", "jamais", "nein",
                "nicht", "nie", "niemals")), "Dutch, English, French and German");
            Assert.That(after.Completions, Does.Contain("mogelijk").And.Contain("possible").And.Contain("aan").And.Contain("moglich"));
            Assert.That(after.Window, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_missing_negation_section_is_refused()
    {
        var problem = Refused(Edit("negation:\n  words: [geen, no]\n  adjacentWords: [zonder]\n  window: 2\n", ""));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo("negation"));
            Assert.That(problem.Message, Is.EqualTo("required section is missing"));
        });
    }

    [Test]
    public void A_missing_linking_section_is_refused()
    {
        var problem = Refused(Edit("linking:\n  hubThreshold: 10\n  textSimilarity: 0.75", ""));

        Assert.That(problem.Field, Is.EqualTo("linking"));
    }

    [TestCase("hubThreshold: 10", "hubThreshold: 1", "linking.hubThreshold", "must be between 2 and 1000000, got 1")]
    [TestCase("hubThreshold: 10", "hubThreshold: many", "linking.hubThreshold", "expected a whole number")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: 1.5", "linking.textSimilarity", "must be between 0.05 and 1, got 1.5")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: high", "linking.textSimilarity", "expected a number")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: 0.75\n  bands: 30", "linking.bands", "minHashes (128) must be a multiple of bands (30)")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: 0.75\n  shingleWords: 0", "linking.shingleWords", "must be between 1 and 10, got 0")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: 0.75\n  sharedContactMinDistinct: 1", "linking.sharedContactMinDistinct", "must be between 2 and 100, got 1")]
    [TestCase("textSimilarity: 0.75", "textSimilarity: 0.75\n  hubs: 3", "linking.hubs", "unknown field (known fields: hubThreshold, textSimilarity, shingleWords, minWords, minHashes, bands, seed, sharedContactMinDistinct)")]
    [TestCase("  hubThreshold: 10\n", "", "linking.hubThreshold", "required field is missing")]
    public void A_malformed_linking_section_is_refused_naming_the_field(string from, string to, string field, string message)
    {
        var problem = Refused(Edit(from, to));

        Assert.Multiple(() =>
        {
            Assert.That(problem.Field, Is.EqualTo(field));
            Assert.That(problem.Message, Is.EqualTo(message));
            Assert.That(problem.Line, Is.InRange(19, 22));
        });
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var yaml = Edit("weight: 0.5", "weight: heavy").Replace("window: 2", "window: 99", StringComparison.Ordinal)
            .Replace("hubThreshold: 10", "hubThreshold: 0", StringComparison.Ordinal);

        var ex = Assert.Throws<InputException>(() => Load(yaml));

        Assert.That(ex.Problems.Select(p => p.Field), Is.EquivalentTo(TestData.Seq("negation.window", "indicators[1].weight", "linking.hubThreshold")));
    }

    [Test]
    public void The_shipped_file_loads_its_linking_section()
    {
        var linking = TestData.Policy.Indicators.Linking;

        Assert.Multiple(() =>
        {
            Assert.That(linking.HubThreshold, Is.EqualTo(25));
            Assert.That(linking.TextSimilarity, Is.EqualTo(0.8));
            Assert.That(linking.MinHashes % linking.Bands, Is.Zero);
        });
    }
}
