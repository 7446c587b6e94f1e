using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>policies/places-nl.txt: well-formed, complete enough, and every spelling maps to one canonical name.</summary>
public sealed class PlaceNamesTests
{
    private static string FileText => File.ReadAllText(Path.Combine(TestPolicy.PoliciesDir, "places-nl.txt"));

    [Test]
    public void The_file_has_no_problems_and_is_the_one_compiled_in()
    {
        var (places, problems) = PlaceNames.Parse(FileText);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(PlaceNames.All, Is.EqualTo(places));
        });
    }

    [Test]
    public void Every_municipality_has_a_line()
    {
        var lines = FileText.Split('\n').Select(l => l.Trim()).Count(l => l.Length > 0 && l[0] != '#');
        var canonical = PlaceNames.All.Select(p => p.Canonical).Distinct().Count();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.EqualTo(342), "the 342 municipalities of 2025, one line each");
            Assert.That(canonical, Is.EqualTo(342));
        });
    }

    [TestCase("'s-Gravenhage", "Den Haag")]
    [TestCase("The Hague", "Den Haag")]
    [TestCase("Den Bosch", "'s-Hertogenbosch")]
    [TestCase("A'dam", "Amsterdam")]
    [TestCase("Scheveningen", "Den Haag")]
    [TestCase("Hoofddorp", "Haarlemmermeer")]
    [TestCase("Súdwest-Fryslân", "Súdwest-Fryslân")]
    [TestCase("Sneek", "Súdwest-Fryslân")]
    public void Common_spellings_map_to_one_canonical_name(string spelling, string canonical)
    {
        Assert.That(PlaceNames.All.Single(p => p.Spelling == spelling).Canonical, Is.EqualTo(canonical));
    }

    [TestCase("Best")]
    [TestCase("Echt")]
    [TestCase("Goes")]
    [TestCase("Born")]
    public void Names_that_are_common_words_are_marked_ambiguous(string spelling)
    {
        Assert.That(PlaceNames.All.Single(p => p.Spelling == spelling).Ambiguous, Is.True);
    }

    [Test]
    public void A_spelling_given_to_two_places_is_a_problem_naming_its_line()
    {
        var (_, problems) = PlaceNames.Parse("# test\nUtrecht|Leidsche Rijn\nLeiden|Leidsche Rijn\n");

        Assert.That(problems, Is.EqualTo(new[] { "places-nl.txt:3: 'Leidsche Rijn' already stands for 'Utrecht'" }));
    }

    [Test]
    public void A_spelling_without_a_capital_is_a_problem()
    {
        var (_, problems) = PlaceNames.Parse("utrecht\n");

        Assert.That(problems, Has.One.Contains("places-nl.txt:1").And.Contains("no capital"));
    }
}
