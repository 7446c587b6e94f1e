namespace Crawler.Core.Users;

/// <summary>
/// How a person proves who they are. Never shown and never logged: the password only as a salted,
/// slow hash; the one-time enrolment code only as its SHA-256 (it is random and short-lived, so a
/// fast hash suffices); the TOTP secret in the encrypted database only.
/// </summary>
/// <param name="PasswordHash">The password hash in the hasher's own format; null until the user has set one.</param>
/// <param name="EnrolmentCodeSha256">The one-time code an admin handed over, with which the user sets their password on first use.</param>
/// <param name="EnrolmentExpiresAt">When that code stops working.</param>
/// <param name="TotpSecret">The shared secret of a second factor (RFC 6238), base32; null when none.</param>
/// <param name="TotpConfirmed">Whether the user proved their authenticator works; only then is the factor asked for.</param>
/// <param name="TotpLastStep">The last time step a code was accepted for, so a code cannot be used twice.</param>
/// <param name="FailedAttempts">Consecutive failed sign-ins.</param>
/// <param name="LockedUntil">No sign-in before this moment.</param>
/// <param name="DisabledAt">The account was disabled by an admin: no sign-in and no token works.</param>
public sealed record Credential(
    string? PasswordHash = null,
    string? EnrolmentCodeSha256 = null,
    DateTimeOffset? EnrolmentExpiresAt = null,
    string? TotpSecret = null,
    bool TotpConfirmed = false,
    long? TotpLastStep = null,
    int FailedAttempts = 0,
    DateTimeOffset? LockedUntil = null,
    DateTimeOffset? DisabledAt = null)
{
    public static Credential None { get; } = new();

    public bool HasPassword => PasswordHash is not null;

    public bool RequiresTotp => TotpSecret is not null && TotpConfirmed;

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && now < until;

    /// <summary>A failed sign-in: counted, and after <paramref name="policy"/>'s number of attempts the account is locked for a while.</summary>
    public Credential Failed(DateTimeOffset now, IdentityPolicy policy)
    {
        var attempts = FailedAttempts + 1;
        return attempts >= policy.LockoutAttempts
            ? this with { FailedAttempts = 0, LockedUntil = now.AddMinutes(policy.LockoutMinutes) }
            : this with { FailedAttempts = attempts };
    }

    public Credential Succeeded() => FailedAttempts == 0 && LockedUntil is null ? this : this with { FailedAttempts = 0, LockedUntil = null };
}

/// <summary>
/// A bearer token issued at sign-in. Only its SHA-256 is stored: whoever reads the database cannot
/// use the tokens in it.
/// </summary>
public sealed record AccessToken(string Sha256, string UserName, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt = null)
{
    public bool ValidAt(DateTimeOffset now) => RevokedAt is null && now >= IssuedAt.AddMinutes(-5) && now < ExpiresAt;
}
