using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

public sealed class ExtractCliTests
{
    [Test]
    public async Task Extract_shows_what_a_saved_page_would_yield_and_writes_nothing()
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("ad.html", DemoSite.DemoSite.ReadFile("ads/104.html")!);
        long before;
        using (var ctx = lab.OpenContext())
        {
            before = ctx.Store.Count();
        }

        var result = await lab.Ok("extract", file, "--url", "https://ads.example/ads/104.html", "--json");

        var json = result.Json;
        Assert.That(json.GetProperty("isAd").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("phones")[0].GetProperty("e164").GetString(), Is.EqualTo("+31612345604"));
        Assert.That(json.GetProperty("emails")[0].GetString(), Is.EqualTo("mila@example.nl"));
        Assert.That(json.GetProperty("removedThirdPartyRegions").GetInt32(), Is.GreaterThanOrEqualTo(2));
        foreach (var field in new[] { "hidden", "ages", "prices", "indicators", "score", "locations", "messengers", "name", "nationalities", "languages", "venues", "services", "postedAt", "adId", "images" })
        {
            Assert.That(json.TryGetProperty(field, out _), Is.True, field);
        }

        using var after = lab.OpenContext();
        Assert.That(after.Store.Count(), Is.EqualTo(before));
    }

    [Test]
    public async Task An_unknown_profile_is_refused()
    {
        using var lab = await Lab.CreateAsync();
        var file = lab.WriteFile("ad.html", "<html></html>");

        var result = await lab.Run("extract", file, "--profile", "nope");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--profile").And.Contain("unknown profile 'nope'"));
    }
}
