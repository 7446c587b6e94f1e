using NUnit.Framework;
using System.Text.Json;

namespace Crawler.EndToEnd.Tests;

/// <summary>Revealing a pseudonymised contact: an officer's action with a reason, logged; nobody else gets the value.</summary>
public sealed class RevealTests
{
    [Test]
    public async Task An_officer_reveals_a_pseudonymised_phone_for_a_reason_and_the_reveal_is_logged()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddHours(1), treatment: "pseudonymise");
        var hit = (await lab.Ok("hits", "list", "--json", "--as", "sanne")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(h => h.GetProperty("url").GetString()!.EndsWith("/ads/101.html", StringComparison.Ordinal));
        var id = hit.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var masked = hit.GetProperty("phones")[0].GetString()!;
        var pseudonym = hit.GetProperty("phonePseudonyms")[0].GetString()!;

        var bySpecialist = await lab.Run("hits", "reveal", id, "--value", masked, "--reason", "curious", "--as", "sanne");
        var noReason = await lab.Run("hits", "reveal", id, "--value", masked, "--reason", " ", "--as", "olga");
        var byOfficer = await lab.Ok("hits", "reveal", id, "--value", masked, "--reason", "witness statement names this number", "--as", "olga");
        var byPseudonym = await lab.Ok("hits", "reveal", id, "--value", pseudonym, "--reason", "cross-check", "--as", "olga");

        Assert.Multiple(() =>
        {
            Assert.That(bySpecialist.Code, Is.EqualTo(2));
            Assert.That(bySpecialist.Out, Does.Not.Contain("12345601"));
            Assert.That(noReason.Code, Is.EqualTo(2));
            Assert.That(byOfficer.Out.Trim(), Is.EqualTo("+31612345601"));
            Assert.That(byPseudonym.Out.Trim(), Is.EqualTo("+31612345601"));
        });
        using var ctx = lab.OpenContext();
        var entries = ctx.Store.Entries().ToList();
        var reveals = entries.Where(e => e.Record.Operation == "reveal").ToList();
        Assert.That(reveals, Has.Count.EqualTo(2));
        Assert.That(reveals[0].Record.Actor, Is.EqualTo("olga"));
        Assert.That(reveals[0].Record.Reason, Does.Contain("witness statement"));
        Assert.That(reveals[0].Record.Reason, Does.Not.Contain("12345601"), "the trail records that a value was revealed, not the value");
        Assert.That(entries.Any(e => e.Record.Operation == "refuse" && e.Record.Rule == "access.hits-reveal"), Is.True);
    }
}
