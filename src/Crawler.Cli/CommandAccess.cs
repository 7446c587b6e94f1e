using Crawler.Core.Users;

namespace Crawler.Cli;

/// <summary>
/// Who may run each command: the README's roles table, which a test checks against this list and against
/// what every command actually does for every role and for nobody signed in.
/// </summary>
public static class CommandAccess
{
    /// <summary>How a command decides who may run it.</summary>
    public enum Kind
    {
        /// <summary>Needs no sign-in: it reads only files given to it, creates its own folder, or is the sign-in itself.</summary>
        Anyone,

        /// <summary>Any signed-in person, for their own account.</summary>
        Self,

        /// <summary>The roles of <see cref="AccessPolicy"/> for the rule's permission.</summary>
        Role,

        /// <summary>The first admin of an installation needs no sign-in; after that, admins only.</summary>
        AdminOrBootstrap,

        /// <summary>Runs as the service itself, which holds the key folder; no person signs in to it.</summary>
        Service,
    }

    /// <param name="Command">The command as typed after <c>crawler</c>, with a qualifier where one command has two rows.</param>
    /// <param name="Kind">How the command decides who may run it.</param>
    /// <param name="Permission">The permission it needs, for <see cref="Kind.Role"/> and <see cref="Kind.AdminOrBootstrap"/>.</param>
    public sealed record Rule(string Command, Kind Kind, Permission? Permission = null);

    public static IReadOnlyList<Rule> All { get; } =
    [
        new("init", Kind.Anyone),
        new("login", Kind.Anyone),
        new("logout", Kind.Anyone),
        new("users add", Kind.AdminOrBootstrap, Permission.UsersAdd),
        new("users list", Kind.Role, Permission.UsersRead),
        new("users password", Kind.Self),
        new("users totp enrol", Kind.Self),
        new("users totp confirm", Kind.Self),
        new("users unlock", Kind.Role, Permission.UsersManage),
        new("users reset", Kind.Role, Permission.UsersManage),
        new("users disable", Kind.Role, Permission.UsersManage),
        new("target add", Kind.Role, Permission.TargetsWrite),
        new("target list", Kind.Role, Permission.TargetsRead),
        new("target show", Kind.Role, Permission.TargetsRead),
        new("mandate assess", Kind.Role, Permission.MandatesAssess),
        new("mandate request", Kind.Role, Permission.MandatesRequest),
        new("mandate renew", Kind.Role, Permission.MandatesRequest),
        new("mandate amend", Kind.Role, Permission.MandatesRequest),
        new("mandate approve", Kind.Role, Permission.MandatesDecide),
        new("mandate confirm", Kind.Role, Permission.MandatesDecide),
        new("mandate reject", Kind.Role, Permission.MandatesDecide),
        new("mandate suspend", Kind.Role, Permission.MandatesDecide),
        new("mandate revoke", Kind.Role, Permission.MandatesDecide),
        new("mandate review", Kind.Role, Permission.MandatesDecide),
        new("mandate list", Kind.Role, Permission.MandatesRead),
        new("mandate show", Kind.Role, Permission.MandatesRead),
        new("mandate history", Kind.Role, Permission.MandatesRead),
        new("crawl run", Kind.Role, Permission.CrawlRun),
        new("serve", Kind.Service),
        new("hits list", Kind.Role, Permission.HitsRead),
        new("hits show", Kind.Role, Permission.HitsRead),
        new("hits show (restricted hit)", Kind.Role, Permission.HitsReadRestricted),
        new("hits review", Kind.Role, Permission.HitsReview),
        new("hits link", Kind.Role, Permission.HitsLink),
        new("hits reveal", Kind.Role, Permission.HitsReveal),
        new("audit list", Kind.Role, Permission.AuditRead),
        new("audit verify", Kind.Role, Permission.AuditRead),
        new("audit checkpoint", Kind.Role, Permission.AuditRead),
        new("audit report", Kind.Role, Permission.AuditRead),
        new("retention run", Kind.Role, Permission.RetentionRun),
        new("retention run --dry-run", Kind.Role, Permission.RetentionPreview),
        new("evidence export", Kind.Role, Permission.EvidenceExport),
        new("evidence verify", Kind.Anyone),
        new("evidence public-key", Kind.Anyone),
        new("policy explain", Kind.Role, Permission.PolicyExplain),
        new("robots check", Kind.Anyone),
        new("extract", Kind.Anyone),
        new("profile test", Kind.Anyone),

        // A proposed profile decides what a target's crawl reads of its site: the specialist's, as targets are.
        new("profile suggest", Kind.Role, Permission.TargetsWrite),
        new("demo", Kind.Anyone),
    ];

    /// <summary>Whether a person of <paramref name="role"/> may run the command (null: nobody signed in).</summary>
    public static bool Allows(Rule rule, Role? role) => rule.Kind switch
    {
        Kind.Anyone or Kind.Service => true,
        Kind.Self => role is not null,
        Kind.AdminOrBootstrap => role == Core.Users.Role.Admin,
        _ => role is { } r && AccessPolicy.Allows(r, rule.Permission!.Value),
    };

    /// <summary>The README's cell for a role (null: nobody signed in).</summary>
    public static string Cell(Rule rule, Role? role) => (rule.Kind, role) switch
    {
        (Kind.AdminOrBootstrap, null) => "first admin only",
        (Kind.Service, _) => "yes (as the service)",
        _ => Allows(rule, role) ? "yes" : "no",
    };
}
