using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Crawler.Web.Pages;

/// <summary>The person's choice of language, kept in a cookie of its own (Dutch until they choose).</summary>
public sealed class LanguageModel : ConsolePageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (ConsoleHosting.Cultures.FirstOrDefault(c => c.Name == culture) is { } chosen)
        {
            Response.Cookies.Append(ConsoleHosting.LanguageCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
        }

        return LocalRedirect(SignInModel.SafeReturn(returnUrl));
    }
}
