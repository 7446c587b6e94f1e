using System.CommandLine;
using Crawler.Service.Access;

namespace Crawler.Cli;

/// <summary>Signing in and out, and the accounts people sign in with.</summary>
internal static class IdentityCommands
{
    public static Command Login(CliIo io)
    {
        var code = new Option<string?>("--code") { Description = "The code from your authenticator app, if you enrolled a second factor (asked otherwise)" };
        var print = new Option<bool>("--print") { Description = "Print the token instead of writing the token file (e.g. export CRAWLER_TOKEN=$(crawler login --as NAME --print))" };
        var cmd = new Command("login", "Sign in: your password (set on first use with the enrolment code from your admin), and your second factor if enrolled; issues a short-lived token") { code, print };
        cmd.SetAction(async (r, ct) =>
        {
            var name = io.Actor(r) ?? throw new Core.Yaml.InputException(new Core.Yaml.InputProblem("(command line)", 0, 0, "--as",
                "name who signs in: crawler login --as NAME"));
            await using var app = io.Open(r);
            var signIn = await app.Get<IdentityService>().LoginAsync(name, io.Env.Secret, r.GetValue(code), ct);
            var role = IdentityService.RoleName(signIn.User.Role);
            if (r.GetValue(print))
            {
                io.Out.WriteLine(signIn.Token);
                return CliApp.Ok;
            }

            var file = io.TokenFile(r) ?? throw new Core.Yaml.InputException(new Core.Yaml.InputProblem("(command line)", 0, 0, "--token-file",
                "no place for the token: give --token-file FILE (or use --print)"));
            WriteTokenFile(file, signIn.Token);
            if (io.Json(r))
            {
                io.WriteJson(new { user = signIn.User.Name, role, expiresAt = signIn.ExpiresAt, tokenFile = Path.GetFullPath(file) });
            }
            else
            {
                io.Out.WriteLine($"signed in as {signIn.User.Name} ({role}) until {signIn.ExpiresAt:yyyy-MM-dd HH:mm}Z; token in {Path.GetFullPath(file)}");
            }

            return CliApp.Ok;
        });
        return cmd;
    }

    public static Command Logout(CliIo io)
    {
        var cmd = new Command("logout", "Sign out: the token stops working at once and the token file is removed");
        cmd.SetAction(async (r, ct) =>
        {
            var token = io.Token(r);
            if (token is not null)
            {
                await using var app = io.Open(r);
                await app.Get<IdentityService>().LogoutAsync(token, ct);
            }

            if (io.TokenFile(r) is { } file && File.Exists(file))
            {
                File.Delete(file);
            }

            io.Out.WriteLine(token is null ? "not signed in" : "signed out");
            return CliApp.Ok;
        });
        return cmd;
    }

    public static Command Users(CliIo io)
    {
        var name = new Argument<string>("NAME") { Description = "User name (lower case)" };
        var role = new Option<string>("--role") { Description = "specialist, officer, auditor or admin", Required = true };
        var add = new Command("add", "Add a user and issue their one-time enrolment code (admin); the first admin of a new folder sets their password here") { name, role };
        add.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var identity = app.Get<IdentityService>();
            var userName = r.GetValue(name)!;
            if (await identity.NeedsBootstrapAsync(ct) && io.Token(r) is null)
            {
                if (!string.Equals(r.GetValue(role), "admin", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Core.Mandates.RefusalException("users.bootstrap",
                        "this installation has no admin yet: add an admin first ('crawler users add NAME --role admin'), who sets their password then");
                }

                var admin = await identity.BootstrapAsync(userName, io.Env.Secret, ct);
                if (io.Json(r))
                {
                    io.WriteJson(new { name = admin.Name, role = "admin", bootstrap = true });
                }
                else
                {
                    io.Out.WriteLine($"added {admin.Name} (admin), the first admin of this installation; sign in with 'crawler login --as {admin.Name}'");
                }

                return CliApp.Ok;
            }

            var enrolment = await identity.AddAsync(userName, r.GetValue(role)!, ct);
            PrintEnrolment(io, r, enrolment, "added");
            return CliApp.Ok;
        });

