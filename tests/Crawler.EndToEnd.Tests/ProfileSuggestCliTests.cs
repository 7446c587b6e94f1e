using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>`crawler profile suggest` through the real command line: the proposal, saved, extracts the site's pages right.</summary>
public sealed class ProfileSuggestCliTests
{
    private static string Fixtures(string layout) =>
        Path.Combine(Lab.RepoRoot, "tests", "Crawler.Extraction.Tests", "Fixtures", layout);

    [TestCase("forum")]
    [TestCase("cards")]
    public async Task A_profile_proposed_from_a_layouts_pages_and_saved_extracts_those_pages_as_expected(string layout)
    {
        // A copy of the policies, so that the saved proposal is a profile of this lab only.
        using var lab = await Lab.CreateAsync(editPolicy: text => text);
        var file = Path.Combine(lab.Policies, "profiles", "suggested.yaml");

        var printed = await lab.Run("profile", "suggest", "--dir", Fixtures(layout), "--as", "sanne");
        var written = await lab.Run("profile", "suggest", "--dir", Fixtures(layout), "--out", file, "--as", "sanne");
        var tested = await lab.Run("profile", "test", "suggested", "--dir", Fixtures(layout));

        Assert.Multiple(() =>
        {
            Assert.That(printed.Code, Is.Zero, printed.Err);
            Assert.That(printed.Out, Does.Contain("adRegion: [\"").And.Contain("description:"));
            Assert.That(written.Code, Is.Zero, written.Err);
            Assert.That(File.ReadAllText(file), Is.EqualTo(printed.Out));
            Assert.That(tested.Code, Is.Zero, File.ReadAllText(file) + tested.Out + tested.Err);
            Assert.That(tested.Out, Does.Contain("profile suggested: 17 pages, 17 match, 0 differ"));
        });
    }

    [Test]
    public async Task An_existing_file_is_overwritten_only_with_force()
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("mine.yaml", "description: \"my own work\"\n");

        var refused = await lab.Run("profile", "suggest", "--dir", Fixtures("forum"), "--out", file, "--as", "sanne");
        var kept = File.ReadAllText(file);
        var forced = await lab.Run("profile", "suggest", "--dir", Fixtures("forum"), "--out", file, "--force", "--as", "sanne", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Code, Is.EqualTo(2));
            Assert.That(refused.Err, Does.Contain("--force"));
            Assert.That(kept, Is.EqualTo("description: \"my own work\"\n"));
            Assert.That(forced.Code, Is.Zero, forced.Err);
            Assert.That(forced.Json.GetProperty("adRegion").GetString(), Is.EqualTo("article.post"));
            Assert.That(File.ReadAllText(file), Does.Contain("adRegion: [\"article.post\"]"));
        });
    }

    [Test]
    public async Task Fewer_than_two_pages_or_no_folder_is_refused()
    {
        using var lab = await Lab.CreateAsync();
        var one = Path.Combine(lab.Dir, "one");
        Directory.CreateDirectory(one);
        File.Copy(Path.Combine(Fixtures("forum"), "ad-01-spaced.html"), Path.Combine(one, "ad-01-spaced.html"));

        var single = await lab.Run("profile", "suggest", "--dir", one, "--as", "sanne");
        var missing = await lab.Run("profile", "suggest", "--dir", Path.Combine(lab.Dir, "nope"), "--as", "sanne");

        Assert.Multiple(() =>
        {
            Assert.That(single.Code, Is.EqualTo(2));
            Assert.That(single.Err, Does.Contain("at least 2 pages"));
            Assert.That(missing.Code, Is.EqualTo(2));
            Assert.That(missing.Err, Does.Contain("folder not found"));
        });
    }
}
