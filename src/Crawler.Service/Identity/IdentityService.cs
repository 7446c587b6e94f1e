using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Application;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OtpNet;

namespace Crawler.Service.Identity;

/// <summary>
/// Who is who: accounts, passwords, second factors and tokens. A person sets their own password on
/// first use with a one-time code an admin handed them, signs in with it (and a TOTP code once they
/// enrolled one), and works with a short-lived token. Failures are counted per account, lock it for a
/// while, and are audit entries; no secret is ever logged or stored in clear.
/// </summary>
public sealed class IdentityService
{
    /// <summary>A token's prefix, so a leaked one is recognisable by secret scanners.</summary>
    public const string TokenPrefix = "crw_";

    private readonly CrawlerContext _context;
    private readonly IdentityPolicy _policy;
    private readonly PasswordHasher<User> _hasher;

    public IdentityService(CrawlerContext context)
    {
        _context = context;
        _policy = context.Identity;
        _hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = _policy.PasswordIterations,
        }));
    }

    /// <summary>
    /// Whether the folder still needs its first admin: none holds a password yet (a new installation, or one
    /// upgraded from before sign-in existed). Only then may an admin be added without signing in.
    /// </summary>
    public bool NeedsBootstrap() =>
        !_context.Store.Users().Any(u => u.Role == Role.Admin && _context.Store.FindCredential(u.Name) is { HasPassword: true, DisabledAt: null });

    /// <summary>The first admin, who sets their password here and now; recorded as a bootstrap.</summary>
    public User Bootstrap(string name, SecretPrompt ask)
    {
        RequireValidName(name);
        if (!NeedsBootstrap())
        {
            throw new RefusalException("users.bootstrap", "this installation has an admin already: sign in as an admin to add users");
        }

        var user = new User(name, Role.Admin, _context.Now, "bootstrap");
        var password = NewPassword(user, ask);
        if (!_context.Store.TryAddUser(user, new Credential(PasswordHash: _hasher.HashPassword(user, password))))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"user '{name}' already exists"));
        }

        _context.Audit(new AuditRecord("bootstrap", AuditOperation.Configure, "user:" + name, "ok",
            $"added the first admin '{name}', who set their password", "users.bootstrap"));
        return user;
    }

    /// <summary>Adds a person; they set their password on first use with the code returned here.</summary>
    public Enrolment Add(string name, string roleText)
    {
        RequireValidName(name);
        if (!User.TryParseRole(roleText, out var role))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--role",
                $"unknown role '{roleText}' (known: specialist, officer, auditor, admin)"));
        }

        var admin = _context.Authorize(Permission.UsersAdd, "user:" + name);
        var user = new User(name, role, _context.Now, admin.Name);
        var (code, credential) = NewEnrolment();
        if (!_context.Store.TryAddUser(user, credential))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"user '{name}' already exists"));
        }

        _context.Audit(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok",
            $"added user '{name}' with role {RoleName(role)}; enrolment code issued, valid until {credential.EnrolmentExpiresAt:O}", "users.add"));
        return new Enrolment(user, code, credential.EnrolmentExpiresAt!.Value);
    }

    public IReadOnlyList<UserStatus> List()
    {
        _context.Authorize(Permission.UsersRead, "users");
        var now = _context.Now;
        return _context.Store.Users().Select(u =>
        {
            var c = _context.Store.FindCredential(u.Name) ?? Credential.None;
            var state = c.DisabledAt is not null ? "disabled"
                : c.IsLockedAt(now) ? $"locked until {c.LockedUntil:O}"
                : c.HasPassword ? "active"
                : c.EnrolmentExpiresAt is { } e && e > now ? "awaiting first sign-in"
                : "no password (reset needed)";
            return new UserStatus(u, state, c.RequiresTotp);
        }).ToList();
    }

    /// <summary>Signs in and issues a token: the password (set on first use with the enrolment code), then the second factor if enrolled.</summary>
    public SignIn Login(string name, SecretPrompt ask, string? totpCode)
    {
        var (user, credential) = Verify(name, ask, totpCode, allowEnrolment: true);
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _context.Now;
        var expires = now.AddHours(_policy.TokenHours);
        _context.Store.AddToken(new AccessToken(Sha256(token), user.Name, now, expires));
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Authenticate, "user:" + user.Name, "signed-in",
            $"signed in{(credential.RequiresTotp ? " with a second factor" : "")}; token valid until {expires:O}", "auth.sign-in"));
        return new SignIn(user, token, expires);
    }

    /// <summary>A one-off sign-in for a single command, without a token.</summary>
    public Principal AuthenticatePassword(string name, SecretPrompt ask, string? totpCode)
    {
        var (user, credential) = Verify(name, ask, totpCode, allowEnrolment: false);
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Authenticate, "user:" + user.Name, "signed-in",
            "signed in for one command" + (credential.RequiresTotp ? " with a second factor" : ""), "auth.sign-in"));
        return Principal.Of(user, credential.RequiresTotp);
    }

    /// <summary>The person a token stands for, if it is known, in force, and theirs.</summary>
    public Principal AuthenticateToken(string token, string? claimedName)
    {
        var found = _context.Store.FindToken(Sha256(token.Trim()));
        if (found is null || !found.ValidAt(_context.Now))
        {
            throw Refused(claimedName, "auth.token", "the token is unknown, expired or revoked: sign in again with 'crawler login --as NAME'");
        }

        var user = _context.Store.FindUser(found.UserName);
        var credential = user is null ? null : _context.Store.FindCredential(user.Name);
        if (user is null || credential is null || credential.DisabledAt is not null)
        {
            throw Refused(found.UserName, "auth.disabled", $"the account '{found.UserName}' is disabled");
        }

        if (claimedName is not null && !string.Equals(claimedName, user.Name, StringComparison.Ordinal))
        {
            throw Refused(claimedName, "auth.mismatch",
                $"the token in use is '{user.Name}''s, not '{claimedName}''s: sign in as {claimedName}, or leave out --as");
        }

        return Principal.Of(user, credential.RequiresTotp);
    }

    /// <summary>Revokes the token: it stops working at once.</summary>
    public void Logout(string token)
    {
        var found = _context.Store.FindToken(Sha256(token.Trim()));
        if (found is null)
        {
            return;
        }

        if (_context.Store.RevokeTokens(found.UserName, _context.Now, found.Sha256) > 0)
        {
            _context.Audit(new AuditRecord(found.UserName, AuditOperation.Authenticate, "user:" + found.UserName, "signed-out", "token revoked", "auth.sign-out"));
        }
    }

    /// <summary>The signed-in person changes their own password (the current one first).</summary>
    public void ChangePassword(SecretPrompt ask)
    {
        var user = _context.RequireSignedInUser();
        var credential = _context.Store.FindCredential(user.Name)!;
        var current = ask(SecretKind.CurrentPassword, user.Name);
        if (current is null || credential.PasswordHash is null ||
            _hasher.VerifyHashedPassword(user, credential.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            Fail(user.Name, credential, "auth.password", "the current password is wrong");
        }

        var password = NewPassword(user, ask);
        Update(user.Name, credential, credential.Succeeded() with { PasswordHash = _hasher.HashPassword(user, password) });
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok", "changed their password", "users.password"));
    }

    /// <summary>Starts adding a second factor: a new secret, asked for only after <see cref="ConfirmTotp"/> proved the app has it.</summary>
    public TotpEnrolment EnrolTotp()
    {
        var user = _context.RequireSignedInUser();
        var credential = _context.Store.FindCredential(user.Name)!;
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        Update(user.Name, credential, credential with { TotpSecret = secret, TotpConfirmed = false, TotpLastStep = null });
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "pending",
            "second factor (TOTP) enrolment started", "users.totp-enrol"));
        var label = Uri.EscapeDataString("Crawler:" + user.Name);
        return new TotpEnrolment(secret, $"otpauth://totp/{label}?secret={secret}&issuer=Crawler&algorithm=SHA1&digits=6&period=30");
    }

    public void ConfirmTotp(string code)
    {
        var user = _context.RequireSignedInUser();
        var credential = _context.Store.FindCredential(user.Name)!;
        if (credential.TotpSecret is null || credential.TotpConfirmed)
        {
            throw new RefusalException("users.totp-confirm", "there is no second factor awaiting confirmation: run 'crawler users totp enrol' first");
        }

        if (MatchTotp(credential, code) is not { } step)
        {
            Fail(user.Name, credential, "auth.totp", "the code does not match the new second factor");
            return;
        }

        Update(user.Name, credential, credential.Succeeded() with { TotpConfirmed = true, TotpLastStep = step });
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok",
            "second factor (TOTP) confirmed; it is asked at every sign-in", "users.totp-confirm"));
    }

    /// <summary>An admin lifts a lockout before it ends.</summary>
    public void Unlock(string name)
    {
        var admin = _context.Authorize(Permission.UsersManage, "user:" + name);
        var credential = RequireCredential(name);
        Update(name, credential, credential.Succeeded());
        _context.Audit(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok", "account unlocked", "users.unlock"));
    }

    /// <summary>
    /// An admin resets an account: password, second factor and tokens are gone, and the person sets a new
    /// password with the new one-time code.
    /// </summary>
    public Enrolment Reset(string name)
    {
        var admin = _context.Authorize(Permission.UsersManage, "user:" + name);
        var user = _context.Store.FindUser(name)!;
        var credential = RequireCredential(name);
        var (code, fresh) = NewEnrolment();
        Update(name, credential, fresh with { DisabledAt = credential.DisabledAt });
        var revoked = _context.Store.RevokeTokens(name, _context.Now);
        _context.Audit(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok",
            $"account reset: password and second factor removed, {revoked} tokens revoked, new enrolment code valid until {fresh.EnrolmentExpiresAt:O}", "users.reset"));
        return new Enrolment(user, code, fresh.EnrolmentExpiresAt!.Value);
    }

    /// <summary>An admin disables an account for good (someone left): no sign-in, no token works.</summary>
    public void Disable(string name)
    {
        var admin = _context.Authorize(Permission.UsersManage, "user:" + name);
        if (string.Equals(admin.Name, name, StringComparison.Ordinal))
        {
            throw new RefusalException("users.disable-self", "an admin cannot disable their own account; another admin can");
        }

        var credential = RequireCredential(name);
        Update(name, credential, credential with { DisabledAt = _context.Now });
        var revoked = _context.Store.RevokeTokens(name, _context.Now);
        _context.Audit(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "disabled",
            $"account disabled; {revoked} tokens revoked", "users.disable"));
    }

    private (User User, Credential Credential) Verify(string name, SecretPrompt ask, string? totpCode, bool allowEnrolment)
    {
        var now = _context.Now;
        var user = _context.Store.FindUser(name);
        var credential = user is null ? null : _context.Store.FindCredential(name);
        if (user is null || credential is null)
        {
            // The name typed is not recorded: it may be a password typed into the wrong field.
            _context.Audit(new AuditRecord("unknown user", AuditOperation.Authenticate, "user:(unknown)", "refused",
                "sign-in with a user name that does not exist", "auth.unknown-user"));
            throw new RefusalException("auth.failed", "sign-in failed: wrong user name, password or code");
        }

        if (credential.DisabledAt is not null)
        {
            throw Refused(name, "auth.disabled", $"the account '{name}' is disabled");
        }

        if (credential.IsLockedAt(now))
        {
            throw Refused(name, "auth.locked",
                $"the account '{name}' is locked after repeated failed sign-ins until {credential.LockedUntil:O}; an admin can unlock it earlier");
        }

        if (!credential.HasPassword)
        {
            if (!allowEnrolment)
            {
                throw Refused(name, "auth.not-enrolled", $"'{name}' has not set a password yet: sign in once with 'crawler login --as {name}' and the enrolment code");
            }

            credential = Enrol(user, credential, ask);
        }
        else
        {
            var password = ask(SecretKind.Password, name);
            var result = password is null ? PasswordVerificationResult.Failed : _hasher.VerifyHashedPassword(user, credential.PasswordHash!, password);
            if (result == PasswordVerificationResult.Failed)
            {
                Fail(name, credential, "auth.password", password is null ? "no password was given" : "wrong password");
            }

            if (result == PasswordVerificationResult.SuccessRehashNeeded)
            {
                // The policy's work factor went up since this hash was made: upgrade it now that the password is at hand.
                var upgraded = credential with { PasswordHash = _hasher.HashPassword(user, password!) };
                Update(name, credential, upgraded);
                credential = upgraded;
            }
        }

        if (credential.RequiresTotp)
        {
            var code = totpCode ?? ask(SecretKind.TotpCode, name);
            if (code is null || MatchTotp(credential, code) is not { } step)
            {
                Fail(name, credential, "auth.totp", code is null ? "no second-factor code was given" : "wrong or reused second-factor code");
                throw new System.Diagnostics.UnreachableException();
            }

            var used = credential with { TotpLastStep = step };
            Update(name, credential, used);
            credential = used;
        }

        if (credential.FailedAttempts > 0 || credential.LockedUntil is not null)
        {
            Update(name, credential, credential.Succeeded());
            credential = credential.Succeeded();
        }

        return (user, credential);
    }

    /// <summary>First use: the enrolment code, then the person's own password.</summary>
    private Credential Enrol(User user, Credential credential, SecretPrompt ask)
    {
        if (credential.EnrolmentCodeSha256 is null || credential.EnrolmentExpiresAt is not { } expires || _context.Now >= expires)
        {
            throw Refused(user.Name, "auth.not-enrolled",
                $"'{user.Name}' has no password and no valid enrolment code: an admin can issue a new one with 'crawler users reset {user.Name}'");
        }

        var code = ask(SecretKind.EnrolmentCode, user.Name);
        var given = code is null ? null : Sha256(NormaliseCode(code));
        if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(credential.EnrolmentCodeSha256)))
        {
            Fail(user.Name, credential, "auth.enrolment-code", code is null ? "no enrolment code was given" : "wrong enrolment code");
        }

        var password = NewPassword(user, ask);
        var enrolled = credential.Succeeded() with { PasswordHash = _hasher.HashPassword(user, password), EnrolmentCodeSha256 = null, EnrolmentExpiresAt = null };
        Update(user.Name, credential, enrolled);
        _context.Audit(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok",
            "set their password on first sign-in (enrolment code used)", "users.enrol"));
        return enrolled;
    }

    /// <summary>Asks for a new password twice and checks it against the policy.</summary>
    private string NewPassword(User user, SecretPrompt ask)
    {
        var password = ask(SecretKind.NewPassword, user.Name);
        if (string.IsNullOrEmpty(password))
        {
            throw new InputException(new InputProblem("(input)", 0, 0, "password", "no new password was given"));
        }

        if (password.Length < _policy.PasswordMinLength || password.Length > 1024)
        {
            throw new InputException(new InputProblem("(input)", 0, 0, "password",
                $"a password must be at least {_policy.PasswordMinLength} characters long (a passphrase of several words is easiest)"));
        }

        if (password.Contains(user.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException(new InputProblem("(input)", 0, 0, "password", "a password must not contain the user name"));
        }

        var repeated = ask(SecretKind.RepeatNewPassword, user.Name);
        if (!string.Equals(repeated, password, StringComparison.Ordinal))
        {
            throw new InputException(new InputProblem("(input)", 0, 0, "password", "the two passwords differ"));
        }

        return password;
    }

    private long? MatchTotp(Credential credential, string code)
    {
        var totp = new Totp(Base32Encoding.ToBytes(credential.TotpSecret!));
        var digits = new string(code.Where(char.IsAsciiDigit).ToArray());

        // One step of clock drift either way (RFC 6238 §5.2); a code is accepted once only.
        long step = 0;
        var ok = digits.Length == 6 && totp.VerifyTotp(_context.Now.UtcDateTime, digits, out step, new VerificationWindow(1, 1));
        return ok && (credential.TotpLastStep is not { } last || step > last) ? step : null;
    }

    /// <summary>Counts the failure against the account (locking it after too many), records it, and refuses.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string name, Credential credential, string rule, string reason)
    {
        var failed = credential.Failed(_context.Now, _policy);
        _context.Store.TryUpdateCredential(name, credential, failed);
        var locked = failed.LockedUntil is not null && credential.LockedUntil != failed.LockedUntil;
        _context.Audit(new AuditRecord(name, AuditOperation.Authenticate, "user:" + name, "refused", reason, rule));
        if (locked)
        {
            _context.Audit(new AuditRecord(name, AuditOperation.Authenticate, "user:" + name, "locked",
                $"account locked until {failed.LockedUntil:O} after {_policy.LockoutAttempts} failed sign-ins", "auth.lockout"));
        }

        throw new RefusalException("auth.failed", "sign-in failed: wrong user name, password or code" +
            (locked ? $"; the account is now locked until {failed.LockedUntil:O}" : ""));
    }

    private RefusalException Refused(string? name, string rule, string reason)
    {
        _context.Audit(new AuditRecord(name ?? "unknown user", AuditOperation.Authenticate, name is null ? "user:(unknown)" : "user:" + name,
            "refused", reason, rule));
        return new RefusalException(rule, reason);
    }

    private void Update(string name, Credential expected, Credential updated)
    {
        if (!_context.Store.TryUpdateCredential(name, expected, updated))
        {
            throw new RefusalException("users.concurrent-change", $"the account '{name}' changed while this ran; try again");
        }
    }

    private Credential RequireCredential(string name) =>
        _context.Store.FindCredential(name) ?? throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"unknown user '{name}' (see 'crawler users list')"));

    private (string Code, Credential Credential) NewEnrolment()
    {
        // 80 random bits in four groups of base32: easy to read out, impossible to guess in its lifetime.
        var raw = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10));
        var code = string.Join('-', raw.Chunk(4).Select(c => new string(c)));
        return (code, new Credential(EnrolmentCodeSha256: Sha256(NormaliseCode(code)), EnrolmentExpiresAt: _context.Now.AddDays(_policy.EnrolmentDays)));
    }

    private static string NormaliseCode(string code) => new string(code.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();

    private static void RequireValidName(string name)
    {
        if (!User.IsValidName(name))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME",
                $"'{name}' is not a valid user name: 2-64 characters, lower-case letters, digits, '.', '-', '_', starting with a letter"));
        }
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string RoleName(Role role) => role.ToString().ToLowerInvariant();
}