        var list = new Command("list", "List users with their role and account state (admin, auditor)");
        list.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var users = await app.Get<IdentityService>().ListAsync(ct);
            if (io.Json(r))
            {
                io.WriteJsonLines(users.Select(u => new
                {
                    name = u.User.Name, role = IdentityService.RoleName(u.User.Role), createdAt = u.User.CreatedAt, createdBy = u.User.CreatedBy,
                    state = u.State, secondFactor = u.SecondFactor,
                }));
            }
            else
            {
                foreach (var u in users)
                {
                    io.Out.WriteLine($"{u.User.Name,-20} {IdentityService.RoleName(u.User.Role),-10} {u.State}{(u.SecondFactor ? ", second factor" : "")}; added {u.User.CreatedAt:yyyy-MM-dd} by {u.User.CreatedBy}");
                }
            }

            return CliApp.Ok;
        });

        var password = new Command("password", "Change your own password (the current one first)");
        password.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            await app.Get<IdentityService>().ChangePasswordAsync(io.Env.Secret, ct);
            io.Out.WriteLine("password changed");
            return CliApp.Ok;
        });

        var enrol = new Command("enrol", "Add a second factor: prints a secret for your authenticator app; confirm it with 'users totp confirm --code N'");
        enrol.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var totp = await app.Get<IdentityService>().EnrolTotpAsync(ct);
            if (io.Json(r))
            {
                io.WriteJson(new { secret = totp.Secret, uri = totp.Uri });
            }
            else
            {
                io.Out.WriteLine($"secret: {totp.Secret}");
                io.Out.WriteLine($"uri:    {totp.Uri}");
                io.Out.WriteLine("add it to your authenticator app, then run 'crawler users totp confirm --code N' with the code it shows");
            }

            return CliApp.Ok;
        });
        var totpCode = new Option<string>("--code") { Description = "The code your authenticator app shows now", Required = true };
        var confirm = new Command("confirm", "Confirm the second factor with a code from the app; from then on it is asked at every sign-in") { totpCode };
        confirm.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            await app.Get<IdentityService>().ConfirmTotpAsync(r.GetValue(totpCode)!, ct);
            io.Out.WriteLine("second factor confirmed");
            return CliApp.Ok;
        });

        Command Manage(string verb, string description, Func<IdentityService, string, CancellationToken, Task> act, string done)
        {
            var who = new Argument<string>("NAME") { Description = "User name" };
            var cmd = new Command(verb, description) { who };
            cmd.SetAction(async (r, ct) =>
            {
                await using var app = io.Open(r);
                await act(app.Get<IdentityService>(), r.GetValue(who)!, ct);
                io.Out.WriteLine($"{r.GetValue(who)}: {done}");
                return CliApp.Ok;
            });
            return cmd;
        }

        var resetName = new Argument<string>("NAME") { Description = "User name" };
        var reset = new Command("reset", "Reset an account: password, second factor and tokens are removed; issues a new enrolment code (admin)") { resetName };
        reset.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            PrintEnrolment(io, r, await app.Get<IdentityService>().ResetAsync(r.GetValue(resetName)!, ct), "reset");
            return CliApp.Ok;
        });

        return new Command("users", "User accounts")
        {
            add, list, password, new Command("totp", "Your second factor (RFC 6238)") { enrol, confirm },
            Manage("unlock", "Lift a lockout after failed sign-ins (admin)", (s, n, ct) => s.UnlockAsync(n, ct), "unlocked"),
            reset,
            Manage("disable", "Disable an account for good: no sign-in, no token works (admin)", (s, n, ct) => s.DisableAsync(n, ct), "disabled"),
        };
    }

    private static void PrintEnrolment(CliIo io, ParseResult r, Enrolment e, string what)
    {
        var role = IdentityService.RoleName(e.User.Role);
        if (io.Json(r))
        {
            io.WriteJson(new { name = e.User.Name, role, enrolmentCode = e.Code, enrolmentExpiresAt = e.ExpiresAt });
        }
        else
        {
            io.Out.WriteLine($"{what} {e.User.Name} ({role})");
            io.Out.WriteLine($"enrolment code: {e.Code}");
            io.Out.WriteLine($"give it to {e.User.Name} in person; it works once, until {e.ExpiresAt:yyyy-MM-dd HH:mm}Z: 'crawler login --as {e.User.Name}' asks for it and for a new password");
        }
    }

    /// <summary>Writes the token where only its owner can read it, replacing any earlier one.</summary>
    private static void WriteTokenFile(string file, string token)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temp = file + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, file, overwrite: true);
    }
}
