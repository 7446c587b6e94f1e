using System.CommandLine;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>Per-invocation plumbing shared by the commands: output, the environment and opening the data folder.</summary>
public sealed class CliIo(TextWriter stdout, TextWriter stderr, CliEnvironment env, GlobalOptions globals)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    public CliEnvironment Env { get; } = env;

    public GlobalOptions Globals { get; } = globals;

    public bool Json(ParseResult r) => r.GetValue(Globals.Json);

    public string? Actor(ParseResult r) => r.GetValue(Globals.As);

    public string DataDir(ParseResult r) => r.GetValue(Globals.Data)!;

    public string PoliciesDir(ParseResult r) => PolicyDirectory.Resolve(r.GetValue(Globals.Policies));

    /// <summary>The key folder, and the database key when a secret store hands it over in CRAWLER_DB_KEY.</summary>
    public Storage.KeySource Keys(ParseResult r) =>
        new(r.GetValue(Globals.Keys), Env.Variable("CRAWLER_DB_KEY") is { Length: > 0 } k ? k : null);

    public CrawlerContext Open(ParseResult r) => CrawlerContext.Open(DataDir(r), PoliciesDir(r), Env.Time, Keys(r));

    public void WriteJson<T>(T value) => Out.WriteLine(CliJson.Line(value));

    public void WriteJsonLines<T>(IEnumerable<T> values)
    {
        foreach (var v in values)
        {
            Out.WriteLine(CliJson.Line(v));
        }
    }

    public static string ReadInputFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new Core.Yaml.InputException(new Core.Yaml.InputProblem(path, 0, 0, "--file", "file not found"));
        }

        return File.ReadAllText(path);
    }
}
