using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Core.Storage;
using Crawler.Service.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OtpNet;

namespace Crawler.Service.Access;

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

    private readonly IUserStore _users;
    private readonly AccessControl _access;
    private readonly AuditTrail _audit;
    private readonly TimeProvider _time;
    private readonly IdentityPolicy _policy;
    private readonly PasswordHasher<User> _hasher;

    public IdentityService(IUserStore users, AccessControl access, AuditTrail audit, IdentityPolicy policy, TimeProvider time)
    {
        _users = users;
        _access = access;
        _audit = audit;
        _time = time;
        _policy = policy;
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
    public async Task<bool> NeedsBootstrapAsync(CancellationToken ct = default)
    {
        foreach (var u in await _users.ListAsync(ct))
        {
            if (u.Role == Role.Admin && await _users.FindCredentialAsync(u.Name, ct) is { HasPassword: true, DisabledAt: null })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first admin, who sets their password here and now; recorded as a bootstrap.</summary>
    public async Task<User> BootstrapAsync(string name, SecretPrompt ask, CancellationToken ct = default)
    {
        RequireValidName(name);
        if (!await NeedsBootstrapAsync(ct))
        {
            throw new RefusalException("users.bootstrap", "this installation has an admin already: sign in as an admin to add users");
        }

        var user = new User(name, Role.Admin, _time.GetUtcNow(), "bootstrap");
        var password = NewPassword(user, ask);
        if (!await _users.TryAddAsync(user, new Credential(PasswordHash: _hasher.HashPassword(user, password)), ct))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"user '{name}' already exists"));
        }

        await _audit.AppendAsync(new AuditRecord("bootstrap", AuditOperation.Configure, "user:" + name, "ok",
            $"added the first admin '{name}', who set their password", "users.bootstrap"), ct);
        return user;
    }

    /// <summary>Adds a person; they set their password on first use with the code returned here.</summary>
    public async Task<Enrolment> AddAsync(string name, string roleText, CancellationToken ct = default)
    {
        RequireValidName(name);
        if (!User.TryParseRole(roleText, out var role))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--role",
                $"unknown role '{roleText}' (known: specialist, officer, auditor, admin)"));
        }

        var admin = await _access.AuthorizeAsync(Permission.UsersAdd, "user:" + name, ct);
        var user = new User(name, role, _time.GetUtcNow(), admin.Name);
        var (code, credential) = NewEnrolment();
        if (!await _users.TryAddAsync(user, credential, ct))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"user '{name}' already exists"));
        }

        await _audit.AppendAsync(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok",
            $"added user '{name}' with role {RoleName(role)}; enrolment code issued, valid until {credential.EnrolmentExpiresAt:O}", "users.add"), ct);
        return new Enrolment(user, code, credential.EnrolmentExpiresAt!.Value);
    }

    public async Task<IReadOnlyList<UserStatus>> ListAsync(CancellationToken ct = default)
    {
        await _access.AuthorizeAsync(Permission.UsersRead, "users", ct);
        var now = _time.GetUtcNow();
        var result = new List<UserStatus>();
        foreach (var u in await _users.ListAsync(ct))
        {
            var c = await _users.FindCredentialAsync(u.Name, ct) ?? Credential.None;
            var state = c.DisabledAt is not null ? "disabled"
                : c.IsLockedAt(now) ? $"locked until {c.LockedUntil:O}"
                : c.HasPassword ? "active"
                : c.EnrolmentExpiresAt is { } e && e > now ? "awaiting first sign-in"
                : "no password (reset needed)";
            result.Add(new UserStatus(u, state, c.RequiresTotp));
        }

        return result;
    }

    /// <summary>Signs in and issues a token: the password (set on first use with the enrolment code), then the second factor if enrolled.</summary>
    public async Task<SignIn> LoginAsync(string name, SecretPrompt ask, string? totpCode, CancellationToken ct = default)
    {
        var (user, credential) = await VerifyAsync(name, ask, totpCode, allowEnrolment: true, ct);
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var expires = now.AddHours(_policy.TokenHours);
        await _users.AddTokenAsync(new AccessToken(Sha256(token), user.Name, now, expires), ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Authenticate, "user:" + user.Name, "signed-in",
            $"signed in{(credential.RequiresTotp ? " with a second factor" : "")}; token valid until {expires:O}", "auth.sign-in"), ct);
        return new SignIn(user, token, expires);
    }

    /// <summary>A one-off sign-in for a single command, without a token.</summary>
    public async Task<Principal> AuthenticatePasswordAsync(string name, SecretPrompt ask, string? totpCode, CancellationToken ct = default)
    {
        var (user, credential) = await VerifyAsync(name, ask, totpCode, allowEnrolment: false, ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Authenticate, "user:" + user.Name, "signed-in",
            "signed in for one command" + (credential.RequiresTotp ? " with a second factor" : ""), "auth.sign-in"), ct);
        return Principal.Of(user, credential.RequiresTotp);
    }

    /// <summary>The person a token stands for, if it is known, in force, and theirs.</summary>
    public async Task<Principal> AuthenticateTokenAsync(string token, string? claimedName, CancellationToken ct = default)
    {
        var found = await _users.FindTokenAsync(Sha256(token.Trim()), ct);
        if (found is null || !found.ValidAt(_time.GetUtcNow()))
        {
            throw await RefusedAsync(claimedName, "auth.token", "the token is unknown, expired or revoked: sign in again with 'crawler login --as NAME'", ct);
        }

        var user = await _users.FindAsync(found.UserName, ct);
        var credential = user is null ? null : await _users.FindCredentialAsync(user.Name, ct);
        if (user is null || credential is null || credential.DisabledAt is not null)
        {
            throw await RefusedAsync(found.UserName, "auth.disabled", $"the account '{found.UserName}' is disabled", ct);
        }

        if (claimedName is not null && !string.Equals(claimedName, user.Name, StringComparison.Ordinal))
        {
            throw await RefusedAsync(claimedName, "auth.mismatch",
                $"the token in use is '{user.Name}''s, not '{claimedName}''s: sign in as {claimedName}, or leave out --as", ct);
        }

        return Principal.Of(user, credential.RequiresTotp);
    }

    /// <summary>Revokes the token: it stops working at once.</summary>
    public async Task LogoutAsync(string token, CancellationToken ct = default)
    {
        var found = await _users.FindTokenAsync(Sha256(token.Trim()), ct);
        if (found is null)
        {
            return;
        }

        if (await _users.RevokeTokensAsync(found.UserName, _time.GetUtcNow(), found.Sha256, ct) > 0)
        {
            await _audit.AppendAsync(new AuditRecord(found.UserName, AuditOperation.Authenticate, "user:" + found.UserName, "signed-out", "token revoked", "auth.sign-out"), ct);
        }
    }

    /// <summary>The signed-in person changes their own password (the current one first).</summary>
    public async Task ChangePasswordAsync(SecretPrompt ask, CancellationToken ct = default)
    {
        var user = await _access.SignedInUserAsync(ct);
        var credential = (await _users.FindCredentialAsync(user.Name, ct))!;
        var current = ask(SecretKind.CurrentPassword, user.Name);
        if (current is null || credential.PasswordHash is null ||
            _hasher.VerifyHashedPassword(user, credential.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            throw await FailAsync(user.Name, credential, "auth.password", "the current password is wrong", ct);
        }

        var password = NewPassword(user, ask);
        await UpdateAsync(user.Name, credential, credential.Succeeded() with { PasswordHash = _hasher.HashPassword(user, password) }, ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok", "changed their password", "users.password"), ct);
    }

    /// <summary>Starts adding a second factor: a new secret, asked for only after <see cref="ConfirmTotpAsync"/> proved the app has it.</summary>
    public async Task<TotpEnrolment> EnrolTotpAsync(CancellationToken ct = default)
    {
        var user = await _access.SignedInUserAsync(ct);
        var credential = (await _users.FindCredentialAsync(user.Name, ct))!;
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await UpdateAsync(user.Name, credential, credential with { TotpSecret = secret, TotpConfirmed = false, TotpLastStep = null }, ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "pending",
            "second factor (TOTP) enrolment started", "users.totp-enrol"), ct);
        var label = Uri.EscapeDataString("Crawler:" + user.Name);
        return new TotpEnrolment(secret, $"otpauth://totp/{label}?secret={secret}&issuer=Crawler&algorithm=SHA1&digits=6&period=30");
    }

    public async Task ConfirmTotpAsync(string code, CancellationToken ct = default)
    {
        var user = await _access.SignedInUserAsync(ct);
        var credential = (await _users.FindCredentialAsync(user.Name, ct))!;
        if (credential.TotpSecret is null || credential.TotpConfirmed)
        {
            throw new RefusalException("users.totp-confirm", "there is no second factor awaiting confirmation: run 'crawler users totp enrol' first");
        }

        if (MatchTotp(credential, code) is not { } step)
        {
            throw await FailAsync(user.Name, credential, "auth.totp", "the code does not match the new second factor", ct);
        }

        await UpdateAsync(user.Name, credential, credential.Succeeded() with { TotpConfirmed = true, TotpLastStep = step }, ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok",
            "second factor (TOTP) confirmed; it is asked at every sign-in", "users.totp-confirm"), ct);
    }

    /// <summary>An admin lifts a lockout before it ends.</summary>
    public async Task UnlockAsync(string name, CancellationToken ct = default)
    {
        var admin = await _access.AuthorizeAsync(Permission.UsersManage, "user:" + name, ct);
        var credential = await RequireCredentialAsync(name, ct);
        await UpdateAsync(name, credential, credential.Succeeded(), ct);
        await _audit.AppendAsync(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok", "account unlocked", "users.unlock"), ct);
    }

    /// <summary>
    /// An admin resets an account: password, second factor and tokens are gone, and the person sets a new
    /// password with the new one-time code.
    /// </summary>
    public async Task<Enrolment> ResetAsync(string name, CancellationToken ct = default)
    {
        var admin = await _access.AuthorizeAsync(Permission.UsersManage, "user:" + name, ct);
        var user = (await _users.FindAsync(name, ct))!;
        var credential = await RequireCredentialAsync(name, ct);
        var (code, fresh) = NewEnrolment();
        await UpdateAsync(name, credential, fresh with { DisabledAt = credential.DisabledAt }, ct);
        var revoked = await _users.RevokeTokensAsync(name, _time.GetUtcNow(), null, ct);
        await _audit.AppendAsync(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "ok",
            $"account reset: password and second factor removed, {revoked} tokens revoked, new enrolment code valid until {fresh.EnrolmentExpiresAt:O}", "users.reset"), ct);
        return new Enrolment(user, code, fresh.EnrolmentExpiresAt!.Value);
    }

    /// <summary>An admin disables an account for good (someone left): no sign-in, no token works.</summary>
    public async Task DisableAsync(string name, CancellationToken ct = default)
    {
        var admin = await _access.AuthorizeAsync(Permission.UsersManage, "user:" + name, ct);
        if (string.Equals(admin.Name, name, StringComparison.Ordinal))
        {
            throw new RefusalException("users.disable-self", "an admin cannot disable their own account; another admin can");
        }

        var credential = await RequireCredentialAsync(name, ct);
        await UpdateAsync(name, credential, credential with { DisabledAt = _time.GetUtcNow() }, ct);
        var revoked = await _users.RevokeTokensAsync(name, _time.GetUtcNow(), null, ct);
        await _audit.AppendAsync(new AuditRecord(admin.Name, AuditOperation.Configure, "user:" + name, "disabled",
            $"account disabled; {revoked} tokens revoked", "users.disable"), ct);
    }

    private async Task<(User User, Credential Credential)> VerifyAsync(string name, SecretPrompt ask, string? totpCode, bool allowEnrolment, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var user = await _users.FindAsync(name, ct);
        var credential = user is null ? null : await _users.FindCredentialAsync(name, ct);
        if (user is null || credential is null)
        {
            // The name typed is not recorded: it may be a password typed into the wrong field.
            await _audit.AppendAsync(new AuditRecord("unknown user", AuditOperation.Authenticate, "user:(unknown)", "refused",
                "sign-in with a user name that does not exist", "auth.unknown-user"), ct);
            throw new RefusalException("auth.failed", "sign-in failed: wrong user name, password or code");
        }

        if (credential.DisabledAt is not null)
        {
            throw await RefusedAsync(name, "auth.disabled", $"the account '{name}' is disabled", ct);
        }

        if (credential.IsLockedAt(now))
        {
            throw await RefusedAsync(name, "auth.locked",
                $"the account '{name}' is locked after repeated failed sign-ins until {credential.LockedUntil:O}; an admin can unlock it earlier", ct);
        }

        if (!credential.HasPassword)
        {
            if (!allowEnrolment)
            {
                throw await RefusedAsync(name, "auth.not-enrolled", $"'{name}' has not set a password yet: sign in once with 'crawler login --as {name}' and the enrolment code", ct);
            }

            credential = await EnrolAsync(user, credential, ask, ct);
        }
        else
        {
            var password = ask(SecretKind.Password, name);
            var result = password is null ? PasswordVerificationResult.Failed : _hasher.VerifyHashedPassword(user, credential.PasswordHash!, password);
            if (result == PasswordVerificationResult.Failed)
            {
                throw await FailAsync(name, credential, "auth.password", password is null ? "no password was given" : "wrong password", ct);
            }

            if (result == PasswordVerificationResult.SuccessRehashNeeded)
            {
                // The policy's work factor went up since this hash was made: upgrade it now that the password is at hand.
                var upgraded = credential with { PasswordHash = _hasher.HashPassword(user, password!) };
                await UpdateAsync(name, credential, upgraded, ct);
                credential = upgraded;
            }
        }

        if (credential.RequiresTotp)
        {
            var code = totpCode ?? ask(SecretKind.TotpCode, name);
            if (code is null || MatchTotp(credential, code) is not { } step)
            {
                throw await FailAsync(name, credential, "auth.totp", code is null ? "no second-factor code was given" : "wrong or reused second-factor code", ct);
            }

            var used = credential with { TotpLastStep = step };
            await UpdateAsync(name, credential, used, ct);
            credential = used;
        }

        if (credential.FailedAttempts > 0 || credential.LockedUntil is not null)
        {
            await UpdateAsync(name, credential, credential.Succeeded(), ct);
            credential = credential.Succeeded();
        }

        return (user, credential);
    }

    /// <summary>First use: the enrolment code, then the person's own password.</summary>
    private async Task<Credential> EnrolAsync(User user, Credential credential, SecretPrompt ask, CancellationToken ct)
    {
        if (credential.EnrolmentCodeSha256 is null || credential.EnrolmentExpiresAt is not { } expires || _time.GetUtcNow() >= expires)
        {
            throw await RefusedAsync(user.Name, "auth.not-enrolled",
                $"'{user.Name}' has no password and no valid enrolment code: an admin can issue a new one with 'crawler users reset {user.Name}'", ct);
        }

        var code = ask(SecretKind.EnrolmentCode, user.Name);
        var given = code is null ? null : Sha256(NormaliseCode(code));
        if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(credential.EnrolmentCodeSha256)))
        {
            throw await FailAsync(user.Name, credential, "auth.enrolment-code", code is null ? "no enrolment code was given" : "wrong enrolment code", ct);
        }

        var password = NewPassword(user, ask);
        var enrolled = credential.Succeeded() with { PasswordHash = _hasher.HashPassword(user, password), EnrolmentCodeSha256 = null, EnrolmentExpiresAt = null };
        await UpdateAsync(user.Name, credential, enrolled, ct);
        await _audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Configure, "user:" + user.Name, "ok",
            "set their password on first sign-in (enrolment code used)", "users.enrol"), ct);
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
        var ok = digits.Length == 6 && totp.VerifyTotp(_time.GetUtcNow().UtcDateTime, digits, out step, new VerificationWindow(1, 1));
        return ok && (credential.TotpLastStep is not { } last || step > last) ? step : null;
    }

    /// <summary>Counts the failure against the account (locking it after too many), records it, and refuses.</summary>
    private async Task<RefusalException> FailAsync(string name, Credential credential, string rule, string reason, CancellationToken ct)
    {
        var failed = credential.Failed(_time.GetUtcNow(), _policy);
        await _users.TryUpdateCredentialAsync(name, credential, failed, ct);
        var locked = failed.LockedUntil is not null && credential.LockedUntil != failed.LockedUntil;
        await _audit.AppendAsync(new AuditRecord(name, AuditOperation.Authenticate, "user:" + name, "refused", reason, rule), ct);
        if (locked)
        {
            await _audit.AppendAsync(new AuditRecord(name, AuditOperation.Authenticate, "user:" + name, "locked",
                $"account locked until {failed.LockedUntil:O} after {_policy.LockoutAttempts} failed sign-ins", "auth.lockout"), ct);
        }

        return new RefusalException("auth.failed", "sign-in failed: wrong user name, password or code" +
            (locked ? $"; the account is now locked until {failed.LockedUntil:O}" : ""));
    }

    private async Task<RefusalException> RefusedAsync(string? name, string rule, string reason, CancellationToken ct)
    {
        await _audit.AppendAsync(new AuditRecord(name ?? "unknown user", AuditOperation.Authenticate, name is null ? "user:(unknown)" : "user:" + name,
            "refused", reason, rule), ct);
        return new RefusalException(rule, reason);
    }

    private async Task UpdateAsync(string name, Credential expected, Credential updated, CancellationToken ct)
    {
        if (!await _users.TryUpdateCredentialAsync(name, expected, updated, ct))
        {
            throw new RefusalException("users.concurrent-change", $"the account '{name}' changed while this ran; try again");
        }
    }

    private async Task<Credential> RequireCredentialAsync(string name, CancellationToken ct) =>
        await _users.FindCredentialAsync(name, ct) ?? throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"unknown user '{name}' (see 'crawler users list')"));

    private (string Code, Credential Credential) NewEnrolment()
    {
        // 80 random bits in four groups of base32: easy to read out, impossible to guess in its lifetime.
        var raw = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10));
        var code = string.Join('-', raw.Chunk(4).Select(c => new string(c)));
        return (code, new Credential(EnrolmentCodeSha256: Sha256(NormaliseCode(code)), EnrolmentExpiresAt: _time.GetUtcNow().AddDays(_policy.EnrolmentDays)));
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
