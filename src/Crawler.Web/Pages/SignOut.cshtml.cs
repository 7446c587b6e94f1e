using System.Security.Claims;
using Crawler.Service.Access;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages;

/// <summary>Signing out revokes the session's token (an audit entry), so a copied cookie stops working too.</summary>
[SignedIn]
public sealed class SignOutModel : ConsolePageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.FindFirstValue(ConsoleUser.TokenClaim) is { } token)
        {
            await HttpContext.RequestServices.GetRequiredService<IdentityService>().LogoutAsync(token, ct);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/signin?signedOut=true");
    }
}
