using Crawler.Service.Access;

namespace Crawler.Cli;

/// <summary>
/// What the CLI takes from its surroundings, so tests can run it in-process with a fake clock:
/// the clock, environment variables, whether a person is at the terminal, and how secrets are asked for.
/// </summary>
public sealed record CliEnvironment(TimeProvider Time, Func<string, string?> Variable, bool Interactive, SecretPrompt? ReadSecret = null)
{
    public static CliEnvironment Process { get; } = new(
        TimeProvider.System,
#pragma warning disable RS0030 // The one place the CLI reads its process environment; everything else asks this record.
        Environment.GetEnvironmentVariable,
#pragma warning restore RS0030
        !Console.IsOutputRedirected,
        ConsoleSecrets.Read);

    /// <summary>Asks for a secret; null when this environment cannot ask (nothing given).</summary>
    public string? Secret(SecretKind kind, string userName) => ReadSecret?.Invoke(kind, userName);
}

/// <summary>Secrets from the terminal without echo, or one line each from standard input when it is redirected (scripts).</summary>
internal static class ConsoleSecrets
{
    public static string? Read(SecretKind kind, string userName)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Error.Write(Prompt(kind, userName));
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.Length == 0 ? null : text.ToString();
    }

    public static string Prompt(SecretKind kind, string userName) => kind switch
    {
        SecretKind.Password => $"Password for {userName}: ",
        SecretKind.CurrentPassword => $"Current password of {userName}: ",
        SecretKind.NewPassword => $"New password for {userName} (at least 12 characters): ",
        SecretKind.RepeatNewPassword => "Repeat the new password: ",
        SecretKind.EnrolmentCode => $"Enrolment code for {userName} (from your admin): ",
        SecretKind.TotpCode => $"Code from the authenticator app of {userName}: ",
        _ => "Secret: ",
    };
}
