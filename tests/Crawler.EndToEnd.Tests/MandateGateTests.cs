using Crawler.Service.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Crawler.Service.Crawling;
using System.Net;
using NUnit.Framework;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Crawler.EndToEnd.Tests;

/// <summary>No request leaves the process unless an approved mandate covers the target and the URL at that instant.</summary>
public sealed class MandateGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] RefusedActors = ["sanne", "admin"];

    [Test]
    public async Task Crawl_without_a_mandate_sends_no_request_and_logs_the_refusal()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("no approved mandate covers target 'fixture'"));
        Assert.That(site.Requests, Is.Empty);
        using var ctx = lab.OpenContext();
        var refusal = ctx.Store.Entries().Last(e => e.Record.Operation == "refuse");
        Assert.That(refusal.Record.Rule, Is.EqualTo("mandate.present"));
        Assert.That(refusal.Record.Actor, Does.Contain("sanne"));
    }

    [Test]
    public async Task Crawl_under_a_mandate_awaiting_approval_sends_no_request()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");

        var result = await lab.Run("crawl", "run", "--target", "1", "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("awaiting approval"));
        Assert.That(site.Requests, Is.Empty);
    }

    [Test]
    public async Task A_mandate_approved_by_its_requester_is_refused_and_logged()
    {
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");

        var self = await lab.Run("mandate", "approve", "1", "--as", "sanne");
        var admin = await lab.Run("mandate", "approve", "1", "--as", "admin");

        Assert.That(self.Code, Is.EqualTo(2));
        Assert.That(admin.Code, Is.EqualTo(2));
        Assert.That(self.Err, Does.Contain("refused (access.mandates-decide)"));
        var shown = await lab.Ok("mandate", "show", "1", "--json", "--as", "pieter");
        Assert.That(shown.Json.GetProperty("status").GetString(), Is.EqualTo("requested"));
        using var ctx = lab.OpenContext();
        var refusals = ctx.Store.Entries().Where(e => e.Record.Operation == "refuse").Select(e => e.Record.Actor).ToList();
        Assert.That(refusals, Is.EquivalentTo(RefusedActors));
    }

    [Test]
    public async Task An_expired_mandate_stops_a_running_crawl_at_its_next_request()
    {
        var clock = new FakeTimeProvider(Start);
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == "/ads/101.html")
            {
                clock.Advance(TimeSpan.FromHours(2));
            }
        });
        using var lab = await Lab.CreateAsync(time: clock);
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var result = await lab.Ok("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(site.Requests, Does.Contain("/ads/101.html"));
        Assert.That(site.Requests[^1], Is.EqualTo("/ads/101.html"), "nothing may be requested after the mandate expired");
        Assert.That(result.Json.GetProperty("state").GetString(), Is.EqualTo("stopped"));
        Assert.That(result.Json.GetProperty("endReason").GetString(), Does.Contain("expired"));
    }

    [Test]
    public async Task A_revoked_mandate_stops_a_running_crawl_at_its_next_request()
    {
        Lab? lab = null;
        await using var site = await DemoSite.DemoSite.StartAsync(path =>
        {
            if (path == "/ads/102.html")
            {
                using var ctx = lab!.OpenContextAs("olga");
                ctx.Get<Service.Application.MandateService>().RevokeAsync(1, "olga", "the investigation ended").GetAwaiter().GetResult();
            }
        });
        lab = await Lab.CreateAsync();
        using var _ = lab;
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);
        await lab.TokenAsync("olga");

        var result = await lab.Ok("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(site.Requests[^1], Is.EqualTo("/ads/102.html"));
        Assert.That(result.Json.GetProperty("endReason").GetString(), Does.Contain("revoked"));
        var verify = await lab.Run("audit", "verify", "--as", "aaron");
        Assert.That(verify.Out, Does.StartWith("audit verify: OK"));
    }

    [Test]
    public async Task The_mandate_page_cap_stops_the_crawl_when_reached()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1), maxPages: 3), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");

        var result = await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne", "--json");

        Assert.That(result.Json.GetProperty("fetched").GetInt32(), Is.EqualTo(3));
        Assert.That(site.Requests.Count(r => r != "/robots.txt"), Is.EqualTo(3));
        Assert.That(result.Json.GetProperty("endReason").GetString(), Does.Contain("has used its 3 pages"));
    }

    [Test]
    public async Task Loopback_is_refused_outside_a_lab_installation()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync(lab: false);

        // A loopback seed is refused where it is written: at target add, on its line, with nothing stored.
        var add = await lab.Run("target", "add", "--file", lab.WriteTarget(site.BaseUrl), "--as", "sanne");
        Assert.That(add.Code, Is.EqualTo(2), add.Out + add.Err);
        Assert.That(add.Err, Does.Contain("seeds").And.Contain("loopback address, not a public source"));

        // A name that resolves to loopback is refused at connect time: the guard judges the address actually dialled.
        var named = new Uri($"http://ads.example:{site.BaseUrl.Port}/");
        await lab.Ok("target", "add", "--file", lab.WriteTarget(named), "--as", "sanne");
        var now = lab.Time.GetUtcNow();
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        using var ctx = await lab.OpenContextAsAsync("sanne",
            services => services.AddSingleton(new NameResolution((_, _) => Task.FromResult(new[] { IPAddress.Loopback }))));
        var summary = await ctx.Get<CrawlService>().RunAsync(1, "sanne", null, CancellationToken.None);

        Assert.That(site.Requests, Is.Empty, "no connection may reach a loopback address");
        Assert.That((summary.Fetched, summary.State), Is.EqualTo((0, "failed")), "nothing could be fetched");
        var refusal = ctx.Store.Entries().First(e => e.Record.Operation == "refuse");
        Assert.That(refusal.Record.Rule, Is.EqualTo("network.public-only"));
        Assert.That(refusal.Record.Reason, Does.Contain("Loopback"));
        Assert.That(refusal.Record.Lab, Is.False);
    }
}
