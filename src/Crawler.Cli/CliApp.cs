using System.CommandLine;
using Crawler.Core.Mandates;
using Crawler.Core.Yaml;

namespace Crawler.Cli;

/// <summary>
/// The <c>crawler</c> command. Thin: it parses, calls the application services and prints.
/// Exit codes: 0 success, 1 a failed verification, 2 bad input or a refused action (reason on stderr),
/// 3 a crawl that ended partial, 4 a crawl that failed (nothing could be fetched).
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int VerificationFailed = 1;
    public const int Refused = 2;
    public const int CrawlPartial = 3;
    public const int CrawlFailed = 4;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment env, CancellationToken cancellationToken)
    {
        var globals = new GlobalOptions(env);
        var root = new RootCommand("Crawler: a compliance-gated crawler of public sources. Nothing is fetched without an approved mandate.");
        globals.AddTo(root);
        var io = new CliIo(stdout, stderr, env, globals);
        foreach (var command in Commands.All(io))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync("error: " + error.Message);
            }

            await stderr.WriteLineAsync("run 'crawler --help' for usage");
            return Refused;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(config, cancellationToken);
        }
        catch (InputException ex)
        {
            foreach (var problem in ex.Problems)
            {
                await stderr.WriteLineAsync("error: " + problem);
            }

            return Refused;
        }
        catch (RefusalException ex)
        {
            await stderr.WriteLineAsync($"refused ({ex.Rule}): {ex.Message}");
            return Refused;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // A service setting (configuration or environment) out of bounds: each named, nothing started.
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync("error: configuration: " + failure);
            }

            return Refused;
        }
        catch (DirectoryNotFoundException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Refused;
        }
        catch (InvalidDataException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return Refused;
        }
        catch (FileNotFoundException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.FileName ?? ex.Message}: file not found");
            return Refused;
        }
        catch (UnauthorizedAccessException ex)
        {
            await stderr.WriteLineAsync("error: permission denied: " + ex.Message);
            return Refused;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("stopped");
            return Refused;
        }
        catch (Exception ex)
        {
            // Whatever reaches the top is reported in one line: a person at the terminal needs to know what
            // failed, not the stack. Nothing was changed by the command beyond what its audit entries say.
            await stderr.WriteLineAsync($"error: {OneLine(ex)}");
            return Refused;
        }
    }

    private static string OneLine(Exception ex)
    {
        var kind = ex is IOException ? "input/output failed" : "unexpected failure";
        var inner = ex.InnerException is { } i && i.Message != ex.Message ? $" ({i.Message})" : "";
        return $"{kind}: {ex.Message}{inner}".ReplaceLineEndings(" ");
    }
}
