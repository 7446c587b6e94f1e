namespace Crawler.Web.Infrastructure;

/// <summary>The console's pages that need no sign-in; every other page needs one, and most a permission of the access matrix.</summary>
public static class ConsolePages
{
    public static IReadOnlyList<string> Anonymous { get; } = ["/SignIn", "/FirstSignIn", "/Accessibility", "/Error", "/Language"];
}
