using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Users;
using Crawler.Service.Audit;

namespace Crawler.Service.Access;

/// <summary>
/// Who acts in this scope (one CLI command, one web request, one scheduled job), and whether the access matrix
/// lets them. The principal is authenticated when a command first needs to know it, so commands that need no
/// one never ask for a password. Every refusal is an audit entry.
/// </summary>
public sealed class AccessControl(IUserStore users, AuditTrail audit, IdentityPolicy identity)
{
    private Func<CancellationToken, Task<Principal?>>? _authenticate;
    private Principal? _principal;

    /// <summary>How the person is authenticated when first needed: the CLI checks a token or asks for a password then.</summary>
    public void UseAuthentication(Func<CancellationToken, Task<Principal?>> authenticate) => _authenticate = authenticate;

    /// <summary>The service acts on its own schedule: crawls and retention, nothing a person must decide.</summary>
    public void ActAsService() => _principal = Principal.Service;

    /// <summary>Acts as an already authenticated principal (a web request whose cookie was checked).</summary>
    public void ActAs(Principal principal) => _principal = principal;

    /// <summary>Who acts: authenticated on first use; refused (and logged) when nobody signed in.</summary>
    public async Task<Principal> PrincipalAsync(CancellationToken ct = default)
    {
        if (_principal is not null)
        {
            return _principal;
        }

        var authenticated = _authenticate is null ? null : await _authenticate(ct);
        if (authenticated is null)
        {
            const string reason = "nobody is signed in: run 'crawler login --as NAME' first (or give --as NAME and type the password)";
            await audit.AppendAsync(new AuditRecord("anonymous", AuditOperation.Authenticate, "session", "refused", reason, "auth.required"), ct);
            throw new RefusalException("auth.required", reason);
        }

        return _principal = authenticated;
    }

    /// <summary>
    /// The acting principal if the access matrix lets them do <paramref name="permission"/>; otherwise the refusal is
    /// recorded (rule <c>access.PERMISSION</c>) and thrown.
    /// </summary>
    public async Task<Principal> AuthorizeAsync(Permission permission, string subject, CancellationToken ct = default)
    {
        var who = await PrincipalAsync(ct);
        var name = AccessPolicy.Name(permission);
        string? reason = null;
        if (!who.May(permission))
        {
            reason = who.IsService
                ? $"the service may not {name}"
                : $"'{who.Name}' is {who.Role.ToString()!.ToLowerInvariant()}; {name} needs " +
                  string.Join(" or ", AccessPolicy.RolesFor(permission).Select(r => r.ToString().ToLowerInvariant()));
        }
        else if (!who.IsService && who.Role == Role.Officer && AccessPolicy.IsOfficerOnly(permission) &&
                 identity.OfficerSecondFactor == SecondFactor.RequiredForOfficers && !who.SecondFactorEnrolled)
        {
            reason = $"'{who.Name}' must enrol a second factor ('crawler users totp enrol') before {name}";
        }

        if (reason is not null)
        {
            await audit.AppendAsync(new AuditRecord(who.Name, AuditOperation.Refuse, subject, "refused", reason, "access." + name), ct);
            throw new RefusalException("access." + name, reason);
        }

        return who;
    }

    /// <summary>
    /// The signed-in person, who must be the one named with --as when a name is given: the name alone proves nothing,
    /// the credential does.
    /// </summary>
    public async Task<User> RequireUserAsync(string? claimedName, CancellationToken ct = default)
    {
        var user = await SignedInUserAsync(ct);
        if (claimedName is not null && !string.Equals(claimedName, user.Name, StringComparison.Ordinal))
        {
            const string rule = "auth.mismatch";
            var reason = $"signed in as '{user.Name}', not '{claimedName}'";
            await audit.AppendAsync(new AuditRecord(user.Name, AuditOperation.Refuse, "session", "refused", reason, rule), ct);
            throw new RefusalException(rule, reason);
        }

        return user;
    }

    /// <summary>The signed-in person (not the service).</summary>
    public async Task<User> SignedInUserAsync(CancellationToken ct = default)
    {
        var who = await PrincipalAsync(ct);
        return (who.IsService ? null : await users.FindAsync(who.Name, ct))
               ?? throw new RefusalException("auth.required", "this needs a person signed in, not the service");
    }
}
