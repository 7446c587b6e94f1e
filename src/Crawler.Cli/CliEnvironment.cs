namespace Crawler.Cli;

/// <summary>What the CLI takes from its surroundings, so tests can run it in-process with a fake clock.</summary>
public sealed record CliEnvironment(TimeProvider Time, Func<string, string?> Variable, bool Interactive)
{
    public static CliEnvironment Process { get; } = new(
        TimeProvider.System,
        Environment.GetEnvironmentVariable,
        !Console.IsOutputRedirected);
}
