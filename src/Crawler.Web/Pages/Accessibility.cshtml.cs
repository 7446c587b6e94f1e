namespace Crawler.Web.Pages;

/// <summary>The accessibility statement, after the structure of the Dutch public sector's model statement; readable without signing in.</summary>
public sealed class AccessibilityModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
