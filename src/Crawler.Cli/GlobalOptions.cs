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
            Description = "Who you are (default: $CRAWLER_USER); proved by your sign-in token ($CRAWLER_TOKEN or the token file from 'crawler login'), else by your password, asked now",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_USER") is { Length: > 0 } u ? u : null,
        };
        TokenFile = new Option<string?>("--token-file")
        {
            Description = "Where 'crawler login' keeps the sign-in token, readable by its owner only (default: $CRAWLER_TOKEN_FILE, else ~/.crawler/token); $CRAWLER_TOKEN wins over it",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable("CRAWLER_TOKEN_FILE") is { Length: > 0 } f ? f
                : env.Variable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".crawler", "token") : null,
        };
        Json = new Option<bool>("--json") { Description = "Machine-readable output: one JSON document, or one object per line for lists", Recursive = true };
    }

    public Option<string> Data { get; }

    public Option<string?> Policies { get; }

    public Option<string?> Keys { get; }

    public Option<string?> As { get; }

    public Option<bool> Json { get; }

    public Option<string?> TokenFile { get; }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Data);
        root.Options.Add(Policies);
        root.Options.Add(Keys);
        root.Options.Add(As);
        root.Options.Add(TokenFile);
        root.Options.Add(Json);
    }
}
