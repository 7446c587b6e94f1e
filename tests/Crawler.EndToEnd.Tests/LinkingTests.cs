using NUnit.Framework;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Crawler.EndToEnd.Tests;

/// <summary>Linking hits of a case: only under a mandate that allows it, logged as combine, feeding shared-contact into the scores.</summary>
public sealed class LinkingTests
{
    private static string Ad(string name, int age, string phone) =>
        $"<!doctype html><html><head><title>{name}</title></head><body><main><article class=\"ad\"><h1>{name}, {age}</h1>" +
        $"<p>Hoi, ik ben {name}, {age} jaar. Nieuw in Utrecht. Bel of app {phone} voor een afspraak.</p></article></main></body></html>";

    private static async Task<FixtureServer> SiteAsync() => await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
    {
        ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n"),
        ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/a", "/b", "/c")),
        ["/a"] = FixtureServer.Html(Ad("Lisa", 21, "06-11112222")),
        ["/b"] = FixtureServer.Html(Ad("Mila", 24, "06 1111 2222")),
        ["/c"] = FixtureServer.Html(Ad("Anna", 30, "06-33334444")),
    });

    private static string Mandate(Lab lab, bool linking)
    {
        var now = lab.Time.GetUtcNow();
        return lab.WriteFile($"mandate-{linking}.yaml", $"""
            case: "TEST-LINK"
            caseName: "Linking test"
            legalBasis: art126g-sv
            wpgPurpose: art9
            purpose: "Find ads run by one operator"
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
              text: keep
              age: keep
            linking: {(linking ? "true" : "false")}
            justifications:
              third-parties: "Full text is needed to compare ads"
              combination: "One number behind several women is the core indicator of this case"
            """);
    }

    [Test]
    public async Task Hits_sharing_a_pseudonymised_number_form_a_cluster_and_fire_shared_contact()
    {
        await using var site = await SiteAsync();
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", Mandate(lab, linking: true), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");
        var linked = await lab.Ok("hits", "link", "--mandate", "1", "--as", "sanne", "--json");

        var hits = (await lab.Ok("hits", "list", "--json", "--as", "sanne")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(h => h.GetProperty("url").GetString()![^1..], h => h);
        var cluster = linked.Json.GetProperty("clusters").EnumerateArray().Single();
        Assert.That(cluster.GetProperty("hits").EnumerateArray().Select(h => h.GetInt64()),
            Is.EquivalentTo(new[] { hits["a"].GetProperty("id").GetInt64(), hits["b"].GetProperty("id").GetInt64() }));
        Assert.That(cluster.GetProperty("links")[0].GetProperty("value").GetString(), Does.Not.Contain("1111"), "linked by pseudonym, not by number");
        Assert.Multiple(() =>
        {
            foreach (var key in new[] { "a", "b" })
            {
                Assert.That(hits[key].GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Does.Contain("shared-contact"), key);
            }

            Assert.That(hits["c"].GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Does.Not.Contain("shared-contact"));
        });
        using var ctx = lab.OpenContext();
        var combines = ctx.Store.Entries().Where(e => e.Record.Operation == "combine").ToList();
        Assert.That(combines.Any(e => e.Record.Rule == "linking.cluster"), Is.True);
        Assert.That(combines.Count(e => e.Record.Rule == "linking.run"), Is.EqualTo(2), "once after the crawl, once on request");
    }

    [Test]
    public async Task A_mandate_without_linking_refuses_it_and_the_refusal_is_logged()
    {
        await using var site = await SiteAsync();
        using var lab = await Lab.CreateAsync();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", Mandate(lab, linking: false), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");

        var refused = await lab.Run("hits", "link", "--mandate", "1", "--as", "sanne");

        Assert.That(refused.Code, Is.EqualTo(2));
        Assert.That(refused.Err, Does.Contain("mandate.linking"));
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Entries().Any(e => e.Record.Operation == "combine"), Is.False);
        Assert.That(ctx.Store.Entries().Any(e => e.Record.Rule == "mandate.linking" && e.Record.Outcome == "refused"), Is.True);
    }
}
