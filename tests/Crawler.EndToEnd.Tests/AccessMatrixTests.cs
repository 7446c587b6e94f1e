using System.CommandLine;
using System.Globalization;
using Crawler.Cli;
using Crawler.Core.Users;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// The role matrix, in full: every command run by every role and by nobody signed in, against the table the README
/// states and the list the CLI keeps. A role the table says "no" to must be refused by the access rule, and the refusal
/// recorded; a "yes" must never meet an access or sign-in refusal (it may still fail for other reasons, such as a
/// mandate in the wrong state, which is not what this test is about).
/// </summary>
public sealed class AccessMatrixTests
{
    private static readonly (string Name, Role? Role)[] Actors =
    [
        ("sanne", Role.Specialist), ("pieter", Role.Officer), ("aaron", Role.Auditor), ("admin", Role.Admin), ("(nobody)", null),
    ];

    [Test]
    public void The_readme_roles_table_is_the_access_list()
    {
        var readme = File.ReadAllLines(Path.Combine(Lab.RepoRoot, "README.md"));
        var header = Array.FindIndex(readme, l => l.StartsWith("| command | specialist | officer | auditor | admin | no user |", StringComparison.Ordinal));
        Assert.That(header, Is.GreaterThan(0), "the README has the roles table");
        var rows = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToDictionary(c => c[0].Trim('`'), c => c[1..]);

        Assert.That(rows.Keys, Is.EquivalentTo(CommandAccess.All.Select(r => r.Command)), "one row per command, no more");
        foreach (var rule in CommandAccess.All)
        {
            var expected = Actors.Select(a => CommandAccess.Cell(rule, a.Role)).ToArray();
            Assert.That(rows[rule.Command], Is.EqualTo(expected), $"README row for '{rule.Command}'");
        }
    }

    [Test]
    public void Every_command_of_the_cli_is_in_the_access_list()
    {
        var env = new CliEnvironment(TimeProvider.System, _ => null, Interactive: false);
        var io = new CliIo(TextWriter.Null, TextWriter.Null, env, new GlobalOptions(env));
        var leaves = Commands.All(io).SelectMany(c => Leaves(c, "")).ToList();
        var listed = CommandAccess.All.Select(r => r.Command.Split(" (", StringSplitOptions.None)[0].Replace(" --dry-run", "", StringComparison.Ordinal)).ToHashSet();

        Assert.That(leaves, Is.SubsetOf(listed), "a command nobody decided the roles of");
        Assert.That(listed, Is.SubsetOf(leaves), "a listed command that does not exist");
    }

    private static IEnumerable<string> Leaves(Command c, string prefix)
    {
        var name = prefix.Length == 0 ? c.Name : prefix + " " + c.Name;
        return c.Subcommands.Count == 0 ? [name] : c.Subcommands.SelectMany(s => Leaves(s, name));
    }

