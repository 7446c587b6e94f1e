using NUnit.Framework;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Crawler.EndToEnd.Tests;

/// <summary>Image digests: fetched through the gate only when the mandate keeps images; only the digest is kept.</summary>
public sealed class ImageDigestTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xD9];

    private static async Task<FixtureServer> SiteAsync() => await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
    {
        ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n"),
        ["/"] = FixtureServer.Html(
            "<!doctype html><html><head><title>Lisa</title></head><body><main><article class=\"ad\"><h1>Lisa</h1>" +
            "<img src=\"/img/lisa.jpg\" alt=\"Lisa\"><p>Bel of app 06-12345678 voor een afspraak.</p></article></main></body></html>"),
        ["/img/lisa.jpg"] = async ctx =>
        {
            ctx.Response.ContentType = "image/jpeg";
            await ctx.Response.Body.WriteAsync(Jpeg);
        },
    });

    private static string Mandate(Lab lab, string images)
    {
        var now = lab.Time.GetUtcNow();
        return lab.WriteFile($"mandate-{images}.yaml", $"""
            case: "TEST-IMG"
            caseName: "Image digests"
            legalBasis: art126g-sv
            wpgPurpose: art9
            purpose: "Find ads that reuse one photo"
            offence: "273f Sr"
            suspect: "unknown"
            factsAndCircumstances: "fixture site"
            targets: [fixture]
            validFrom: "{now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture)}"
            validUntil: "{now.AddDays(2).ToString("O", CultureInfo.InvariantCulture)}"
            limits:
              maxPages: 100
              maxHits: 50
            dataCategories:
              phone: pseudonymise
              images: {images}
            justifications:
              sensitivity: "The same photo behind several ads is what this case looks for; only digests are kept"
              third-parties: "Phones are pseudonymised"
            """);
    }

    [Test]
    public async Task Under_a_mandate_that_keeps_images_only_the_digest_of_each_image_is_kept()
    {
        await using var site = await SiteAsync();
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", Mandate(lab, "keep"), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        var hit = JsonDocument.Parse((await lab.Ok("hits", "list", "--json", "--as", "sanne")).Out.Split('\n')[0]).RootElement;
        Assert.That(site.Requests.Select(r => r.Path), Does.Contain("/img/lisa.jpg"));
        Assert.That(hit.GetProperty("imageDigests")[0].GetString(), Is.EqualTo("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Jpeg))));
        using var ctx = lab.OpenContext();
        var entry = ctx.Store.Entries().Single(e => e.Record.Rule == "image.digest");
        Assert.That(entry.Record.Outcome, Is.EqualTo("digested"));
        Assert.That(entry.Record.ContentSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Jpeg))));
    }

    [Test]
    public async Task Under_a_mandate_that_drops_images_no_image_is_even_requested()
    {
        await using var site = await SiteAsync();
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", Mandate(lab, "drop"), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        Assert.That(site.Requests.Select(r => r.Path), Does.Not.Contain("/img/lisa.jpg"));
        var hit = JsonDocument.Parse((await lab.Ok("hits", "list", "--json", "--as", "sanne")).Out.Split('\n')[0]).RootElement;
        Assert.That(hit.GetProperty("imageDigests").GetArrayLength(), Is.Zero);
        Assert.That(hit.GetProperty("images").GetArrayLength(), Is.Zero);
    }
}
