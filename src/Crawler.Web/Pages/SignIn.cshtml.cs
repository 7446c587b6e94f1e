using Crawler.Core.Mandates;
using Crawler.Service.Access;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages;

/// <summary>
/// Sign-in with the CLI's identities: password, then the second factor when the account has one. Failures, lockout
/// and sign-ins are the identity service's audit entries; the token it issues becomes the session.
/// </summary>
public sealed class SignInModel : ConsolePageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool SignedOut { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturn(ReturnUrl)) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Require(Name, "name", "signin.name-missing");
        Require(Password, "password", "signin.password-missing");

        if (Errors.Count > 0)
        {
            return Page();
        }

        var identity = HttpContext.RequestServices.GetRequiredService<IdentityService>();
        try
        {
            var code = string.IsNullOrWhiteSpace(Code) ? null : Code.Trim();
            var signIn = await identity.LoginAsync(Name!.Trim(), (kind, _) => kind switch
            {
                SecretKind.Password => Password,
                SecretKind.TotpCode => code,
                _ => throw new NotEnrolledYet(),
            }, code, ct);
            await StartSessionAsync(HttpContext, identity, signIn.Token, signIn.User.Name, ct);
            return LocalRedirect(SafeReturn(ReturnUrl));
        }
        catch (NotEnrolledYet)
        {
            Errors.Add(new FormError("name", T["signin.first-time"]));
        }
        catch (RefusalException ex)
        {
            Errors.Add(new FormError("password", SignInRefusal(ex, "signin.failed")));
        }

        Password = null;
        Code = null;
        return Page();
    }

    /// <summary>The session for a token just issued: the cookie carries it, every request proves it again.</summary>
    internal static async Task StartSessionAsync(HttpContext http, IdentityService identity, string token, string name, CancellationToken ct)
    {
        var principal = await identity.AuthenticateTokenAsync(token, name, ct);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleUser.ClaimsFor(principal, token),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
    }

    internal static string SafeReturn(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";

    /// <summary>The account has no password yet: its first sign-in is on the enrolment page, with the admin's code.</summary>
    private sealed class NotEnrolledYet : Exception;
}
