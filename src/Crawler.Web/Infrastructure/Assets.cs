namespace Crawler.Web.Infrastructure;

/// <summary>The console's stylesheet and script, compiled into the program (nothing is fetched from elsewhere).</summary>
internal static class Assets
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
    };

    public static IResult Serve(string name)
    {
        if (!Types.TryGetValue(name, out var type) || typeof(Assets).Assembly.GetManifestResourceStream("Crawler.Web.Assets." + name) is not { } stream)
        {
            return Results.NotFound();
        }

        return Results.Stream(stream, type);
    }
}
