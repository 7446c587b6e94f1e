using System.Security.Claims;
using System.Text.Encodings.Web;
using Crawler.Core.Mandates;
using Crawler.Service.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Crawler.Web.Api;

/// <summary>
/// The API's only way in: the CLI's sign-in token as <c>Authorization: Bearer TOKEN</c>, proved on every request as the
/// console proves its session (<see cref="IdentityService.AuthenticateTokenAsync"/>: expired, revoked or disabled is
/// refused and audited). The session cookie is never looked at, so a page in a signed-in browser cannot reach the API
/// (no cross-site request forgery, and no antiforgery token needed).
/// </summary>
internal sealed class BearerToken(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "crawler-token";

    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length == Prefix.Length)
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[Prefix.Length..].Trim();
        Core.Users.Principal principal;
        try
        {
            principal = await Context.RequestServices.GetRequiredService<IdentityService>().AuthenticateTokenAsync(token, null, Context.RequestAborted);
        }
        catch (RefusalException ex)
        {
            return AuthenticateResult.Fail(ex.Rule);
        }

        Context.RequestServices.GetRequiredService<AccessControl>().ActAs(principal);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, principal.Name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 with the reason as JSON (never a sign-in page: the API has none).</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new ApiError("auth.required", "send the token of 'crawler login' as 'Authorization: Bearer TOKEN'", []));
    }
}
