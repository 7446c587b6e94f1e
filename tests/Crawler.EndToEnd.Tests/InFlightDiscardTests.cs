using System.Globalization;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// A request allowed when it was sent can come back after the mandate ended: what comes back then is
/// discarded unread (nothing extracted, no links followed, no hit) and the trail says why.
/// </summary>
public sealed class InFlightDiscardTests
{
    [TestCase("revoke", "revoked")]
    [TestCase("suspend", "suspended")]
    public async Task A_response_that_arrives_after_the_mandate_ended_is_discarded_not_stored(string action, string state)
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var site = await FixtureServer.StartAsync(new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/"] = async ctx =>
            {
                // Held until the test has ended the mandate: the response is then in flight across the change.
                requested.TrySetResult();
                await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await FixtureServer.Html(FixtureServer.AdPage("Nieuw in de stad", "06-12345678", "/next"))(ctx);
            },
            ["/next"] = FixtureServer.Html(FixtureServer.AdPage("Ander", "06-87654321")),
        });
        using var lab = await Lab.CreateAsync();
        var (target, mandate) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

        var crawl = lab.Run("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await lab.Ok("mandate", action, mandate.ToString(CultureInfo.InvariantCulture), "--as", "olga", "--reason", "test: ended while a page was in flight");
        answer.SetResult();
        var result = await crawl;

        Assert.That(result.Code, Is.EqualTo(0), result.Err);
        Assert.That(result.Json.GetProperty("hits").GetInt32(), Is.Zero);
        Assert.That(result.Json.GetProperty("discarded").GetInt32(), Is.EqualTo(1));
        Assert.That(result.Json.GetProperty("state").GetString(), Is.EqualTo("stopped"));
        Assert.That(site.Paths, Does.Not.Contain("/next"), "no link of the discarded page is followed");
        using var ctx = lab.OpenContext();
        Assert.That(ctx.Store.Hits(null), Is.Empty);
        var entries = ctx.Store.Entries().ToList();
        var discard = entries.Single(e => e.Record.Rule == "mandate.ended-in-flight");
        Assert.Multiple(() =>
        {
            Assert.That(discard.Record.Operation, Is.EqualTo("discard"));
            Assert.That(discard.Record.Reason, Does.Contain(state).And.Contain("discarded"));
            Assert.That(discard.Record.ContentSha256, Has.Length.EqualTo(64), "the trail still proves what arrived");
            Assert.That(entries.Where(e => e.Record.Operation is "store" or "collect" && e.Record.MandateId == mandate
                && e.Record.Rule != "robots.fetch"), Is.Empty, "nothing of the page was collected or stored");
        });
        Assert.That((await lab.Run("audit", "verify", "--as", "aaron")).Code, Is.Zero);
    }
}
