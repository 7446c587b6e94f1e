using Crawler.Core.Mandates;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages;

/// <summary>The first sign-in: the one-time code an admin handed over, and the person's own new password (the CLI's enrolment).</summary>
public sealed class FirstSignInModel : ConsolePageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? EnrolmentCode { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? RepeatPassword { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Require(Name, "name", "signin.name-missing");
        Require(EnrolmentCode, "enrolment-code", "first.code-missing");
        Require(NewPassword, "new-password", "first.password-missing");

        if (Errors.Count > 0)
        {
            return Page();
        }

        var identity = HttpContext.RequestServices.GetRequiredService<IdentityService>();
        try
        {
            var signIn = await identity.LoginAsync(Name!.Trim(), (kind, _) => kind switch
            {
                SecretKind.EnrolmentCode => EnrolmentCode,
                SecretKind.NewPassword => NewPassword,
                SecretKind.RepeatNewPassword => RepeatPassword,
                _ => throw new AlreadyEnrolled(),
            }, null, ct);
            await SignInModel.StartSessionAsync(HttpContext, identity, signIn.Token, signIn.User.Name, ct);
            return LocalRedirect("/");
        }
        catch (AlreadyEnrolled)
        {
            Errors.Add(new FormError("name", T["first.already"]));
        }
        catch (InputException ex)
        {
            // The password policy's own words (length, the name in it, the two differing), tied to the password field.
            AddProblems(ex, _ => "new-password");
        }
        catch (RefusalException ex)
        {
            Errors.Add(new FormError("enrolment-code", SignInRefusal(ex, "first.failed")));
        }

        EnrolmentCode = NewPassword = RepeatPassword = null;
        return Page();
    }

    private sealed class AlreadyEnrolled : Exception;
}
