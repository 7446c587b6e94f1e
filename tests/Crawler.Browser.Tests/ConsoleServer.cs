using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crawler.Core.Users;
using Crawler.EndToEnd.Tests;
using Crawler.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using OtpNet;

namespace Crawler.Browser.Tests;

/// <summary>A person of the lab as the console tests sign in: nobody (signed out) or a user with a role.</summary>
public sealed record ConsolePerson(string? Name, Role? Role)
{
    public override string ToString() => Name ?? "signed-out";
}

/// <summary>
/// The web console as it runs in production, over a lab with sample data: a real Kestrel on a free loopback port,
/// the lab's LiteDB data folder in a temporary directory, the demo site crawled once under an approved mandate (hits with
/// indicators, a trail of several pages), and mandates awaiting an officer's decision. One server for the whole test
/// assembly (seeding costs seconds); tests that change data use their own mandate or hit.
/// </summary>
public sealed partial class ConsoleServer : IAsyncDisposable
{
    private static readonly Lazy<Task<ConsoleServer>> Shared = new(StartAsync);

    private ConsoleServer(Lab lab, Crawler.DemoSite.DemoSite site, FixtureServer hostile, FixtureServer metrics, WebApplication app, Uri baseUrl, CollectedLogs logs,
        IReadOnlyDictionary<string, GatedSite> gated)
    {
        GatedSites = gated;
        HostileSite = hostile;
        MetricsSite = metrics;
        Logs = logs;
        Lab = lab;
        Site = site;
        App = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Nobody signed in, then one person of each role.</summary>
    public static IReadOnlyList<ConsolePerson> People { get; } =
    [
        new(null, null), new("sanne", Role.Specialist), new("pieter", Role.Officer), new("aaron", Role.Auditor), new("admin", Role.Admin),
    ];

    public Lab Lab { get; }

    public Crawler.DemoSite.DemoSite Site { get; }

    /// <summary>The origin of the hostile page (<see cref="HostilePage"/>), counting every request it receives.</summary>
    public FixtureServer HostileSite { get; }

    /// <summary>A site whose robots.txt refuses two of its pages, crawled by the metrics test through the console's own services.</summary>
    public FixtureServer MetricsSite { get; }

    /// <summary>Sites for "run now", one per test (<c>click</c>, <c>keyboard-nl</c>, <c>keyboard-en</c>), each with its target under an approved mandate.</summary>
    public IReadOnlyDictionary<string, GatedSite> GatedSites { get; }

    /// <summary>A target the specialist's edit-and-disable walkthrough changes (under an approved mandate, never crawled).</summary>
    public long EditableTarget { get; private set; }

    /// <summary>The target of <see cref="MetricsSite"/>, under an approved mandate, not yet crawled.</summary>
    public long MetricsTarget { get; private set; }

    /// <summary>The hit of the hostile page, crawled under a mandate that keeps snapshots.</summary>
    public long HostileHit { get; private set; }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    /// <summary>A mandate awaiting approval that no test decides (the pages show it as waiting).</summary>
    public long PendingMandate { get; private set; }

    /// <summary>Mandates awaiting approval for the officer's keyboard walkthroughs to approve, one per language.</summary>
    public IReadOnlyDictionary<string, long> KeyboardMandates { get; private set; } = new Dictionary<string, long>();

    /// <summary>A mandate awaiting approval that two officers try to approve at once (the second is refused by the service).</summary>
    public long ContestedMandate { get; private set; }

    /// <summary>A mandate awaiting approval for the in-process tests to decide.</summary>
    public long ServerMandate { get; private set; }

    /// <summary>The approved mandate the demo site was crawled under.</summary>
    public long CrawledMandate { get; private set; }

    /// <summary>The secret of olga's second factor (an officer who signs in with a TOTP code).</summary>
    public Totp OlgaTotp { get; private set; } = null!;

    /// <summary>What the console has logged so far.</summary>
    public CollectedLogs Logs { get; }

    /// <summary>The hits of the crawl, by id.</summary>
    public IReadOnlyList<long> Hits { get; private set; } = [];

    public static Task<ConsoleServer> SharedAsync() => Shared.Value;

    /// <summary>Stops the shared server if a test started it (the assembly's one-time tear-down).</summary>
    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await (await Shared.Value).DisposeAsync();
        }
    }

    public string PasswordOf(string name) => Lab.People.PasswordOf(name);

    public Uri Url(string path) => new(BaseUrl, path);

    private static async Task<ConsoleServer> StartAsync()
    {
        var logs = new CollectedLogs();
        var site = await Crawler.DemoSite.DemoSite.StartAsync();
        var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.CrawlUnderMandateAsync(site.BaseUrl, now.AddDays(2));
        await lab.AddUserAsync("lotte", "auditor");
        foreach (var name in new[] { "admin", "sanne", "pieter", "olga", "aaron", "lotte" })
        {
            await lab.SignInAsync(name);
        }

        // olga has a second factor, confirmed with the previous step's code so that the current one is still unused.
        var secret = (await lab.Ok("users", "totp", "enrol", "--json", "--as", "olga")).Json.GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await lab.Ok("users", "totp", "confirm", "--code", totp.ComputeTotp(lab.Time.GetUtcNow().AddSeconds(-30).UtcDateTime), "--as", "olga");

        var hits = (await lab.Ok("hits", "list", "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()).Order().ToList();
        var pending = new List<long>();
        foreach (var target in new[] { "waiting", "keyboard-nl", "keyboard-en", "server", "contested" })
        {
            await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, name: target), "--as", "sanne");
            var file = lab.WriteMandate(now.AddHours(1), now.AddDays(30), target: target);
            pending.Add((await lab.Ok("mandate", "request", "--file", file, "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64());
        }

        // The hostile page, crawled for real under a mandate that keeps snapshots (so an officer's frame shows the raw page).
        var hostile = await FixtureServer.StartAsync(new Dictionary<string, Func<Microsoft.AspNetCore.Http.HttpContext, Task>>
        {
            ["/"] = ctx => FixtureServer.Html(HostilePage.Html(new Uri($"http://{ctx.Request.Host}/")))(ctx),
        });
        var hostileTarget = (await lab.Ok("target", "add", "--file", lab.WriteTarget(hostile.BaseUrl, name: "hostile"), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        var hostileMandate = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), target: "hostile", extra: "snapshots: true"),
            "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(hostileMandate), "--as", "pieter");
        await lab.Ok("crawl", "run", "--target", Id(hostileTarget), "--as", "sanne");
        var hostileHit = (await lab.Ok("hits", "list", "--mandate", Id(hostileMandate), "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()).Single();

        var metricsSite = await FixtureServer.StartAsync(new Dictionary<string, Func<Microsoft.AspNetCore.Http.HttpContext, Task>>
        {
            ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow: /private/\n"),
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/ad", "/private/one", "/private/two")),
            ["/ad"] = FixtureServer.Html(FixtureServer.AdPage("Metingen", "06-87654321")),
        });
        var metricsTarget = (await lab.Ok("target", "add", "--file", lab.WriteTarget(metricsSite.BaseUrl, name: "metrics"), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        var metricsMandate = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), target: "metrics"),
            "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(metricsMandate), "--as", "pieter");

        var gated = new Dictionary<string, GatedSite>(StringComparer.Ordinal);
        foreach (var name in new[] { "click", "keyboard-nl", "keyboard-en" })
        {
            var gatedSite = await GatedSite.StartAsync("runnow-" + name);
            gatedSite.Target = (await lab.Ok("target", "add", "--file", lab.WriteTarget(gatedSite.Server.BaseUrl, name: gatedSite.Name), "--as", "sanne", "--json"))
                .Json.GetProperty("id").GetInt64();
            var gatedMandate = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), target: gatedSite.Name),
                "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
            await lab.Ok("mandate", "approve", Id(gatedMandate), "--as", "pieter");
            gated[name] = gatedSite;
        }

        var editable = (await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, name: "editable"), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        var editableMandate = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), target: "editable"),
            "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await lab.Ok("mandate", "approve", Id(editableMandate), "--as", "pieter");

        // A retention run now erases nothing that is not due (the crawls are recent) but leaves its erase entries in the trail.
        await lab.Ok("retention", "run", "--as", "admin");

        // A target no mandate names yet: the draft tests request one for it.
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site.BaseUrl, name: "drafted"), "--as", "sanne");

        // Every test signs in from 127.0.0.1: the per-address limit on sign-ins is raised above what the tests send.
        var options = new ConsoleOptions(lab.Dir, lab.Policies) { Urls = "http://127.0.0.1:0", SignInsPerMinute = 1000 };
        var app = ConsoleHosting.Build(options, b =>
        {
            b.Services.AddSingleton(lab.Time);
            b.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleServer(lab, site, hostile, metricsSite, app, new Uri(address + "/"), logs, gated)
        {
            MetricsTarget = metricsTarget,
            EditableTarget = editable,
            HostileHit = hostileHit,
            CrawledMandate = 1,
            PendingMandate = pending[0],
            KeyboardMandates = new Dictionary<string, long>(StringComparer.Ordinal) { ["nl"] = pending[1], ["en"] = pending[2] },
            ServerMandate = pending[3],
            ContestedMandate = pending[4],
            Hits = hits,
            OlgaTotp = totp,
        };
    }

    /// <summary>An HTTP client of its own (cookies, no redirects followed), signed in as <paramref name="person"/> through the sign-in form.</summary>
    public async Task<HttpClient> ClientAsync(ConsolePerson person)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = BaseUrl };
        if (person.Name is { } name)
        {
            var token = await AntiforgeryTokenAsync(client, "/signin");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Name"] = name, ["Password"] = PasswordOf(name), ["__RequestVerificationToken"] = token,
            });
            using var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"{name} signs in");
        }

        return client;
    }

    /// <summary>The antiforgery token of the form on <paramref name="path"/> (its cookie stays in the client).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new AssertionException($"{path} has no antiforgery token");
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public async ValueTask DisposeAsync()
    {
        foreach (var gated in GatedSites.Values)
        {
            gated.Open();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        await Site.DisposeAsync();
        await HostileSite.DisposeAsync();
        await MetricsSite.DisposeAsync();
        foreach (var gated in GatedSites.Values)
        {
            await gated.DisposeAsync();
        }

        Lab.Dispose();
    }
}

/// <summary>Stops the shared console server after the assembly's last test.</summary>
[SetUpFixture]
public sealed class ConsoleServerTearDown
{
    [OneTimeTearDown]
    public Task StopAsync() => ConsoleServer.StopSharedAsync();
}
