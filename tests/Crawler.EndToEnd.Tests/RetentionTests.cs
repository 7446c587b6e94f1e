using NUnit.Framework;
using System.Globalization;
using System.Text.Json;
using Crawler.Service.Application;
using Crawler.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Crawler.EndToEnd.Tests;

/// <summary>Retention with a fake clock on a real, encrypted database: deadlines to the tick, erase entries, and no trace left in the file.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(Lab Lab, FakeTimeProvider Clock, DemoSite.DemoSite Site)> CrawledAsync(int validDays = 10)
    {
        var clock = new FakeTimeProvider(T0);
        var site = await DemoSite.DemoSite.StartAsync();
        var lab = await Lab.CreateAsync(time: clock);
        await lab.CrawlUnderMandateAsync(site.BaseUrl, T0.AddDays(validDays), extra: "snapshots: true");
        return (lab, clock, site);
    }

    private static List<JsonElement> Hits(CliResult r) =>
        r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static async Task<List<JsonElement>> HitsAsync(Lab lab) => Hits(await lab.Ok("hits", "list", "--json", "--as", "sanne"));

    private static long IdOf(List<JsonElement> hits, string path) =>
        hits.Single(h => h.GetProperty("url").GetString()!.EndsWith(path, StringComparison.Ordinal)).GetProperty("id").GetInt64();

    [Test]
    public async Task Hits_expire_exactly_at_their_deadline_with_one_erase_entry_each_and_no_trace_left_in_the_file()
    {
        var (lab, clock, site) = await CrawledAsync();
        await using var _ = site;
        using var __ = lab;
        var hits = await HitsAsync(lab);
        Assert.That(hits, Has.Count.EqualTo(9));
        var kept = IdOf(hits, "/ads/101.html");
        var dropped = IdOf(hits, "/ads/102.html");
        var erasedUrl = hits.Single(h => h.GetProperty("id").GetInt64() == dropped).GetProperty("url").GetString()!;
        var password = DataFolder.Open(lab.Dir).DatabasePassword;
        // Digits only: JSON may escape the plus sign.
        Assert.That(RawDatabase.All(lab.Dir, password).Any(f => RawDatabase.Contains(f.Plain, "31612345602")), Is.True,
            "control: before retention the decrypted file holds the phone number");

        clock.Advance(TimeSpan.FromHours(1));
        await lab.Ok("hits", "review", kept.ToString(CultureInfo.InvariantCulture), "--verdict", "relevant", "--note", "linked to the case", "--as", "sanne");

        // One tick before the mandate ends nothing unreviewed is due; at the tick itself all of it is.
        clock.SetUtcNow(T0.AddDays(10).AddTicks(-1));
        var before = await lab.Ok("retention", "run", "--json", "--as", "admin");
        Assert.That(before.Json.GetProperty("items").GetArrayLength(), Is.Zero);
        clock.SetUtcNow(T0.AddDays(10));
        var at = await lab.Ok("retention", "run", "--json", "--as", "admin");

        var items = at.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(items.Count(i => i.GetProperty("subject").GetString()!.StartsWith("hit:", StringComparison.Ordinal)), Is.EqualTo(8));
            Assert.That(items.Select(i => i.GetProperty("subject").GetString()), Does.Contain($"snapshot:{kept}"), "snapshots end with the mandate");
            Assert.That(items.Select(i => i.GetProperty("subject").GetString()), Does.Not.Contain($"hit:{kept}"));
            Assert.That(at.Json.GetProperty("compacted").GetBoolean(), Is.True);
        });
        var remaining = await HitsAsync(lab);
        Assert.That(remaining.Select(h => h.GetProperty("id").GetInt64()), Is.EqualTo(new[] { kept }));
        Assert.That(remaining[0].GetProperty("deleteAt").GetDateTimeOffset(), Is.EqualTo(T0.AddDays(10 + 183)), "relevant (art. 9): 183 days after the mandate ends");
        Assert.That(remaining[0].GetProperty("hasSnapshot").GetBoolean(), Is.False);

        using (var ctx = lab.OpenContext())
        {
            var erases = ctx.Store.Entries().Where(e => e.Record.Operation == "erase" && e.Record.Subject.StartsWith("hit:", StringComparison.Ordinal)).ToList();
            Assert.That(erases, Has.Count.EqualTo(8), "one erase entry per hit");
            Assert.That(erases.All(e => e.Record.ContentSha256 is { Length: 64 }), Is.True, "each with the content hash");
            Assert.That(erases.All(e => e.Time == T0.AddDays(10)), Is.True);
            Assert.That(ctx.Get<AuditService>().VerifyChainAsync().GetAwaiter().GetResult().Ok, Is.True);
            Assert.That(ctx.Get<AuditService>().ListAsync().ToBlockingEnumerable().Any(e => e.Record.Subject.Contains("(erased)", StringComparison.Ordinal)), Is.True,
                "the trail still shows that an erased URL was fetched, without saying which");
        }

        foreach (var (file, plain) in RawDatabase.All(lab.Dir, password))
        {
            Assert.That(RawDatabase.Contains(plain, "31612345602"), Is.False, $"{file} still holds an erased phone number");
            Assert.That(RawDatabase.Contains(plain, "06-12345602"), Is.False, $"{file} still holds the erased snapshot");
            Assert.That(RawDatabase.Contains(plain, erasedUrl), Is.False, $"{file} still holds an erased URL");
            Assert.That(RawDatabase.Contains(plain, "sanne.102"), Is.False, $"{file} still holds an erased e-mail address");
        }
    }

    [Test]
    public async Task A_relevant_hit_moves_to_the_restricted_store_at_its_deadline_and_is_destroyed_after_it()
    {
        var (lab, clock, site) = await CrawledAsync();
        await using var _ = site;
        using var __ = lab;
        var kept = IdOf(await HitsAsync(lab), "/ads/101.html");
        var id = kept.ToString(CultureInfo.InvariantCulture);
        await lab.Ok("hits", "review", id, "--verdict", "relevant", "--note", "linked to the case", "--as", "sanne");

        clock.SetUtcNow(T0.AddDays(10 + 183));
        var run = await lab.Ok("retention", "run", "--json", "--as", "admin");

        Assert.That(run.Json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("subject").GetString() == $"hit:{kept}")
            .GetProperty("action").GetString(), Is.EqualTo("restrict"));
        Assert.That(await HitsAsync(lab), Is.Empty, "restricted hits leave the review queue");
        var bySpecialist = await lab.Run("hits", "show", id, "--as", "sanne");
        Assert.That(bySpecialist.Code, Is.EqualTo(2), "restricted hits serve complaints and accountability only");
        Assert.That((await lab.Run("hits", "show", id, "--as", "aaron")).Err, Does.Contain("access.hits-read"), "auditors read the trail, not hits");
        var byOfficer = await lab.Ok("hits", "show", id, "--json", "--as", "pieter");
        Assert.That(byOfficer.Json.GetProperty("retentionClass").GetString(), Is.EqualTo("restricted"));
        Assert.That(byOfficer.Json.GetProperty("deleteAt").GetDateTimeOffset(), Is.EqualTo(T0.AddDays(10 + 183 + 1826)));

        clock.SetUtcNow(T0.AddDays(10 + 183 + 1826));
        var end = await lab.Ok("retention", "run", "--json", "--as", "admin");
        Assert.That(end.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()), Does.Contain("erase"));
        var gone = await lab.Run("hits", "show", id, "--as", "pieter");
        Assert.That(gone.Err, Does.Contain("no hit with id"), "destroyed after the restricted period");
    }

    [Test]
    public async Task Revoking_the_mandate_starts_the_clock_and_a_dry_run_changes_nothing()
    {
        var (lab, clock, site) = await CrawledAsync(validDays: 20);
        await using var _ = site;
        using var __ = lab;
        clock.Advance(TimeSpan.FromDays(1));
        await lab.Ok("mandate", "revoke", "1", "--reason", "the investigation ended", "--as", "olga");

        var dry = await lab.Ok("retention", "run", "--dry-run", "--json", "--as", "admin");
        Assert.That(dry.Json.GetProperty("items").GetArrayLength(), Is.EqualTo(18), "9 hits and their 9 snapshots are due at revocation");
        Assert.That(await HitsAsync(lab), Has.Count.EqualTo(9), "a dry run changes nothing");

        await lab.Ok("retention", "run", "--as", "admin");
        Assert.That(await HitsAsync(lab), Is.Empty);
        Assert.That((await lab.Run("audit", "verify", "--as", "aaron")).Code, Is.EqualTo(0));
    }
}
