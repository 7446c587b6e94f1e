using System.Security.Cryptography;
using Crawler.Service.Access;

namespace Crawler.Cli;

/// <summary>
/// People signed in by a script rather than at a keyboard: the demo and the tests. Each person gets a random
/// password, which answers their password prompts; the enrolment code an admin was given answers theirs; and
/// once signed in, their token is handed to the commands they run, exactly as $CRAWLER_TOKEN would be.
/// Nothing here weakens sign-in: every command still proves who acts with a real token.
/// </summary>
public sealed class ScriptedIdentities
{
    private readonly Dictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>The password this script uses for <paramref name="name"/> (made up on first use).</summary>
    public string PasswordOf(string name)
    {
        lock (_gate)
        {
            if (!_passwords.TryGetValue(name, out var password))
            {
                _passwords[name] = password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            }

            return password;
        }
    }

    public void RememberCode(string name, string code)
    {
        lock (_gate)
        {
            _codes[name] = code;
        }
    }

    public void RememberToken(string name, string token)
    {
        lock (_gate)
        {
            _tokens[name] = token;
        }
    }

    public void Forget(string name)
    {
        lock (_gate)
        {
            _tokens.Remove(name);
        }
    }

    public string? TokenOf(string name)
    {
        lock (_gate)
        {
            return _tokens.GetValueOrDefault(name);
        }
    }

    /// <summary>Answers a sign-in's questions as the person would.</summary>
    public string? Answer(SecretKind kind, string name) => kind switch
    {
        SecretKind.Password or SecretKind.CurrentPassword or SecretKind.NewPassword or SecretKind.RepeatNewPassword => PasswordOf(name),
        SecretKind.EnrolmentCode => CodeOf(name),
        _ => null,
    };

    public bool HasCode(string name)
    {
        lock (_gate)
        {
            return _codes.ContainsKey(name);
        }
    }

    private string? CodeOf(string name)
    {
        lock (_gate)
        {
            return _codes.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// The environment a command runs in on behalf of <paramref name="actingAs"/>: their token (if they signed in)
    /// instead of whatever the surrounding process has, and this script's answers to prompts.
    /// </summary>
    public CliEnvironment For(CliEnvironment outer, string? actingAs)
    {
        var token = actingAs is null ? null : TokenOf(actingAs);
        return outer with
        {
            Variable = v => v switch
            {
                "CRAWLER_TOKEN" => token,
                "CRAWLER_TOKEN_FILE" or "HOME" or "CRAWLER_USER" => null,
                _ => outer.Variable(v),
            },
            ReadSecret = Answer,
        };
    }

    /// <summary>The name after --as in <paramref name="args"/>, if any.</summary>
    public static string? ActingAs(IReadOnlyList<string> args)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == "--as")
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