    [Test]
    public async Task Every_command_is_allowed_or_refused_for_every_role_as_the_table_says()
    {
        await using var site = await DemoSite.DemoSite.StartAsync();
        using var lab = await Lab.CreateAsync();
        var setup = await SetUpAsync(lab, site.BaseUrl);
        var failures = new List<string>();
        var rules = CommandAccess.All.OrderBy(r => r.Command == "logout").ToList();
        foreach (var rule in rules)
        {
            foreach (var (name, role) in Actors)
            {
                if (rule.Command == "demo" && role is not null)
                {
                    // The demo makes its own folder and people; who runs it does not matter, and one run costs seconds.
                    continue;
                }

                var args = Args(rule.Command, setup, lab);
                CliResult result;
                if (rule.Command == "serve")
                {
                    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
                    result = role is null ? await lab.RunWithoutCredential(stop.Token, args) : await lab.Run(stop.Token, [.. args, "--as", name]);
                }
                else
                {
                    result = role is null ? await lab.RunWithoutCredential(args) : await lab.Run([.. args, "--as", name]);
                }

                var verdict = Judge(rule, role, result);
                if (verdict is not null)
                {
                    failures.Add($"{rule.Command} as {name}: {verdict}");
                }

                if (rule.Command == "logout" && role is not null)
                {
                    lab.People.Forget(name);
                }
            }
        }

        Assert.That(failures, Is.Empty);

        // Each refusal by role is an audit entry naming the person and the rule.
        using var ctx = lab.OpenContext();
        var refusals = ctx.Store.Entries().Where(e => e.Record.Rule?.StartsWith("access.", StringComparison.Ordinal) == true).ToList();
        var expected = CommandAccess.All.Where(r => r.Command != "demo")
            .Sum(r => Actors.Count(a => a.Role is not null && !CommandAccess.Allows(r, a.Role) && r.Kind is CommandAccess.Kind.Role or CommandAccess.Kind.AdminOrBootstrap));
        Assert.That(refusals, Has.Count.EqualTo(expected), "one audit entry per refusal by role");
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Rule == "auth.required"), Is.EqualTo(
            CommandAccess.All.Count(r => r.Kind is CommandAccess.Kind.Role or CommandAccess.Kind.Self or CommandAccess.Kind.AdminOrBootstrap)),
            "one audit entry per command tried with nobody signed in");
    }

    private static string? Judge(CommandAccess.Rule rule, Role? role, CliResult result)
    {
        if (rule.Command == "demo")
        {
            // The demo shows a refusal on purpose (a specialist trying to approve); it must run to its end.
            return result.Code == 0 ? null : "the demo did not run: " + result.Err.Trim();
        }

        // A wrong second-factor code (auth.failed) is not a refusal of access; a missing or foreign sign-in is.
        var accessRefused = result.Err.Contains("refused (access.", StringComparison.Ordinal);
        var signInRefused = new[] { "auth.required", "auth.token", "auth.mismatch", "auth.disabled" }
            .Any(r => result.Err.Contains($"refused ({r})", StringComparison.Ordinal));
        if (CommandAccess.Allows(rule, role))
        {
            return accessRefused || signInRefused ? "refused, but the table says yes: " + result.Err.Trim() : null;
        }

        if (result.Code != 2)
        {
            return $"exit {result.Code}, but the table says no";
        }

        if (role is null)
        {
            return result.Err.Contains("refused (auth.required)", StringComparison.Ordinal) ? null : "not refused for want of a sign-in: " + result.Err.Trim();
        }

        var permission = rule.Command == "hits show (restricted hit)" ? "hits-read" : AccessPolicy.Name(rule.Permission!.Value);
        return result.Err.Contains($"refused (access.{permission}", StringComparison.Ordinal) ? null : "not refused by its access rule: " + result.Err.Trim();
    }

    private sealed record Setup(string Hit, string RestrictedHit, string MaskedPhone, string Requested, string Evidence, string Page, string Robots, string Target, string Mandate);

    private static async Task<Setup> SetUpAsync(Lab lab, Uri site)
    {
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(site), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(20), treatment: "pseudonymise"), "--as", "sanne");
        await lab.Ok("mandate", "approve", "1", "--as", "pieter");
        await lab.Ok("crawl", "run", "--target", "1", "--as", "sanne");
        var requested = (await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddDays(10)), "--as", "sanne", "--json"))
            .Json.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var hits = (await lab.Ok("hits", "list", "--json", "--as", "pieter")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var hit = hits[0].GetProperty("id").GetInt64();
        var masked = hits[0].GetProperty("phones")[0].GetString()!;
        var restricted = hits[1].GetProperty("id").GetInt64();
        using (var ctx = lab.OpenContext())
        {
            ctx.Store.UpdateHit(ctx.Store.FindHit(restricted)! with { RestrictedAt = now });
        }

        var evidence = Path.Combine(lab.Dir, "setup.warc.gz");
        await lab.Ok("evidence", "export", "--hits", hit.ToString(CultureInfo.InvariantCulture), "--out", evidence, "--recipient", "OM Rotterdam", "--as", "pieter");
        await lab.AddUserAsync("zed", "specialist");
        var page = lab.WriteFile("page.html", "<html><body><h1>Lisa</h1><p>Bel 06-12345678</p></body></html>");
        var robots = lab.WriteFile("robots.txt", "User-agent: *\nDisallow: /private/\n");
        return new Setup(hit.ToString(CultureInfo.InvariantCulture), restricted.ToString(CultureInfo.InvariantCulture), masked, requested, evidence, page, robots,
            lab.WriteTarget(site, name: "another"), lab.WriteMandate(now.AddHours(-1), now.AddDays(15)));
    }

    private static string[] Args(string command, Setup s, Lab lab)
    {
        string Temp(string ext) => Path.Combine(lab.Dir, Guid.NewGuid().ToString("N")[..8] + ext);
        return command switch
        {
            "init" => ["init", "--lab"],
            "login" => ["login", "--print"],
            "logout" => ["logout"],
            "users add" => ["users", "add", "u" + Guid.NewGuid().ToString("N")[..8], "--role", "specialist"],
            "users list" => ["users", "list"],
            "users password" => ["users", "password"],
            "users totp enrol" => ["users", "totp", "enrol"],
            "users totp confirm" => ["users", "totp", "confirm", "--code", "000000"],
            "users unlock" => ["users", "unlock", "zed"],
            "users reset" => ["users", "reset", "zed"],
            "users disable" => ["users", "disable", "zed"],
            "target add" => ["target", "add", "--file", s.Target],
            "target list" => ["target", "list"],
            "target show" => ["target", "show", "1"],
            "mandate assess" => ["mandate", "assess", "--file", s.Mandate],
            "mandate request" => ["mandate", "request", "--file", s.Mandate],
            "mandate renew" => ["mandate", "renew", "1", "--file", s.Mandate],
            "mandate amend" => ["mandate", "amend", "1", "--file", s.Mandate],
            "mandate approve" => ["mandate", "approve", s.Requested],
            "mandate confirm" => ["mandate", "confirm", "1", "--order", "OM-2026-0042"],
            "mandate reject" => ["mandate", "reject", s.Requested, "--reason", "not needed"],
            "mandate suspend" => ["mandate", "suspend", "1", "--reason", "re-assessment"],
            "mandate revoke" => ["mandate", "revoke", "1", "--reason", "ended"],
            "mandate review" => ["mandate", "review", "1", "--decision", "continue", "--note", "still needed"],
            "mandate list" => ["mandate", "list"],
            "mandate show" => ["mandate", "show", "1"],
            "mandate history" => ["mandate", "history", "1"],
            "crawl run" => ["crawl", "run", "--target", "1"],
            "serve" => ["serve", "--urls", "http://127.0.0.1:0"],
            "hits list" => ["hits", "list"],
            "hits show" => ["hits", "show", s.Hit],
            "hits show (restricted hit)" => ["hits", "show", s.RestrictedHit],
            "hits review" => ["hits", "review", s.Hit, "--verdict", "relevant", "--note", "fits the case"],
            "hits link" => ["hits", "link", "--mandate", "1"],
            "hits reveal" => ["hits", "reveal", s.Hit, "--value", s.MaskedPhone, "--reason", "witness statement"],
            "audit list" => ["audit", "list"],
            "audit verify" => ["audit", "verify"],
            "audit checkpoint" => ["audit", "checkpoint", "--out", Temp(".json")],
            "audit report" => ["audit", "report", "--mandate", "1", "--out", Temp(".html")],
            "retention run" => ["retention", "run"],
            "retention run --dry-run" => ["retention", "run", "--dry-run"],
            "evidence export" => ["evidence", "export", "--hits", s.Hit, "--out", Temp(".warc.gz"), "--recipient", "OM Rotterdam"],
            "evidence verify" => ["evidence", "verify", s.Evidence],
            "evidence public-key" => ["evidence", "public-key"],
            "policy explain" => ["policy", "explain", "--target", "1", "http://127.0.0.1/ads/101.html"],
            "robots check" => ["robots", "check", "--robots-file", s.Robots, "--user-agent", "CrawlerNL", "/private/x"],
            "extract" => ["extract", s.Page],
            "profile test" => ["profile", "test", "generic", "--dir", Path.GetDirectoryName(s.Page)!],
            "profile suggest" => ["profile", "suggest", "--dir", Path.Combine(Lab.RepoRoot, "tests", "Crawler.Extraction.Tests", "Fixtures", "forum")],
            "demo" => ["demo"],
            _ => throw new InvalidOperationException("no arguments for " + command),
        };
    }
}
