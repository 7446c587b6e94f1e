using Crawler.Core.Policy;
using NUnit.Framework;
using Crawler.Core.Yaml;

namespace Crawler.Extraction.Tests;

/// <summary>
/// What `crawler profile test NAME --dir FIXTURES` does (the command is a thin wrapper around
/// <see cref="ProfileTester"/>): every page with an expectation is run, and each difference is named
/// per page and feature.
/// </summary>
public sealed class ProfileTestCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(1));

    private string _dir = "";

    private static string Fixtures(string layout) => Path.Combine(AppContext.BaseDirectory, "Fixtures", layout);

    [SetUp]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "profile-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private void Copy(string layout, string page, Func<string, string>? editExpected = null)
    {
        File.Copy(Path.Combine(Fixtures(layout), page + ".html"), Path.Combine(_dir, page + ".html"));
        var expected = File.ReadAllText(Path.Combine(Fixtures(layout), page + ".expected.json"));
        File.WriteAllText(Path.Combine(_dir, page + ".expected.json"), editExpected is null ? expected : editExpected(expected));
    }

    [TestCase("classic")]
    [TestCase("cards")]
    [TestCase("forum")]
    [TestCase("jsonld")]
    public void Each_layout_profile_passes_its_fixtures(string layout)
    {
        var report = ProfileTester.Run(TestPolicy.Extractor(layout), Fixtures(layout), Now);

        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.ToText());
            Assert.That(report.Pages, Has.Count.EqualTo(Directory.GetFiles(Fixtures(layout), "*.expected.json").Length));
            Assert.That(report.ToText(), Does.EndWith($"profile {layout}: {report.Pages.Count} pages, {report.Pages.Count} match, 0 differ{Environment.NewLine}"));
        });
    }

    [Test]
    public void A_wrong_expectation_fails_and_names_page_feature_and_values()
    {
        Copy("classic", "ad-01-plain", e => e.Replace("\"name\": \"Lisa\"", "\"name\": \"Liza\"", StringComparison.Ordinal)
            .Replace("\"private-house\",", "\"car\",", StringComparison.Ordinal));
        Copy("classic", "ad-02-intl-plus");

        var report = ProfileTester.Run(TestPolicy.Extractor("classic"), _dir, Now);
        var text = report.ToText();

        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.False);
            Assert.That(report.Pages.Select(p => (p.Page, p.Ok)), Is.EqualTo(new[] { ("ad-01-plain.html", false), ("ad-02-intl-plus.html", true) }));
            Assert.That(text, Does.Contain("FAIL ad-01-plain.html"));
            Assert.That(text, Does.Contain("  name: MISSED Liza; EXTRA Lisa"));
            Assert.That(text, Does.Contain("  venues: matched incall, outcall, hotel; MISSED car; EXTRA private-house"));
            Assert.That(text, Does.Contain("PASS ad-02-intl-plus.html"));
            Assert.That(text, Does.Contain("profile classic: 2 pages, 1 match, 1 differs"));
        });
    }

    [Test]
    public void Third_party_data_found_is_a_leak_even_when_not_otherwise_checked()
    {
        Copy("cards", "ad-05-split-elements");

        // The generic profile now reads the guestbook's heading and leaves it out (issue 22); a profile that takes the
        // whole body as the ad, and so overrides generic sectioning, still shows how a leak is reported.
        var wholeBody = ExtractionProfile.Generic with { Name = "whole-body", AdRegion = ["body"] };
        var generic = ProfileTester.Run(new AdExtractor(TestPolicy.Policy.Fetch.NotPublicSelectors, TestPolicy.Policy.Urls, wholeBody), _dir, Now);
        var cards = ProfileTester.Run(TestPolicy.Extractor("cards"), _dir, Now);

        Assert.Multiple(() =>
        {
            Assert.That(generic.Ok, Is.False);
            Assert.That(generic.Pages[0].Leaks, Is.SupersetOf(new[] { "+31613579246", "telegram:dirk_v", "https://site.example.nl/guestbook/dirk.jpg" }));
            Assert.That(generic.ToText(), Does.Contain("LEAK (third-party data extracted): +31613579246"));
            Assert.That(cards.Ok, Is.True, cards.ToText());
        });
    }

    [Test]
    public void A_feature_the_expectation_does_not_name_is_not_checked()
    {
        Copy("jsonld", "ad-01-plain", e => e.Replace("\"services\": [\n    \"massage\"\n  ],", "", StringComparison.Ordinal));

        var report = ProfileTester.Run(TestPolicy.Extractor("jsonld"), _dir, Now);

        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.ToText());
            Assert.That(report.Pages[0].Features.Select(f => f.Feature), Does.Not.Contain(ProfileTester.Services));
        });
    }

    [Test]
    public void A_page_without_an_expectation_is_skipped_and_a_malformed_one_is_a_problem()
    {
        File.WriteAllText(Path.Combine(_dir, "no-expectation.html"), "<html></html>");
        File.WriteAllText(Path.Combine(_dir, "broken.html"), "<html></html>");
        File.WriteAllText(Path.Combine(_dir, "broken.expected.json"), "{\n \"isAd\": tru\n}");

        var report = ProfileTester.Run(TestPolicy.Extractor("generic"), _dir, Now);

        Assert.Multiple(() =>
        {
            Assert.That(report.Pages.Select(p => p.Page), Is.EqualTo(new[] { "broken.html" }));
            Assert.That(report.Ok, Is.False);
            Assert.That(report.Pages[0].Problem, Does.StartWith("broken.expected.json:2: not valid JSON"));
        });
    }

    [Test]
    public void A_folder_without_pages_fails_and_says_why()
    {
        var report = ProfileTester.Run(TestPolicy.Extractor("generic"), _dir, Now);

        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.False);
            Assert.That(report.ToText(), Does.Contain("no *.html with a .expected.json beside it"));
        });
    }

    [Test]
    public void A_missing_folder_is_refused_naming_the_option()
    {
        var ex = Assert.Throws<InputException>(() => ProfileTester.Run(TestPolicy.Extractor("generic"), Path.Combine(_dir, "nope"), Now));

        Assert.That(ex.Problems.Single().Field, Is.EqualTo("--dir"));
    }

    [Test]
    public void Relative_dates_use_the_fetch_time_of_the_expectation_else_the_time_given()
    {
        Copy("cards", "ad-13-plain", e => e.Replace("  \"fetchedAt\": \"2026-11-20T12:00:00+01:00\",\n", "", StringComparison.Ordinal));

        var sameTime = ProfileTester.Run(TestPolicy.Extractor("cards"), _dir, Now);
        var dayLater = ProfileTester.Run(TestPolicy.Extractor("cards"), _dir, Now.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(sameTime.Ok, Is.True, sameTime.ToText());
            Assert.That(dayLater.Pages[0].Features.Single(f => f.Feature == ProfileTester.PostedAt).Extra, Is.EqualTo(new[] { "2026-11-21T09:00:00+01:00" }));
        });
    }
}
