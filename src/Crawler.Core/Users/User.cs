namespace Crawler.Core.Users;

/// <summary>What a person may do; see the roles table in the compliance brief.</summary>
public enum Role
{
    /// <summary>Configures targets, requests mandates, runs crawls within a mandate, reviews hits.</summary>
    Specialist,

    /// <summary>Officer of justice (OvJ): approves, rejects and revokes mandates, never their own.</summary>
    Officer,

    /// <summary>Reads and verifies the audit trail; changes nothing.</summary>
    Auditor,

    /// <summary>Manages users and keys; may never approve a mandate.</summary>
    Admin,
}

public sealed record User(string Name, Role Role, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>User names are short, lower-case identifiers so that audit entries stay unambiguous.</summary>
    public static bool IsValidName(string name) =>
        name.Length is >= 2 and <= 64 &&
        name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_') &&
        char.IsAsciiLetterLower(name[0]);

    public static bool TryParseRole(string text, out Role role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role);
}
