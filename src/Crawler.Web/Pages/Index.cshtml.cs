using Crawler.Web.Infrastructure;

namespace Crawler.Web.Pages;

/// <summary>The start page: what the signed-in person's role lets them do here, as links.</summary>
[SignedIn]
public sealed class IndexModel : ConsolePageModel
{
    public void OnGet()
    {
    }
}
