using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Crawler.Cli;

/// <summary>
/// Arguments and options whose values are parsed here rather than by System.CommandLine, so an error names
/// the argument and the form expected ("ID: expected a mandate id, a whole number from 'crawler mandate list'"),
/// never a .NET type.
/// </summary>
internal static class CliArgs
{
    public static Argument<long> Id(string what, string listCommand) => new("ID")
    {
        Description = $"The {what} id (see '{listCommand}')",
        CustomParser = r => ParseId(r, "ID", what, listCommand),
    };

    public static Option<long> IdOption(string name, string what, string listCommand) => new(name)
    {
        Description = $"The {what} id (see '{listCommand}')",
        Required = true,
        CustomParser = r => ParseId(r, name, what, listCommand),
    };

    public static Option<long?> OptionalId(string name, string what, string listCommand, string description) => new(name)
    {
        Description = description,
        CustomParser = r => ParseId(r, name, what, listCommand),
    };

    public static Option<long[]> Ids(string name, string what, string listCommand, string description) => new(name)
    {
        Description = description,
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r => r.Tokens.Select(t => ParseId(r, t.Value, name, what, listCommand)).ToArray(),
    };

    public static Option<int> Whole(string name, string description, int min, int max, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = Single(r);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                r.AddError($"{name}: expected a whole number from {min} to {max}, got '{text}'");
            }

            return value;
        },
    };

    public static Option<DateTimeOffset?> Time(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = Single(r);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at;
            }

            r.AddError($"{name}: expected a time in ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:30:00Z, got '{text}'");
            return null;
        },
    };

    private static long ParseId(ArgumentResult r, string name, string what, string listCommand) =>
        ParseId(r, Single(r), name, what, listCommand);

    private static long ParseId(ArgumentResult r, string text, string name, string what, string listCommand)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        r.AddError($"{name}: expected a {what} id, a whole number as '{listCommand}' shows it, got '{text}'");
        return 0;
    }

    private static string Single(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
}
