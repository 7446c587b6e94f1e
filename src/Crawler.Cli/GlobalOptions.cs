using System.CommandLine;

namespace Crawler.Cli;

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public GlobalOptions(CliEnvironment env)
    {
        Data = new Option<string>("--data")
        {
            Description = "The data folder (default: $CRAWLER_DATA, else ./crawler-data)",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_DATA") is { Length: > 0 } d ? d : "crawler-data",
        };
        Policies = new Option<string?>("--policies")
        {
            Description = "The policy folder (default: $CRAWLER_POLICIES, else the policies/ shipped with the program)",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_POLICIES"),
        };
        Keys = new Option<string?>("--keys")
        {
            Description = "The key folder, outside the data folder (default: $CRAWLER_KEYS, else DATA.keys beside the data folder)",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_KEYS") is { Length: > 0 } k ? k : null,
        };
        As = new Option<string?>("--as")
        {
            Description = "The user on whose behalf the command acts (default: $CRAWLER_USER)",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_USER") is { Length: > 0 } u ? u : null,
        };
        Json = new Option<bool>("--json") { Description = "Machine-readable output: one JSON document, or one object per line for lists", Recursive = true };
    }

    public Option<string> Data { get; }

    public Option<string?> Policies { get; }

    public Option<string?> Keys { get; }

    public Option<string?> As { get; }

    public Option<bool> Json { get; }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Data);
        root.Options.Add(Policies);
        root.Options.Add(Keys);
        root.Options.Add(As);
        root.Options.Add(Json);
    }
}
