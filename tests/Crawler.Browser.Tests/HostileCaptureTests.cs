using Crawler.Web.Infrastructure;
using Microsoft.Playwright;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Issue 21, item 8: captured content is hostile and must not reach out. The hostile page (<see cref="HostilePage"/>) was
/// crawled for real from a loopback origin that counts its requests; shown to a specialist (the minimised text) and to an
/// officer (the raw snapshot), not one request reaches that origin, no dialog opens, neither the page nor its frame
/// navigates, the frame is loaded without cookies, and the title of markup is shown as text.
/// </summary>
public sealed class HostileCaptureTests : ConsoleBrowserFixture
{
    public static IEnumerable<TestCaseData> Readers() =>
        from person in ConsoleServer.People.Where(p => p.Name is "sanne" or "pieter")
        select new TestCaseData(person).SetName($"The_hostile_page_reaches_nothing_when_{person}_reads_it");

    [TestCaseSource(nameof(Readers))]
    public async Task A_hostile_capture_sends_no_request_to_its_origin_opens_no_dialog_and_does_not_navigate(ConsolePerson person)
    {
        await SignInAsync(person);
        var dialogs = new List<string>();
        Page.Dialog += async (_, d) =>
        {
            dialogs.Add(d.Message);
            await d.DismissAsync();
        };
        var captureRequests = new List<IRequest>();
        Page.Request += (_, r) =>
        {
            if (new Uri(r.Url).AbsolutePath.StartsWith(CaptureFrame.PathPrefix + "/", StringComparison.Ordinal))
            {
                captureRequests.Add(r);
            }
        };
        var before = Server.HostileSite.Requests.Count;
        var hitUrl = Server.Url("/hits/" + ConsoleServer.Id(Server.HostileHit)).AbsoluteUri;

        await Page.GotoAsync(hitUrl, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        var frame = Page.Frames.Single(f => f != Page.MainFrame);
        var frameUrl = frame.Url;
        // The page's meta refresh waited a second: three seconds give it, the handlers and the lazy loads their chance.
        await Page.WaitForTimeoutAsync(3_000);

        Assert.That(Server.HostileSite.Requests.Skip(before).Select(r => r.Path), Is.Empty, "requests that reached the site's origin while its page was shown");
        Assert.That(dialogs, Is.Empty, "dialogs opened");
        Assert.That(Page.Url, Is.EqualTo(hitUrl), "the console page did not navigate");
        Assert.That(frame.Url, Is.EqualTo(frameUrl), "the frame did not navigate");
        Assert.That(captureRequests, Has.Count.EqualTo(1), "the frame was loaded once");
        Assert.That(await captureRequests[0].AllHeadersAsync(), Does.Not.ContainKey("cookie"), "the frame's request carries no cookie");

        Assert.That(await Page.Locator("iframe.capture").GetAttributeAsync("sandbox"), Is.EqualTo(""), "sandboxed without any allowance");
        var frameText = await frame.Locator("body").InnerTextAsync();
        Assert.That(frameText, Does.Contain("06-12345678"), "the stored words are shown");
        Assert.That(await Page.Locator("h2#capture-heading ~ p#capture-hint").InnerTextAsync(), Is.Not.Empty);
        Assert.That(await Page.Locator("dd .captured").First.InnerTextAsync(), Is.EqualTo(HostilePage.Title), "the title of markup is shown as text");
        if (person.Name == "pieter")
        {
            Assert.That(frameText, Does.Contain("[javascript:alert('link')]"), "the officer sees the snapshot, its links as text");
        }
        else
        {
            Assert.That(frameText, Does.Not.Contain("javascript:"), "the specialist sees the minimised text, not the raw page");
        }
    }
}
