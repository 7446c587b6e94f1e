namespace Crawler.Core.Users;

/// <summary>
/// Who is acting, once authenticated: a person with a role, or the service itself acting on its
/// schedule. Audit entries name <see cref="Name"/>.
/// </summary>
public sealed record Principal(string Name, Role? Role, bool IsService, bool SecondFactorEnrolled = false)
{
    public const string ServiceName = "crawler-service";

    public static Principal Service { get; } = new(ServiceName, null, IsService: true);

    public static Principal Of(User user, bool secondFactor) => new(user.Name, user.Role, IsService: false, secondFactor);

    public bool May(Permission permission) =>
        IsService ? AccessPolicy.AllowsService(permission) : Role is { } r && AccessPolicy.Allows(r, permission);
}
