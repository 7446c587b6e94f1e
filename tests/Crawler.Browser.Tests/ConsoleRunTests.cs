using Crawler.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// "Run now" in the real browser: a specialist starts a crawl of a loopback site, lands on the run's page while the run
/// is under way (the site holds its ad back), and sees the counts reach their final values without reloading the page
/// and without focus moving; once by mouse, and by keyboard alone in Dutch and in English.
/// </summary>
public sealed class ConsoleRunTests : ConsoleBrowserFixture
{
    private static readonly ConsolePerson Specialist = ConsoleServer.People.Single(p => p.Name == "sanne");

    [Test]
    public async Task A_specialist_presses_run_now_and_sees_the_counts_reach_their_final_values()
    {
        var site = Server.GatedSites["click"];
        await SignInAsync(Specialist);
        await Page.GotoAsync(Server.Url("/runs").AbsoluteUri);
        await Page.SelectOptionAsync("#run-target", ConsoleServer.Id(site.Target));
        await Page.ClickAsync("#run-now");
        await Page.WaitForURLAsync(u => u.Contains("/runs/", StringComparison.Ordinal));

        await FollowToTheEndAsync(site, "nl");
        await AssertNoViolationsAsync("a finished run's page");
    }

    [TestCase("nl")]
    [TestCase("en")]
    public async Task A_specialist_runs_a_crawl_by_keyboard_alone_and_follows_it(string language)
    {
        var site = Server.GatedSites["keyboard-" + language];
        await UseLanguageAsync(language);
        await SignInAsync(Specialist);
        await TabToAsync("nav a[href='/runs']");
        await PressAndWaitAsync("Enter", "/runs");

        await TabToAsync("#run-target");
        var wanted = ConsoleServer.Id(site.Target);
        for (var i = 0; i < 40 && await Page.InputValueAsync("#run-target") != wanted; i++)
        {
            await Page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.That(await Page.InputValueAsync("#run-target"), Is.EqualTo(wanted), "the target is chosen with the arrow keys");
        Assert.That(await TabToAsync("#run-now", maxTabs: 1), Has.Count.EqualTo(1), "the button follows the field");
        await PressAndWaitAsync("Enter", "/runs/");

        await FollowToTheEndAsync(site, language);
    }

    [Test]
    public async Task Run_now_without_a_target_puts_focus_on_a_summary_linking_to_the_field()
    {
        await SignInAsync(Specialist);
        await Page.GotoAsync(Server.Url("/runs").AbsoluteUri);
        await Page.ClickAsync("#run-now");
        await Page.WaitForURLAsync(u => u.Contains("handler=run", StringComparison.Ordinal));
        await SettleAsync();

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('.error-summary')"), Is.True, "focus on the summary");
        Assert.That(await Page.Locator(".error-summary a").GetAttributeAsync("href"), Is.EqualTo("#run-target"));
        Assert.That(await Page.GetAttributeAsync("#run-target", "aria-invalid"), Is.EqualTo("true"));
        await AssertNoViolationsAsync("run now without a target");
    }

    /// <summary>
    /// On the run's page: the run is under way at load; the site lets its ad answer; the live region then shows the
    /// stored final counts, the same page (no reload) with focus where it was.
    /// </summary>
    private async Task FollowToTheEndAsync(GatedSite site, string language)
    {
        Assert.That(await Page.InnerTextAsync("[data-field=state]"), Is.EqualTo(Said(language, "run.running")), "under way when the page loads");
        Assert.That(await Page.GetAttributeAsync("#run-progress", "aria-live"), Is.EqualTo("polite"));
        Assert.That(await Page.Locator("a[href^='/runs/']").Filter(new() { HasText = Said(language, "runs.refresh") }).CountAsync(), Is.EqualTo(1),
            "without scripts, a link loads the progress again");
        await Page.EvaluateAsync("() => { window.sameDocument = true; }");
        var focusBefore = await FocusedAsync();

        site.Open();
        await Page.WaitForFunctionAsync($"() => document.querySelector('[data-field=state]').textContent === '{Said(language, "run.completed")}'",
            null, new() { Timeout = 30_000 });

        var store = Server.App.Services.GetRequiredService<ICrawlStateStore>();
        var run = (await store.RunsAsync(site.Target, CancellationToken.None)).Single();
        Assert.That(run.State, Is.EqualTo(RunState.Completed));
        Assert.That(run.Refused, Is.EqualTo(1), "the page robots.txt disallows");
        Assert.That(run.Hits, Is.EqualTo(1), "the ad");
        Assert.That(Page.Url, Does.EndWith("/runs/" + ConsoleServer.Id(run.Id)));
        Assert.That(await Page.InnerTextAsync("[data-field=fetched]"), Is.EqualTo(ConsoleServer.Id(run.Fetched)));
        Assert.That(await Page.InnerTextAsync("[data-field=refused]"), Is.EqualTo(ConsoleServer.Id(run.Refused)));
        Assert.That(await Page.InnerTextAsync("[data-field=hits]"), Is.EqualTo(ConsoleServer.Id(run.Hits)));
        Assert.That(await Page.EvaluateAsync<bool>("() => window.sameDocument === true"), Is.True, "updated in place, not reloaded");
        Assert.That(await FocusedAsync(), Is.EqualTo(focusBefore), "the updates never move focus");
    }

    private Task<string> FocusedAsync() =>
        Page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? e.tagName + '#' + e.id : ''; }");
}
