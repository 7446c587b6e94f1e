namespace Crawler.Core.Users;

/// <summary>Whether officers must use a second factor.</summary>
public enum SecondFactor
{
    /// <summary>A user may enrol one; once enrolled it is always asked for.</summary>
    Optional,

    /// <summary>Officers may sign in without one, but do nothing only an officer may do until they have enrolled one.</summary>
    RequiredForOfficers,
}

/// <summary>
/// policies/identity.yaml: how people prove who they are. The defaults follow OWASP's password
/// storage guidance (PBKDF2-HMAC-SHA512, 210,000 iterations) and its advice to lock an account for a
/// while, not for ever, after repeated failures.
/// </summary>
public sealed record IdentityPolicy(
    int PasswordMinLength = 12,
    int PasswordIterations = 210_000,
    int LockoutAttempts = 5,
    int LockoutMinutes = 15,
    int TokenHours = 8,
    int EnrolmentDays = 7,
    SecondFactor OfficerSecondFactor = SecondFactor.Optional)
{
    public static IdentityPolicy Default { get; } = new();
}
