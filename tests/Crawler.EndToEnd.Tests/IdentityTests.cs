using Crawler.Service.Access;
using Crawler.Storage;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using OtpNet;

namespace Crawler.EndToEnd.Tests;

/// <summary>Four eyes need to know whose eyes: every person signs in, and a name alone proves nothing.</summary>
public sealed class IdentityTests
{
    [Test]
    public async Task A_name_alone_cannot_approve_a_mandate()
    {
        using var lab = await Lab.CreateAsync();
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");
        await lab.SignInAsync("pieter");

        // The specialist types the officer's name, but not the officer's password.
        var forged = await lab.RunWithoutCredential("mandate", "approve", "1", "--as", "pieter");
        var withSanneToken = await lab.RunWithVariables(new Dictionary<string, string> { ["CRAWLER_TOKEN"] = await lab.TokenAsync("sanne") },
            "mandate", "approve", "1", "--as", "pieter");

        Assert.That(forged.Code, Is.EqualTo(2));
        Assert.That(forged.Err, Does.Contain("refused (auth.failed)"));
        Assert.That(withSanneToken.Err, Does.Contain("refused (auth.mismatch)"));
        var shown = await lab.Ok("mandate", "show", "1", "--json", "--as", "olga");
        Assert.That(shown.Json.GetProperty("status").GetString(), Is.EqualTo("requested"));
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Entries().Count(e => e.Record.Operation == "authenticate" && e.Record.Outcome == "refused" && e.Record.Subject == "user:pieter"),
            Is.EqualTo(2), "both attempts are in the trail");
    }

    [Test]
    public async Task A_first_sign_in_sets_the_password_with_the_enrolment_code_and_the_password_is_never_stored_in_clear()
    {
        using var lab = await Lab.CreateAsync();
        var added = await lab.Ok("users", "add", "eva", "--role", "specialist", "--as", "admin", "--json");
        var code = added.Json.GetProperty("enrolmentCode").GetString()!;
        Assert.That(code, Does.Match("^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"));

        var wrongCode = await lab.RunTyping((kind, _) => kind == SecretKind.EnrolmentCode ? "AAAA-AAAA-AAAA-AAAA" : "a good long passphrase", "login", "--as", "eva", "--print");
        var tooShort = await lab.RunTyping((kind, _) => kind == SecretKind.EnrolmentCode ? code : "short", "login", "--as", "eva", "--print");
        var login = await lab.RunTyping((kind, _) => kind == SecretKind.EnrolmentCode ? code.ToLowerInvariant() : "a good long passphrase", "login", "--as", "eva", "--print");
        var again = await lab.RunTyping((kind, _) => kind == SecretKind.EnrolmentCode ? code : "another long passphrase", "login", "--as", "eva", "--print");

        Assert.That(wrongCode.Err, Does.Contain("refused (auth.failed)"));
        Assert.That(tooShort.Err, Does.Contain("at least 12 characters"));
        Assert.That(login.Code, Is.EqualTo(0), login.Err);
        Assert.That(again.Err, Does.Contain("refused (auth.failed)"), "the code works once; after that only the password does");
        var token = login.Out.Trim();
        Assert.That(token, Does.StartWith("crw_"));
        var list = await lab.RunWithVariables(new Dictionary<string, string> { ["CRAWLER_TOKEN"] = token }, "target", "list");
        Assert.That(list.Code, Is.EqualTo(0), list.Err);

        var password = DataFolder.Open(lab.Dir).DatabasePassword;
        foreach (var (file, plain) in RawDatabase.All(lab.Dir, password))
        {
            Assert.That(RawDatabase.Contains(plain, "a good long passphrase"), Is.False, $"{file} holds the password");
            Assert.That(RawDatabase.Contains(plain, token), Is.False, $"{file} holds the token");
            Assert.That(RawDatabase.Contains(plain, code), Is.False, $"{file} holds the enrolment code");
        }

        using var ctx = lab.OpenContext();
        var hash = ctx.Store.FindCredential("eva")!.PasswordHash!;
        var bytes = Convert.FromBase64String(hash);
        Assert.That(bytes[0], Is.EqualTo(0x01), "ASP.NET Core Identity's v3 format");
        Assert.That((bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8], Is.EqualTo(210_000), "the policy's iterations");
    }

    [Test]
    public async Task Repeated_failures_lock_the_account_for_a_while_and_every_failure_is_logged()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        using var lab = await Lab.CreateAsync(time: clock);
        await lab.SignInAsync("pieter");
        string? Wrong(SecretKind kind, string name) => "not pieter's password";
        string? Right(SecretKind kind, string name) => lab.People.PasswordOf(name);

        for (var i = 0; i < 5; i++)
        {
            Assert.That((await lab.RunTyping(Wrong, "login", "--as", "pieter", "--print")).Err, Does.Contain("auth.failed"));
        }

        var locked = await lab.RunTyping(Right, "login", "--as", "pieter", "--print");
        clock.Advance(TimeSpan.FromMinutes(16));
        var later = await lab.RunTyping(Right, "login", "--as", "pieter", "--print");

        Assert.That(locked.Err, Does.Contain("refused (auth.locked)").And.Contain("locked"));
        Assert.That(later.Code, Is.EqualTo(0), "a lockout ends by itself");
        using var ctx = lab.OpenContext();
        var auth = ctx.Store.Entries().Where(e => e.Record.Operation == "authenticate" && e.Record.Subject == "user:pieter").ToList();
        Assert.That(auth.Count(e => e.Record.Rule == "auth.password"), Is.EqualTo(5));
        Assert.That(auth.Count(e => e.Record.Rule == "auth.lockout"), Is.EqualTo(1));
        Assert.That(auth.Any(e => e.Record.Reason!.Contains("not pieter", StringComparison.Ordinal)), Is.False, "no secret in the trail");
    }

    [Test]
    public async Task An_admin_unlocks_resets_and_disables_accounts()
    {
        using var lab = await Lab.CreateAsync();
        var token = await lab.TokenAsync("sanne");
        for (var i = 0; i < 5; i++)
        {
            await lab.RunTyping((_, _) => "wrong wrong wrong", "login", "--as", "sanne", "--print");
        }

        Assert.That((await lab.RunTyping(lab.People.Answer, "login", "--as", "sanne", "--print")).Err, Does.Contain("auth.locked"));
        await lab.Ok("users", "unlock", "sanne", "--as", "admin");
        Assert.That((await lab.RunTyping(lab.People.Answer, "login", "--as", "sanne", "--print")).Code, Is.EqualTo(0));

        var reset = await lab.Ok("users", "reset", "sanne", "--as", "admin", "--json");
        var afterReset = await lab.RunWithVariables(new Dictionary<string, string> { ["CRAWLER_TOKEN"] = token }, "target", "list");
        Assert.That(afterReset.Err, Does.Contain("refused (auth.token)"), "a reset revokes the account's tokens");
        lab.People.RememberCode("sanne", reset.Json.GetProperty("enrolmentCode").GetString()!);
        var fresh = await lab.SignInAsync("sanne");

        await lab.Ok("users", "disable", "sanne", "--as", "admin");
        var disabled = await lab.RunWithVariables(new Dictionary<string, string> { ["CRAWLER_TOKEN"] = fresh }, "target", "list");
        var self = await lab.Run("users", "disable", "admin", "--as", "admin");
        var list = await lab.Ok("users", "list", "--json", "--as", "admin");

        Assert.That(disabled.Err, Does.Contain("refused (auth."));
        Assert.That(self.Err, Does.Contain("refused (users.disable-self)"));
        Assert.That(list.Out, Does.Contain("\"name\":\"sanne\"").And.Contain("\"state\":\"disabled\""));
    }

    [Test]
    public async Task A_second_factor_is_asked_at_every_sign_in_once_confirmed_and_a_code_works_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        using var lab = await Lab.CreateAsync(time: clock);
        var enrol = await lab.Ok("users", "totp", "enrol", "--json", "--as", "pieter");
        var totp = new Totp(Base32Encoding.ToBytes(enrol.Json.GetProperty("secret").GetString()!));
        Assert.That(enrol.Json.GetProperty("uri").GetString(), Does.StartWith("otpauth://totp/Crawler%3Apieter?secret="));

        Assert.That((await lab.Run("users", "totp", "confirm", "--code", "123456", "--as", "pieter")).Err, Does.Contain("auth.failed"));
        await lab.Ok("users", "totp", "confirm", "--code", totp.ComputeTotp(clock.GetUtcNow().UtcDateTime), "--as", "pieter");
        clock.Advance(TimeSpan.FromSeconds(31));

        var noCode = await lab.RunTyping(lab.People.Answer, "login", "--as", "pieter", "--print");
        var code = totp.ComputeTotp(clock.GetUtcNow().UtcDateTime);
        var withCode = await lab.RunTyping(lab.People.Answer, "login", "--as", "pieter", "--print", "--code", code);
        var replayed = await lab.RunTyping(lab.People.Answer, "login", "--as", "pieter", "--print", "--code", code);

        Assert.That(noCode.Err, Does.Contain("refused (auth.failed)"));
        Assert.That(withCode.Code, Is.EqualTo(0), withCode.Err);
        Assert.That(replayed.Err, Does.Contain("refused (auth.failed)"), "a code is accepted once");
    }

    [Test]
    public async Task With_a_required_second_factor_an_officer_decides_nothing_before_enrolling_one()
    {
        using var lab = await Lab.CreateAsync(editIdentity: y => y.Replace("officerSecondFactor: optional", "officerSecondFactor: required", StringComparison.Ordinal));
        var now = lab.Time.GetUtcNow();
        await lab.Ok("target", "add", "--file", lab.WriteTarget(new Uri("http://127.0.0.1:9/")), "--as", "sanne");
        await lab.Ok("mandate", "request", "--file", lab.WriteMandate(now.AddHours(-1), now.AddHours(1)), "--as", "sanne");

        var refused = await lab.Run("mandate", "approve", "1", "--as", "pieter");
        var reading = await lab.Run("mandate", "show", "1", "--as", "pieter");

        Assert.That(refused.Err, Does.Contain("refused (access.mandates-decide)").And.Contain("second factor"));
        Assert.That(reading.Code, Is.EqualTo(0), "reading is not officer-only");
    }

    [Test]
    public async Task A_token_expires_and_logout_revokes_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        using var lab = await Lab.CreateAsync(time: clock);
        var token = await lab.TokenAsync("sanne");
        var env = new Dictionary<string, string> { ["CRAWLER_TOKEN"] = token };
        Assert.That((await lab.RunWithVariables(env, "target", "list")).Code, Is.EqualTo(0));

        clock.Advance(TimeSpan.FromHours(8));
        Assert.That((await lab.RunWithVariables(env, "target", "list")).Err, Does.Contain("refused (auth.token)"));

        var second = await lab.SignInAsync("sanne");
        var env2 = new Dictionary<string, string> { ["CRAWLER_TOKEN"] = second };
        Assert.That((await lab.RunWithVariables(env2, "logout")).Out, Does.Contain("signed out"));
        Assert.That((await lab.RunWithVariables(env2, "target", "list")).Err, Does.Contain("refused (auth.token)"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_token_file_is_written_for_its_owner_only_and_refused_when_others_can_read_it()
    {
        using var lab = await Lab.CreateAsync();
        var file = Path.Combine(lab.Dir, "tokens", "token");
        var login = await lab.RunTyping(lab.People.Answer, "login", "--as", "aaron", "--token-file", file);
        Assert.That(login.Code, Is.EqualTo(0), login.Err);
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var vars = new Dictionary<string, string> { ["CRAWLER_TOKEN_FILE"] = file };
        Assert.That((await lab.RunWithVariables(vars, "audit", "verify")).Out, Does.StartWith("audit verify: OK"));

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var exposed = await lab.RunWithVariables(vars, "audit", "verify");
        Assert.That(exposed.Code, Is.EqualTo(2));
        Assert.That(exposed.Err, Does.Contain("can be read by others"));
    }

    [Test]
    public async Task The_first_admin_needs_no_sign_in_and_the_second_does()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crawler-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Lab.RunIn(dir, "init", "--lab");
            var specialistFirst = await Lab.RunIn(dir, "users", "add", "sanne", "--role", "specialist");
            var first = await Lab.RunIn(dir, "users", "add", "root", "--role", "admin");
            var second = await Lab.RunIn(dir, "users", "add", "eve", "--role", "admin");

            Assert.That(specialistFirst.Err, Does.Contain("refused (users.bootstrap)"));
            Assert.That(first.Code, Is.EqualTo(0), first.Err);
            Assert.That(second.Err, Does.Contain("refused (auth.required)"), "after the first admin, adding users needs a signed-in admin");
        }
        finally
        {
            foreach (var d in new[] { dir, dir + ".keys" }.Where(Directory.Exists))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }
}
