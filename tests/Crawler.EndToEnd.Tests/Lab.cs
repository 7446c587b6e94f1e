using NUnit.Framework;
using System.Globalization;
using System.Text.Json;
using Crawler.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Crawler.EndToEnd.Tests;

public sealed record CliResult(int Code, string Out, string Err)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;
}

/// <summary>A data folder in a temporary directory, driven through the real CLI in-process.</summary>
public sealed class Lab : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _variables;

    private Lab(string dir, TimeProvider time, string policies, IReadOnlyDictionary<string, string> variables)
    {
        Dir = dir;
        Time = time;
        Policies = policies;
        _variables = variables;
    }

    /// <summary>The database the lab's commands use, as its environment says (LiteDB unless the lab was made over PostgreSQL).</summary>
    public Crawler.Service.Hosting.StorageSettings Storage => Crawler.Service.Hosting.StorageSettings.From(Variable, Dir);

    private string? Variable(string name) => _variables.GetValueOrDefault(name);

    /// <summary>The policy folder this lab uses: the repository's, or an edited copy.</summary>
    public string Policies { get; }

    public string Dir { get; }

    public TimeProvider Time { get; }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crawler.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string PoliciesDir => Path.Combine(RepoRoot, "policies");

    /// <summary>An initialised folder (over <paramref name="postgres"/>'s database when given) with users admin, sanne (specialist), pieter and olga (officers), aaron (auditor).</summary>
    public static async Task<Lab> CreateAsync(bool lab = true, TimeProvider? time = null, Func<string, string>? editPolicy = null,
        Func<string, string>? editKoops = null, Func<string, string>? editIdentity = null, string? postgres = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crawler-test-" + Guid.NewGuid().ToString("N"));
        var policies = PoliciesDir;
        if (editPolicy is not null || editKoops is not null || editIdentity is not null)
        {
            policies = Path.Combine(dir + "-policies");
            Directory.CreateDirectory(policies);
            foreach (var f in Directory.GetFiles(PoliciesDir, "*.yaml"))
            {
                var text = File.ReadAllText(f);
                var edit = Path.GetFileName(f) switch
                {
                    "crawler.yaml" => editPolicy,
                    "koops.yaml" => editKoops,
                    "identity.yaml" => editIdentity,
                    _ => null,
                };
                File.WriteAllText(Path.Combine(policies, Path.GetFileName(f)), edit is null ? text : edit(text));
            }

            Directory.CreateDirectory(Path.Combine(policies, "profiles"));
            foreach (var f in Directory.GetFiles(Path.Combine(PoliciesDir, "profiles"), "*.yaml"))
            {
                File.Copy(f, Path.Combine(policies, "profiles", Path.GetFileName(f)));
            }
        }

        // Over PostgreSQL, the commands find the database as an operator's environment would name it.
        var variables = postgres is null ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["CRAWLER_STORAGE"] = "postgres", ["CRAWLER_POSTGRES"] = postgres };
        var l = new Lab(dir, time ?? TimeProvider.System, policies, variables);
        await l.Ok(lab ? ["init", "--lab"] : ["init"]);
        await l.Ok("users", "add", "admin", "--role", "admin");
        await l.AddUserAsync("sanne", "specialist");
        await l.AddUserAsync("pieter", "officer");
        await l.AddUserAsync("olga", "officer");
        await l.AddUserAsync("aaron", "auditor");
        return l;
    }

    /// <summary>The lab's people: passwords, enrolment codes and tokens, answering sign-in prompts as they would.</summary>
    public ScriptedIdentities People { get; } = new();

    /// <summary>Adds a user as the admin and keeps their enrolment code; they sign in when a command first runs as them.</summary>
    public async Task AddUserAsync(string name, string role)
    {
        var added = await Ok("users", "add", name, "--role", role, "--as", "admin", "--json");
        People.RememberCode(name, added.Json.GetProperty("enrolmentCode").GetString()!);
    }

    /// <summary>Signs <paramref name="name"/> in (setting their password on first use) and keeps the token.</summary>
    public async Task<string> SignInAsync(string name)
    {
        var r = await RunAs(null, ["login", "--as", name, "--print"], CancellationToken.None);
        if (r.Err.Contains("auth.not-enrolled", StringComparison.Ordinal) && name != "admin")
        {
            // The test's clock ran past the enrolment code's days before this person first signed in: the admin issues a new one.
            var reset = await Ok("users", "reset", name, "--as", "admin", "--json");
            People.RememberCode(name, reset.Json.GetProperty("enrolmentCode").GetString()!);
            r = await RunAs(null, ["login", "--as", name, "--print"], CancellationToken.None);
        }

        Assert.That(r.Code, Is.EqualTo(0), $"{name} could not sign in: {r.Err}");
        var token = r.Out.Trim();
        People.RememberToken(name, token);
        _signedInAt[name] = Time.GetUtcNow();
        return token;
    }

    private readonly Dictionary<string, DateTimeOffset> _signedInAt = new(StringComparer.Ordinal);

    /// <summary>A token goes stale after the policy's hours (8): a test that moves its clock on signs in again, as a person would.</summary>
    private bool NeedsSignIn(string name) =>
        People.TokenOf(name) is null || !_signedInAt.TryGetValue(name, out var at) || Time.GetUtcNow() - at >= TimeSpan.FromHours(7);

    /// <summary>The token of a signed-in lab user, signing them in first if need be (for crawler processes started by a test).</summary>
    public async Task<string> TokenAsync(string name) => NeedsSignIn(name) ? await SignInAsync(name) : People.TokenOf(name)!;

    public Task<CliResult> Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>
    /// Runs the CLI in-process. With <c>--as NAME</c> the command carries NAME's token, as $CRAWLER_TOKEN would
    /// (NAME signs in first if they have not yet); without it, no credential at all.
    /// </summary>
    public async Task<CliResult> Run(CancellationToken ct, params string[] args)
    {
        var actor = ScriptedIdentities.ActingAs(args);
        if (actor is not null && args.FirstOrDefault() != "login" && Known(actor) && NeedsSignIn(actor))
        {
            await SignInAsync(actor);
        }

        return await RunAs(actor, args, ct);
    }

    /// <summary>Runs the CLI with no credential whatever --as says: what someone who only knows a name can do.</summary>
    public Task<CliResult> RunWithoutCredential(params string[] args) => RunAs(null, args, CancellationToken.None, answerPrompts: false);

    public Task<CliResult> RunWithoutCredential(CancellationToken ct, params string[] args) => RunAs(null, args, ct, answerPrompts: false);

    /// <summary>Runs the CLI with no token, answering sign-in prompts with <paramref name="answer"/> (a person typing, rightly or wrongly).</summary>
    public async Task<CliResult> RunTyping(Crawler.Service.Access.SecretPrompt answer, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = People.For(new CliEnvironment(Time, Variable, Interactive: false), null) with { ReadSecret = answer };
        var code = await CliApp.RunAsync([.. args, "--data", Dir, "--policies", Policies], stdout, stderr, env, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the CLI with exactly these environment variables (a token, a token file) and no prompts answered.</summary>
    public async Task<CliResult> RunWithVariables(IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(Time, v => variables.TryGetValue(v, out var value) ? value : null, Interactive: false);
        var code = await CliApp.RunAsync([.. args, "--data", Dir, "--policies", Policies], stdout, stderr, env, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private bool Known(string name) => name is "admin" || People.HasCode(name) || People.TokenOf(name) is not null;

    private async Task<CliResult> RunAs(string? actor, string[] args, CancellationToken ct, bool answerPrompts = true)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var outer = new CliEnvironment(Time, Variable, Interactive: false);
        var env = People.For(outer, actor);
        if (!answerPrompts)
        {
            env = env with { ReadSecret = null };
        }

        var code = await CliApp.RunAsync([.. args, "--data", Dir, "--policies", Policies], stdout, stderr, env, ct);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the CLI on a data folder that is not a prepared lab, e.g. to test init itself.</summary>
    public static Task<CliResult> RunIn(string dataDir, params string[] args) => RunIn(dataDir, new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunIn(string dataDir, IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var people = new ScriptedIdentities();
        var env = new CliEnvironment(TimeProvider.System, v => variables.TryGetValue(v, out var value) ? value : null, Interactive: false, people.Answer);
        var code = await CliApp.RunAsync([.. args, "--data", dataDir, "--policies", PoliciesDir], stdout, stderr, env, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public async Task<CliResult> Ok(params string[] args)
    {
        var r = await Run(args);
        Assert.That(r.Code, Is.EqualTo(0), $"crawler {string.Join(' ', args)} failed: {r.Err}");
        return r;
    }

    /// <summary>A separate crawler process (the program as built in its own project) crawling target 1 as sanne, to be killed.</summary>
    public async Task<System.Diagnostics.Process> StartCrawlerProcessAsync()
    {
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var crawler = Path.Combine(RepoRoot, "src", "Crawler.Cli", "bin", testDir.Parent!.Name, testDir.Name, "crawler.dll");
        Assert.That(File.Exists(crawler), Is.True, crawler);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { crawler, "crawl", "run", "--target", "1", "--as", "sanne", "--json", "--data", Dir, "--policies", Policies },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CRAWLER_TOKEN"] = await TokenAsync("sanne");
        return System.Diagnostics.Process.Start(start)!;
    }

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteTarget(Uri site, string name = "fixture", string? schedule = null, int minDelayMs = 0, string? extraHost = null, int maxPagesPerRun = 60) =>
        WriteFile(name + ".yaml", $"""
            name: {name}
            seeds: ["{site}"]
            scope:
              hosts: ["{site.Host}"{(extraHost is null ? "" : $", \"{extraHost}\"")}]
              maxDepth: 2
              maxPagesPerRun: {maxPagesPerRun}
            politeness:
              minDelayMs: {minDelayMs}
            {(schedule is null ? "" : $"schedule: \"{schedule}\"")}
            """);

    public string WriteMandate(DateTimeOffset from, DateTimeOffset until, string target = "fixture", string treatment = "keep", int maxPages = 100,
        string extra = "", string limitsExtra = "") =>
        WriteFile("mandate-" + Guid.NewGuid().ToString("N")[..6] + ".yaml", $"""
            case: "TEST-001"
            caseName: "Test case"
            legalBasis: art126g-sv
            wpgPurpose: art9
            purpose: "End-to-end test"
            offence: "273f Sr"
            suspect: "unknown"
            factsAndCircumstances: "fixture site"
            targets: [{target}]
            validFrom: "{from.ToString("O", CultureInfo.InvariantCulture)}"
            validUntil: "{until.ToString("O", CultureInfo.InvariantCulture)}"
            limits:
              maxPages: {maxPages}
              maxHits: 50
            {limitsExtra}
            dataCategories:
              phone: {treatment}
              email: {treatment}
              text: keep
            justifications:
              third-parties: "Test fixture: contacts and text are needed to check extraction end to end"
              frequency: "Test fixture: the scheduler test fires every second"
            {extra}
            """);

    /// <summary>Adds the target and an approved mandate valid around now; returns (targetId, mandateId).</summary>
    public async Task<(long Target, long Mandate)> TargetWithApprovedMandateAsync(Uri site, string? schedule = null, int minDelayMs = 0, string? extraHost = null)
    {
        var now = Time.GetUtcNow();
        var target = (await Ok("target", "add", "--file", WriteTarget(site, schedule: schedule, minDelayMs: minDelayMs, extraHost: extraHost), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        var mandate = (await Ok("mandate", "request", "--file", WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne", "--json")).Json.GetProperty("id").GetInt64();
        await Ok("mandate", "approve", mandate.ToString(CultureInfo.InvariantCulture), "--as", "pieter");
        return (target, mandate);
    }

    /// <summary>Adds the target, files and approves a mandate valid from an hour ago until <paramref name="until"/>, and crawls once.</summary>
    public async Task CrawlUnderMandateAsync(Uri site, DateTimeOffset until, string treatment = "keep", string extra = "")
    {
        await Ok("target", "add", "--file", WriteTarget(site), "--as", "sanne");
        await Ok("mandate", "request", "--file", WriteMandate(Time.GetUtcNow().AddHours(-1), until, treatment: treatment, extra: extra), "--as", "sanne");
        await Ok("mandate", "approve", "1", "--as", "pieter");
        await Ok("crawl", "run", "--target", "1", "--as", "sanne");
    }

    /// <summary>The lab's services with nobody signed in (enough to read the data folder).</summary>
    public LabContext OpenContext(Action<IServiceCollection>? configure = null) => new(this, configure);

    /// <summary>A context whose commands act as <paramref name="name"/>, signed in with their token.</summary>
    public async Task<LabContext> OpenContextAsAsync(string name, Action<IServiceCollection>? configure = null)
    {
        await TokenAsync(name);
        return OpenContextAs(name, configure);
    }

    /// <summary>A context acting as <paramref name="name"/>, who must have signed in already (for callbacks that cannot wait).</summary>
    public LabContext OpenContextAs(string name, Action<IServiceCollection>? configure = null)
    {
        var token = People.TokenOf(name) ?? throw new InvalidOperationException($"{name} has not signed in; await lab.TokenAsync(\"{name}\") first");
        var ctx = OpenContext(configure);
        var identity = ctx.Get<Crawler.Service.Access.IdentityService>();
        ctx.Get<Crawler.Service.Access.AccessControl>().UseAuthentication(ct => AuthenticatedAsync(identity, token, name, ct));
        return ctx;
    }

    private static async Task<Crawler.Core.Users.Principal?> AuthenticatedAsync(Crawler.Service.Access.IdentityService identity, string token, string name,
        CancellationToken ct) => await identity.AuthenticateTokenAsync(token, name, ct);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
            Directory.Delete(Dir + ".keys", recursive: true);
            if (Policies != PoliciesDir)
            {
                Directory.Delete(Policies, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
