using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>The mandate lifecycle through the CLI, bound at run time.</summary>
public sealed class MandateLifecycleCliTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task An_urgent_approval_not_confirmed_within_three_days_stops_crawling()
    {
        var clock = new FakeTimeProvider(Start);
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync(time: clock);
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(Start.AddHours(-1), Start.AddDays(20)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--urgent", "--as", "pieter");
        var shown = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        Assert.That(shown.Json.GetProperty("approval").GetProperty("urgent").GetBoolean(), Is.True);

        clock.Advance(TimeSpan.FromDays(3));
        var crawl = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne");

        Assert.That(crawl.Code, Is.EqualTo(2));
        Assert.That(crawl.Err, Does.Contain("urgent approval not confirmed in writing"));
        Assert.That(site.Requests, Is.Empty);
        var late = await lab.Run("mandate", "confirm", "1", "--order", "OM-2026-0042", "--as", "pieter");
        Assert.That(late.Code, Is.EqualTo(2));
        Assert.That(late.Err, Does.Contain("lapsed"));
    }

    [Test]
    public async Task A_confirmed_urgent_approval_keeps_the_mandate_active()
    {
        var clock = new FakeTimeProvider(Start);
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync(time: clock);
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(Start.AddHours(-1), Start.AddDays(20)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--urgent", "--as", "pieter");
        clock.Advance(TimeSpan.FromDays(2));
        var listed = await lab.Ok("mandate", "list", "--as", "olga");
        Assert.That(listed.Out, Does.Contain("active (urgent, confirm by 2026-12-04 09:00Z)"));
        var byOther = await lab.Run("mandate", "confirm", "1", "--order", "OM-2026-0042", "--as", "olga");
        Assert.That(byOther.Err, Does.Contain("refused (mandate.confirm.other-officer)"), "only the officer who approved orally can confirm it");
        await lab.Ok("mandate", "confirm", "1", "--order", "OM-2026-0042", "--as", "pieter");
        var shown = await lab.Ok("mandate", "show", "1", "--as", "olga");
        Assert.That(shown.Out, Does.Contain("active").And.Contain("confirmed in writing by pieter: OM-2026-0042"));
        clock.Advance(TimeSpan.FromDays(5));

        var crawl = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        Assert.That(crawl.Json.GetProperty("hits").GetInt32(), Is.EqualTo(9));
    }

    [Test]
    public async Task A_suspended_mandate_stops_a_running_crawl_at_its_next_request()
    {
        Lab? lab = null;
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == "/ads/101.html")
            {
                using var ctx = lab!.OpenContextAs("olga");
                ctx.Get<Service.Application.MandateService>().SuspendAsync(1, "olga", "tip under re-assessment").GetAwaiter().GetResult();
            }
        });
        lab = await Lab.CreateAsync();
        using var _ = lab;
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        await lab.TokenAsync("olga");

        var result = await lab.Ok("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(site.Requests[^1], Is.EqualTo("/ads/101.html"));
        Assert.That(result.Json.GetProperty("endReason").GetString(), Does.Contain("suspended"));
    }

    [Test]
    public async Task A_renewal_needs_a_new_approval_and_then_replaces_the_old_version()
    {
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(5)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        var renew = await lab.Ok("mandate", "renew", "1", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(25)), "--as", "sanne", "--json");
        var newId = renew.Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var before = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        Assert.That(before.Json.GetProperty("state").GetString(), Is.EqualTo("active"), "the old version stays in force until the new one is approved");
        var self = await lab.Run("mandate", "approve", newId, "--as", "sanne");
        Assert.That(self.Code, Is.EqualTo(2));
        await lab.Ok("mandate", "approve", newId, "--as", "olga");

        var old = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        var next = await lab.Ok("mandate", "show", newId, "--json", "--as", "pieter");
        Assert.That(old.Json.GetProperty("status").GetString(), Is.EqualTo("superseded"));
        Assert.That(next.Json.GetProperty("version").GetInt32(), Is.EqualTo(2));
        var history = await lab.Ok("mandate", "history", newId, "--json", "--as", "pieter");
        Assert.That(history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task A_due_necessity_review_is_listed_and_recorded()
    {
        var clock = new FakeTimeProvider(Start);
        using var lab = await Lab.CreateAsync(time: clock);
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(Start.AddHours(-1), Start.AddDays(20)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        var notYet = await lab.Ok("mandate", "list", "--due-review", "--json", "--as", "pieter");
        Assert.That(notYet.Out.Trim(), Is.Empty);

        clock.Advance(TimeSpan.FromDays(21));
        var due = await lab.Ok("mandate", "list", "--due-review", "--json", "--as", "pieter");
        Assert.That(due.Out, Does.Contain("\"id\":1"));

        var review = await lab.Run("mandate", "review", "1", "--decision", "end", "--note", "purpose reached", "--as", "pieter");
        Assert.That(review.Code, Is.EqualTo(0), review.Err);
        var shown = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        Assert.That(shown.Json.GetProperty("status").GetString(), Is.EqualTo("revoked"));
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Entries().Any(e => e.Record.Operation == "review" && e.Record.Reason!.Contains("purpose reached", StringComparison.Ordinal)), Is.True);
    }
}
