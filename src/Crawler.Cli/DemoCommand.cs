using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Crawler.Cli;

/// <summary>
/// The README's first command: the bundled synthetic ad site on a free loopback port, a lab data
/// folder with demo users, a target and an approved mandate, one crawl, the review queue and the
/// audit verification, all through the same commands a user would type.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo data folder afterwards (it is printed)" };
        var console = new Option<bool>("--console") { Description = "Then serve the web console over the demo case until Ctrl+C, printing its address and the demo users' sign-in" };
        var urls = new Option<string>("--urls")
        {
            Description = "Where the demo's console listens (http on a loopback address only; port 0: any free port)",
            DefaultValueFactory = _ => Web.ConsoleOptions.DefaultUrls,
        };
        var cmd = new Command("demo", "Crawl the bundled synthetic ad site under a demo mandate and print the hits") { keep, console, urls };
        cmd.SetAction(async (r, ct) =>
        {
            if (r.GetValue(console) && Web.ConsoleOptions.ProblemWith(r.GetValue(urls)) is { } problem)
            {
                await io.Err.WriteLineAsync("refused: --urls: " + problem);
                return CliApp.Refused;
            }

            await using var site = await Crawler.DemoSite.DemoSite.StartAsync(null, ct);
            var dir = Path.Combine(Path.GetTempPath(), "crawler-demo-" + Guid.NewGuid().ToString("N")[..8]);
            var policies = r.GetValue(io.Globals.Policies);
            var people = new ScriptedIdentities();
            try
            {
                var code = await RunAsync(io, site.BaseUrl, dir, policies, people, ct);
                return code == CliApp.Ok && r.GetValue(console) ? await ServeAsync(io, dir, policies, r.GetValue(urls)!, people, ct) : code;
            }
            finally
            {
                if (r.GetValue(keep))
                {
                    io.Out.WriteLine($"demo data kept in {dir} (keys in {dir}.keys)");
                }
                else
                {
                    foreach (var d in new[] { dir, dir + ".keys" }.Where(Directory.Exists))
                    {
                        Directory.Delete(d, recursive: true);
                    }
                }
            }
        });
        return cmd;
    }

    /// <summary>The people of the demo case and their roles, as the console's sign-in is offered to them.</summary>
    private static readonly (string Name, string Role)[] DemoPeople = [("sanne", "specialist"), ("pieter", "officer"), ("aaron", "auditor"), ("admin", "admin")];

    /// <summary>
    /// Serves the web console over the demo case (as <c>crawler serve</c> does, without the schedule) until the command is
    /// stopped, after printing its address and how each demo person signs in.
    /// </summary>
    private static async Task<int> ServeAsync(CliIo io, string dir, string? policies, string urls, ScriptedIdentities people, CancellationToken ct)
    {
        var options = new Web.ConsoleOptions(dir, Service.Application.PolicyDirectory.Resolve(policies, io.Env.Variable), new Storage.KeySource(null, null))
        {
            Urls = urls,
            Storage = Service.Hosting.StorageSettings.From(io.Env.Variable, dir),
        };
        await using var app = Web.ConsoleHosting.Build(options, builder => builder.Services.AddSingleton(io.Env.Time));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        io.Out.WriteLine($"Web console: {address}");
        io.Out.WriteLine("Sign in as (name, password; demo data only):");
        foreach (var (name, role) in DemoPeople)
        {
            io.Out.WriteLine($"  {name} ({role}): {people.PasswordOf(name)}");
        }

        io.Out.WriteLine("Stop with Ctrl+C.");
        await io.Out.FlushAsync(CancellationToken.None);
        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        return CliApp.Ok;
    }

    private static async Task<int> RunAsync(CliIo io, Uri site, string dir, string? policies, ScriptedIdentities people, CancellationToken ct)
    {
        var now = io.Env.Time.GetUtcNow();
        var targetFile = Path.Combine(dir, "demo-target.yaml");
        var mandateFile = Path.Combine(dir, "demo-mandate.yaml");
        io.Out.WriteLine($"Demo ad site (synthetic, invented content) on {site}");
        io.Out.WriteLine($"Lab data folder: {dir}");
        io.Out.WriteLine();

        var common = new List<string> { "--data", dir };
        if (policies is not null)
        {
            common.AddRange(["--policies", policies]);
        }

        // Demo people sign in as real users do (password set with the enrolment code, then a token); the script types for them.

        async Task<(int Code, string Out)> Quiet(params string[] args)
        {
            using var captured = new StringWriter();
            var code = await CliApp.RunAsync([.. args, .. common], captured, io.Err, people.For(io.Env, ScriptedIdentities.ActingAs(args)), ct);
            return (code, captured.ToString());
        }

        async Task SignIn(string name)
        {
            io.Out.WriteLine($"$ crawler login --as {name}");
            var (code, token) = await Quiet("login", "--as", name, "--print");
            if (code != CliApp.Ok)
            {
                throw new Core.Mandates.RefusalException("demo.step", $"the demo stopped: {name} could not sign in");
            }

            people.RememberToken(name, token.Trim());
            io.Out.WriteLine($"signed in as {name}");
            io.Out.WriteLine();
        }

        async Task AddUser(string name, string role)
        {
            io.Out.WriteLine($"$ crawler users add {name} --role {role} --as admin");
            var (code, output) = await Quiet("users", "add", name, "--role", role, "--as", "admin", "--json");
            if (code != CliApp.Ok)
            {
                throw new Core.Mandates.RefusalException("demo.step", $"the demo stopped: could not add {name}");
            }

            people.RememberCode(name, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("enrolmentCode").GetString()!);
            io.Out.WriteLine($"added {name} ({role}); the one-time enrolment code goes to {name}, who sets a password at first sign-in");
            io.Out.WriteLine();
        }

        async Task<int> Step(string title, params string[] args)
        {
            if (ScriptedIdentities.ActingAs(args) is { } actor && people.TokenOf(actor) is null)
            {
                await SignIn(actor);
            }

            io.Out.WriteLine($"$ crawler {string.Join(' ', args)}");
            var code = await CliApp.RunAsync([.. args, .. common], io.Out, io.Err, people.For(io.Env, ScriptedIdentities.ActingAs(args)), ct);
            if (code != CliApp.Ok && title != "expected refusal")
            {
                throw new Core.Mandates.RefusalException("demo.step", $"the demo stopped: crawler {string.Join(" ", args)} exited with {code}");
            }

            io.Out.WriteLine();
            return code;
        }

        await Step("init", "init", "--lab");
        await Step("admin", "users", "add", "admin", "--role", "admin");
        await SignIn("admin");
        await AddUser("sanne", "specialist");
        await AddUser("pieter", "officer");
        await AddUser("aaron", "auditor");

        await File.WriteAllTextAsync(targetFile, $"""
            name: demo-ads
            seeds: ["{site}"]
            scope:
              hosts: ["{site.Host}"]
              maxDepth: 2
              maxPagesPerRun: 50
            politeness:
              minDelayMs: 50
              maxConcurrencyPerHost: 1
            schedule: "0 0 3 * * ?"
            """, ct);
        var from = now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var until = now.AddDays(29).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(mandateFile, $"""
            case: "DEMO-2026-001"
            caseName: "Demonstratie"
            legalBasis: art126g-sv
            wpgPurpose: art9
            purpose: "Demonstrate a mandate-gated crawl of a synthetic ad site"
            offence: "Mensenhandel (art. 273f Sr)"
            suspect: "Unknown advertisers on the demo site"
            factsAndCircumstances: "Synthetic data only; no real persons"
            targets: [demo-ads]
            validFrom: "{from}"
            validUntil: "{until}"
            limits:
              maxPages: 100
              maxHits: 50
            dataCategories:
              phone: pseudonymise
              email: keep
              text: drop
            linking: false
            justifications:
              third-parties: "E-mail addresses are kept in clear to show the review queue; phones stay pseudonymised"
            """, ct);

        await Step("target", "target", "add", "--file", targetFile, "--as", "sanne");
        await Step("assess", "mandate", "assess", "--file", mandateFile, "--as", "sanne");
        await Step("mandate", "mandate", "request", "--file", mandateFile, "--as", "sanne");
        io.Out.WriteLine("Only an officer may approve a mandate, and never one they requested:");
        await Step("expected refusal", "mandate", "approve", "1", "--as", "sanne");
        await Step("approve", "mandate", "approve", "1", "--as", "pieter");
        await Step("crawl", "crawl", "run", "--target", "1", "--as", "sanne");
        await Step("hits", "hits", "list", "--as", "sanne");
        io.Out.WriteLine("Refusals in the audit trail (roles, robots.txt, out of scope):");
        if (people.TokenOf("aaron") is null)
        {
            await SignIn("aaron");
        }

        var (_, refusals) = await Quiet("audit", "list", "--operation", "refuse", "--as", "aaron", "--json");
        foreach (var line in refusals.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var e = System.Text.Json.JsonDocument.Parse(line).RootElement;
            io.Out.WriteLine($"  #{e.GetProperty("sequence").GetInt64()} [{e.GetProperty("rule").GetString()}] {e.GetProperty("subject").GetString()}: {e.GetProperty("reason").GetString()}");
        }

        io.Out.WriteLine();
        return await Step("verify", "audit", "verify", "--as", "aaron");
    }
}
