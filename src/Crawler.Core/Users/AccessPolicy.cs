namespace Crawler.Core.Users;

/// <summary>
/// Who may do what: the role matrix the README states and a test checks against every command.
/// Specialists configure and review; officers decide on mandates and read hits and the trail;
/// auditors read the trail, never hits; admins manage users and read neither hits nor the trail.
/// </summary>
public static class AccessPolicy
{
    private static readonly Dictionary<Permission, Role[]> Matrix = new()
    {
        [Permission.UsersAdd] = [Role.Admin],
        [Permission.UsersRead] = [Role.Admin, Role.Auditor],
        [Permission.UsersManage] = [Role.Admin],
        [Permission.TargetsWrite] = [Role.Specialist],
        [Permission.TargetsRead] = [Role.Specialist, Role.Officer, Role.Auditor],
        [Permission.MandatesAssess] = [Role.Specialist, Role.Officer],
        [Permission.MandatesRequest] = [Role.Specialist],
        [Permission.MandatesDecide] = [Role.Officer],
        [Permission.MandatesRead] = [Role.Specialist, Role.Officer, Role.Auditor],
        [Permission.CrawlRun] = [Role.Specialist],
        [Permission.PolicyExplain] = [Role.Specialist, Role.Officer],
        [Permission.HitsRead] = [Role.Specialist, Role.Officer],
        [Permission.HitsReadRestricted] = [Role.Officer],
        [Permission.HitsReview] = [Role.Specialist],
        [Permission.HitsLink] = [Role.Specialist],
        [Permission.HitsReveal] = [Role.Officer],
        [Permission.AuditRead] = [Role.Auditor, Role.Officer],
        [Permission.RetentionRun] = [Role.Admin],
        [Permission.RetentionPreview] = [Role.Admin, Role.Auditor],
        [Permission.EvidenceExport] = [Role.Officer],
        [Permission.StatusRead] = [Role.Specialist, Role.Officer, Role.Auditor, Role.Admin],
    };

    /// <summary>Permissions the service itself holds when it acts on a schedule: starting crawls and enforcing retention.</summary>
    private static readonly HashSet<Permission> Service = [Permission.CrawlRun, Permission.RetentionRun, Permission.HitsLink];

    /// <summary>Permissions only an officer holds: with a required second factor, they wait for it.</summary>
    public static bool IsOfficerOnly(Permission permission) => Matrix[permission] is [Role.Officer];

    public static IReadOnlyList<Role> RolesFor(Permission permission) => Matrix[permission];

    public static bool Allows(Role role, Permission permission) => Matrix[permission].Contains(role);

    public static bool AllowsService(Permission permission) => Service.Contains(permission);

    /// <summary>Kebab-case name of a permission, as refusal rules and the README use it ("hits-read").</summary>
    public static string Name(Permission permission) => Kebab(permission.ToString());

    /// <summary>"PascalCase" as "pascal-case": how permissions, states and other enum names are written for people and keys.</summary>
    public static string Kebab(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(text[i]));
        }

        return sb.ToString();
    }
}
