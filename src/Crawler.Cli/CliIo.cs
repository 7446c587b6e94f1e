using System.CommandLine;
using Crawler.Core.Users;
using Crawler.Service.Application;
using Crawler.Service.Access;
using Crawler.Service.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Crawler.Cli;

/// <summary>Per-invocation plumbing shared by the commands: output, the environment, opening the data folder and signing in.</summary>
public sealed class CliIo(TextWriter stdout, TextWriter stderr, CliEnvironment env, GlobalOptions globals)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    public CliEnvironment Env { get; } = env;

    public GlobalOptions Globals { get; } = globals;

    public bool Json(ParseResult r) => r.GetValue(Globals.Json);

    /// <summary>The name given with --as (or $CRAWLER_USER): a claim, proved by the credential.</summary>
    public string? Actor(ParseResult r) => r.GetValue(Globals.As);

    public string DataDir(ParseResult r) => r.GetValue(Globals.Data)!;

    public string PoliciesDir(ParseResult r) => PolicyDirectory.Resolve(r.GetValue(Globals.Policies), Env.Variable);

    /// <summary>The key folder, and the database key when a secret store hands it over in CRAWLER_DB_KEY.</summary>
    public Storage.KeySource Keys(ParseResult r) =>
        new(r.GetValue(Globals.Keys), Env.Variable("CRAWLER_DB_KEY") is { Length: > 0 } k ? k : null);

    /// <summary>Which database: CRAWLER_STORAGE and its connection string, checked before anything is opened.</summary>
    public Service.Hosting.StorageSettings Storage(ParseResult r) => Service.Hosting.StorageSettings.From(Env.Variable, DataDir(r));

    /// <summary>Opens the data folder (creating it with <paramref name="create"/>); whoever acts is authenticated when a command first asks who that is.</summary>
    public CliSession Open(ParseResult r, bool create = false, Action<IServiceCollection>? configure = null)
    {
        var session = CliSession.Open(services =>
        {
            services.AddSingleton(Env.Time);
            services.AddCrawler(DataDir(r), PoliciesDir(r), Keys(r), create, Storage(r));
            configure?.Invoke(services);
        });
        session.Get<AccessControl>().UseAuthentication(ct => AuthenticateAsync(r, session, ct));
        return session;
    }

    /// <summary>
    /// The token in $CRAWLER_TOKEN, else the one in the token file, else the password of the user named with
    /// --as, asked now. A name alone is never enough.
    /// </summary>
    private async Task<Principal?> AuthenticateAsync(ParseResult r, CliSession session, CancellationToken ct)
    {
        var identity = session.Get<IdentityService>();
        var claimed = Actor(r);
        if (Token(r) is { } token)
        {
            return await identity.AuthenticateTokenAsync(token, claimed, ct);
        }

        if (claimed is not null)
        {
            return await identity.AuthenticatePasswordAsync(claimed, Env.Secret, null, ct);
        }

        // No credential at all: access control refuses, and records the attempt.
        return null;
    }

    /// <summary>The sign-in token in use: $CRAWLER_TOKEN, else the token file when it exists (readable by its owner only).</summary>
    public string? Token(ParseResult r)
    {
        if (Env.Variable("CRAWLER_TOKEN") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment.Trim();
        }

        var file = TokenFile(r);
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() &&
            (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new Core.Yaml.InputException(new Core.Yaml.InputProblem(file, 0, 0, "--token-file",
                "the token file can be read by others; make it yours alone (chmod 600) or sign in again"));
        }

        var text = File.ReadAllText(file).Trim();
        return text.Length == 0 ? null : text;
    }

    public string? TokenFile(ParseResult r) => r.GetValue(Globals.TokenFile);

    public void WriteJson<T>(T value) => Out.WriteLine(CliJson.Line(value));

    public void WriteJsonLines<T>(IEnumerable<T> values)
    {
        foreach (var v in values)
        {
            Out.WriteLine(CliJson.Line(v));
        }
    }

    /// <summary>
    /// A user's input file, read whole once its size is known to be sensible: strictly as UTF-8 (a document the user
    /// wrote), or, for a saved web page (<paramref name="strictUtf8"/> false), leniently as the page's bytes allow.
    /// </summary>
    public static string ReadInputFile(string path, bool strictUtf8 = true) => strictUtf8
        ? Service.Application.InputFiles.ReadDocument(path, "--file")
        : System.Text.Encoding.UTF8.GetString(Service.Application.InputFiles.ReadBytes(path, "--file"));
}
