using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>A run says truthfully how it ended: completed, partial or failed, with its failures by rule and an exit code to match.</summary>
public sealed class RunOutcomeTests
{
    /// <summary>A loopback port nobody listens on: bound for a moment to find a free one, then closed.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task A_crawl_of_an_unreachable_site_fails_with_a_non_zero_exit()
    {
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/"));

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.EqualTo(4), result.Out + result.Err);
        var json = result.Json;
        Assert.That(json.GetProperty("state").GetString(), Is.EqualTo("failed"));
        Assert.That(json.GetProperty("fetched").GetInt32(), Is.Zero);
        Assert.That(json.GetProperty("failures").GetProperty("fetch.unreachable").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(json.GetProperty("endReason").GetString(), Does.Contain("nothing could be fetched").And.Contain("fetch.unreachable"));
        using var ctx = lab.OpenContext();
        var end = ctx.Store.Entries().Single(e => e.Record.Operation == "crawl-end");
        Assert.That(end.Record.Outcome, Is.EqualTo("failed"));
        Assert.That(end.Record.Reason, Does.Contain("fetch.unreachable"));
        Assert.That(ctx.Store.Runs(target).Single().State, Is.EqualTo(Core.Storage.RunState.Failed));
    }

    [Test]
    public async Task A_crawl_in_which_one_url_resets_is_partial_and_says_which_rule()
    {
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/ok", "/reset")),
            ["/ok"] = FixtureServer.Html(FixtureServer.AdPage("Nieuw", "06-12345678")),
            ["/reset"] = ctx =>
            {
                // The connection is torn down without an answer.
                ctx.Abort();
                return Task.CompletedTask;
            },
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.EqualTo(3), result.Out + result.Err);
        var json = result.Json;
        Assert.That(json.GetProperty("state").GetString(), Is.EqualTo("partial"));
        Assert.That(json.GetProperty("hits").GetInt32(), Is.EqualTo(1));
        var failures = json.GetProperty("failures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.That(failures, Is.EqualTo(new Dictionary<string, int> { ["fetch.unreachable"] = 1 }));
        Assert.That(json.GetProperty("endReason").GetString(), Does.Contain("1 URL could not be fetched"));

        using var ctx = lab.OpenContext();
        var end = ctx.Store.Entries().Single(e => e.Record.Operation == "crawl-end");
        Assert.That(end.Record.Outcome, Is.EqualTo("partial"));
        Assert.That(end.Record.Reason, Does.Contain("fetch.unreachable 1"));
    }

    [Test]
    public async Task A_body_cut_short_or_reset_mid_way_fails_that_url_only_and_nothing_of_it_is_kept()
    {
        var ad = System.Text.Encoding.UTF8.GetBytes(FixtureServer.AdPage("Nieuw", "06-12345678"));
        var cut = System.Text.Encoding.UTF8.GetBytes(FixtureServer.AdPage("Afgebroken", "06-87654321"));
        var index = System.Text.Encoding.UTF8.GetBytes(FixtureServer.LinkPage("/ok", "/truncated", "/reset"));
        byte[] Page(byte[] body, int? sent = null) => RawSocketServer.Response(
            ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8", $"Content-Length: {body.Length}"], body[..(sent ?? body.Length)]);
        await using var site = new RawSocketServer(
            path => path switch
            {
                "/" => Page(index),
                "/ok" => Page(ad),
                "/truncated" or "/reset" => Page(cut, sent: cut.Length / 2),
                _ => null,
            },
            ending: path => path switch { "/truncated" => RawEnding.Close, "/reset" => RawEnding.Reset, _ => RawEnding.KeepAlive });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.EqualTo(3), result.Out + result.Err);
        var json = result.Json;
        Assert.That(json.GetProperty("state").GetString(), Is.EqualTo("partial"));
        Assert.That(json.GetProperty("hits").GetInt32(), Is.EqualTo(1), "the whole ad is stored; the broken one is not");
        var failures = json.GetProperty("failures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.That(failures.Values.Sum(), Is.EqualTo(2), string.Join(", ", failures));
        Assert.That(failures.Keys, Is.SubsetOf(new[] { "fetch.truncated", "fetch.reset" }));
        Assert.That(failures.GetValueOrDefault("fetch.truncated"), Is.GreaterThanOrEqualTo(1), "a connection closed before Content-Length is a truncated body");

        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Hits(null).Select(h => new Uri(h.Url).AbsolutePath), Is.EqualTo(new[] { "/ok" }));
        var refusals = ctx.Store.Entries().Where(e => e.Record.Rule is "fetch.truncated" or "fetch.reset").ToList();
        Assert.That(refusals, Has.Count.EqualTo(2));
        Assert.That(refusals.Select(e => e.Record.Reason), Has.All.Contains("nothing of it is kept"));
    }

    [Test]
    public async Task A_crawl_in_which_every_url_answers_is_completed_with_exit_zero_and_no_failures()
    {
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = FixtureServer.Html(FixtureServer.AdPage("Nieuw", "06-12345678")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");

        Assert.That(result.Code, Is.Zero, result.Err);
        Assert.That(result.Json.GetProperty("state").GetString(), Is.EqualTo("completed"));
        Assert.That(result.Json.GetProperty("failures").EnumerateObject(), Is.Empty);
    }

    [Test]
    public async Task The_text_output_names_the_failures_by_rule()
    {
        using var lab = await Lab.CreateAsync();
        var (target, _) = await lab.TargetWithApprovedMandateAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/"));

        var result = await lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne");

        Assert.That(result.Code, Is.EqualTo(4));
        Assert.That(result.Out, Does.StartWith("crawl failed:").And.Contain("failures: fetch.unreachable 1"));
    }
}
