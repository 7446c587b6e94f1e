namespace Crawler.Service.Access;

/// <summary>What a sign-in asks the person for.</summary>
public enum SecretKind
{
    Password,
    CurrentPassword,
    NewPassword,
    RepeatNewPassword,
    EnrolmentCode,
    TotpCode,
}

/// <summary>
/// Asks the person at the keyboard for a secret (without echo), or reads it from where a script put it.
/// Null when nothing was given.
/// </summary>
public delegate string? SecretPrompt(SecretKind kind, string userName);

/// <summary>A sign-in's result: the token the person works with until it expires.</summary>
public sealed record SignIn(Core.Users.User User, string Token, DateTimeOffset ExpiresAt);

/// <summary>A new or reset account: the one-time code its owner sets their password with.</summary>
public sealed record Enrolment(Core.Users.User User, string Code, DateTimeOffset ExpiresAt);

/// <summary>A second factor to add to an authenticator app: the secret, and the otpauth URI a QR code would carry.</summary>
public sealed record TotpEnrolment(string Secret, string Uri);

/// <summary>A user as the admin sees them: role and account state, never a secret.</summary>
public sealed record UserStatus(Core.Users.User User, string State, bool SecondFactor);
