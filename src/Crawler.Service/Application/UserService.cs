using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Crawler.Core.Yaml;

namespace Crawler.Service.Application;

public sealed class UserService(CrawlerContext context)
{
    /// <summary>
    /// Adds a user. Only an admin may, except for the very first admin of a new installation,
    /// which bootstraps the folder (recorded as such in the audit trail).
    /// </summary>
    public User Add(string name, string roleText, string? actingAs)
    {
        if (!User.IsValidName(name))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME",
                $"'{name}' is not a valid user name: 2-64 characters, lower-case letters, digits, '.', '-', '_', starting with a letter"));
        }

        if (!User.TryParseRole(roleText, out var role))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "--role",
                $"unknown role '{roleText}' (known: specialist, officer, auditor, admin)"));
        }

        var store = context.Store;
        var hasAdmin = store.Users().Any(u => u.Role == Role.Admin);
        string actor;
        if (!hasAdmin && actingAs is null)
        {
            if (role != Role.Admin)
            {
                throw new RefusalException("users.bootstrap",
                    "this installation has no admin yet: add an admin first ('crawler users add NAME --role admin')");
            }

            actor = "bootstrap (" + Environment.UserName + ")";
        }
        else
        {
            var admin = context.RequireUser(actingAs);
            context.RequireRole(admin, "users-add", "user:" + name, Role.Admin);
            actor = admin.Name;
        }

        var user = new User(name, role, context.Now, actor);
        if (!store.TryAddUser(user))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"user '{name}' already exists"));
        }

        context.Audit(new AuditRecord(actor, AuditOperation.Configure, "user:" + name, "ok", $"added user '{name}' with role {role.ToString().ToLowerInvariant()}", "users.add"));
        return user;
    }

    public IReadOnlyList<User> List() => context.Store.Users();
}
