using Crawler.EndToEnd.Tests;

namespace Crawler.Browser.Tests;

/// <summary>
/// A loopback site for "run now": a start page linking to an ad and to a page robots.txt refuses; the ad answers only
/// once the test opens the gate, so the test sees the run under way before it sees its final counts.
/// </summary>
public sealed class GatedSite : IAsyncDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatedSite(FixtureServer server) => Server = server;

    public FixtureServer Server { get; }

    /// <summary>The site's target, under an approved mandate, never crawled before its test.</summary>
    public long Target { get; set; }

    /// <summary>The name the target has in the lab.</summary>
    public string Name { get; init; } = "";

    public static async Task<GatedSite> StartAsync(string name)
    {
        GatedSite? site = null;
        var server = await FixtureServer.StartAsync(new Dictionary<string, Func<Microsoft.AspNetCore.Http.HttpContext, Task>>
        {
            ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow: /private/\n"),
            ["/"] = FixtureServer.Html(FixtureServer.LinkPage("/ad", "/private/one")),
            ["/ad"] = async ctx =>
            {
                await site!._gate.Task;
                await FixtureServer.Html(FixtureServer.AdPage("Voortgang", "06-11223344"))(ctx);
            },
        });
        site = new GatedSite(server) { Name = name };
        return site;
    }

    /// <summary>Lets the ad answer: the run can finish.</summary>
    public void Open() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Open();
        await Server.DisposeAsync();
    }
}
