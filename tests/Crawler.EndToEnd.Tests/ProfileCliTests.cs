using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>`crawler profile test` and `crawler extract --profile` through the real command line.</summary>
public sealed class ProfileCliTests
{
    private static string Fixtures(string layout) =>
        Path.Combine(Lab.RepoRoot, "tests", "Crawler.Extraction.Tests", "Fixtures", layout);

    [Test]
    public async Task Profile_test_passes_a_layout_with_its_own_profile_and_exits_zero()
    {
        using var lab = await Lab.CreateAsync();

        var result = await lab.Run("profile", "test", "classic", "--dir", Fixtures("classic"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.Zero, result.Out + result.Err);
            Assert.That(result.Out, Does.Contain("PASS ad-01-plain.html").And.Contain("profile classic: 17 pages, 17 match, 0 differ"));
        });
    }

    [Test]
    public async Task Profile_test_names_what_differs_and_exits_one()
    {
        using var lab = await Lab.CreateAsync();

        // A profile written for another layout finds nothing of these ads: the report names each page and feature.
        var result = await lab.Run("profile", "test", "classic", "--dir", Fixtures("cards"), "--json");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(1), result.Err);
            Assert.That(result.Json.GetProperty("ok").GetBoolean(), Is.False);
            var spaced = result.Json.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("page").GetString() == "ad-01-spaced.html");
            var phones = spaced.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "phones");
            Assert.That(phones.GetProperty("missed").EnumerateArray().Select(m => m.GetString()), Does.Contain("+31619649129"));
        });
    }

    [Test]
    public async Task An_unknown_profile_is_refused()
    {
        using var lab = await Lab.CreateAsync();

        var result = await lab.Run("profile", "test", "nope", "--dir", Fixtures("cards"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain("unknown profile 'nope'"));
        });
    }

    [Test]
    public async Task Extract_with_a_layout_profile_shows_the_new_features()
    {
        using var lab = await Lab.CreateAsync();

        var result = await lab.Ok("extract", Path.Combine(Fixtures("classic"), "ad-01-plain.html"), "--profile", "classic",
            "--url", "https://site.example.nl/classic/ad-01-plain.html", "--json");

        var json = result.Json;
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("profile").GetString(), Is.EqualTo("classic"));
            Assert.That(json.GetProperty("name").GetString(), Is.EqualTo("Lisa"));
            Assert.That(json.GetProperty("adId").GetString(), Is.EqualTo("2026-00100"));
            Assert.That(json.GetProperty("messengers").EnumerateArray().Select(m => m.GetProperty("platform").GetString() + ":" + m.GetProperty("handle").GetString()),
                Is.EquivalentTo(new[] { "whatsapp:+31610159655", "telegram:lisa_utrecht" }));
            Assert.That(json.GetProperty("images").GetArrayLength(), Is.EqualTo(2));
            Assert.That(json.GetProperty("postedAt").GetString(), Does.StartWith("2026-08-20"));
        });
    }
}
