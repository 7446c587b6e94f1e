using Crawler.Core.Mandates;
using System.Security.Claims;
using Crawler.Core.Users;
using Crawler.Service.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// A session is the CLI's sign-in token, carried in the encrypted, HttpOnly session cookie. Every request proves it
/// again with <see cref="IdentityService.AuthenticateTokenAsync"/>: a token that expired (the identity policy's hours),
/// was revoked (sign-out, an admin's reset) or whose account was disabled ends the session at once. The person it
/// stands for acts in this request's scope, exactly as a CLI command acts as its token's owner.
/// </summary>
internal sealed class SessionEvents : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var token = context.Principal?.FindFirstValue(ConsoleUser.TokenClaim);
        var name = context.Principal?.Identity?.Name;
        if (token is null || name is null)
        {
            context.RejectPrincipal();
            return;
        }

        var services = context.HttpContext.RequestServices;
        Principal principal;
        try
        {
            principal = await services.GetRequiredService<IdentityService>().AuthenticateTokenAsync(token, name, context.HttpContext.RequestAborted);
        }
        catch (RefusalException)
        {
            // Recorded by the identity service (auth.token, auth.disabled); the browser is sent to sign in again.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        services.GetRequiredService<AccessControl>().ActAs(principal);
        if (ConsoleUser.RoleOf(context.Principal!) != principal.Role || ConsoleUser.HasSecondFactor(context.Principal!) != principal.SecondFactorEnrolled)
        {
            // The account changed since sign-in (a new role, a second factor): the cookie follows the account.
            context.ReplacePrincipal(ConsoleUser.ClaimsFor(principal, token));
            context.ShouldRenew = true;
        }
    }
}

/// <summary>The signed-in person as the console's cookie carries them: name, role, second factor and the token.</summary>
public static class ConsoleUser
{
    public const string TokenClaim = "crawler:token";
    public const string SecondFactorClaim = "crawler:second-factor";

    public static ClaimsPrincipal ClaimsFor(Principal principal, string token) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, principal.Name),
            new Claim(ClaimTypes.Role, principal.Role is { } r ? IdentityService.RoleName(r) : ""),
            new Claim(SecondFactorClaim, principal.SecondFactorEnrolled ? "yes" : "no"),
            new Claim(TokenClaim, token),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static Role? RoleOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && User.TryParseRole(user.FindFirstValue(ClaimTypes.Role) ?? "", out var role) ? role : null;

    public static bool HasSecondFactor(ClaimsPrincipal user) => user.FindFirstValue(SecondFactorClaim) == "yes";

    /// <summary>Whether the access matrix lets the signed-in person do <paramref name="permission"/> (to show a link or a form; the services decide).</summary>
    public static bool May(ClaimsPrincipal user, Permission permission) => RoleOf(user) is { } role && AccessPolicy.Allows(role, permission);
}
