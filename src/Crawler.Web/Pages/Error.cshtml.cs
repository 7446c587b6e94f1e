using Crawler.Core.Mandates;
using Crawler.Core.Yaml;
using Crawler.Web.Infrastructure;

namespace Crawler.Web.Pages;

/// <summary>Error pages (refused, not found, bad input, failure): what happened in words, the rule that decided, never a stack trace.</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : ConsolePageModel
{
    public int Code { get; private set; }

    public string? Rule { get; private set; }

    /// <summary>The service's own explanation (in English, as the CLI prints it).</summary>
    public string? Reason { get; private set; }

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        Code = code is 400 or 403 or 404 or 429 ? code : 500;
        Response.StatusCode = code;
        switch (HttpContext.Items[AccessFilter.RefusalItem])
        {
            case RefusalException refusal:
                Rule = refusal.Rule;
                Reason = refusal.Message;
                break;
            case InputException input:
                Reason = string.Join("; ", input.Problems.Select(p => p.Message));
                break;
        }
    }
}
