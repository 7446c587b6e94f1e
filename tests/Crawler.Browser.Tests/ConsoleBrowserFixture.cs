using Crawler.Web;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Browser tests of the web console: the shared <see cref="ConsoleServer"/>, chromium with one context per test, and
/// helpers to choose the language, sign in with the keyboard and walk the focus order with Tab.
/// </summary>
public abstract class ConsoleBrowserFixture : BrowserFixture
{
    protected ConsoleServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartConsoleAsync() => Server = await ConsoleServer.SharedAsync();

    /// <summary>The axe-core rule tags the console must pass: WCAG 2.0 and 2.1, levels A and AA.</summary>
    protected static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// The axe-core violations of the page as it is now. Frames are left out: the hit page's capture frame is sandboxed
    /// without scripts, so axe cannot run inside it (and would wait for ever); its document is checked on its own
    /// (<see cref="CaptureDocumentViolationsAsync"/>).
    /// </summary>
    protected Task<AxeResultItem[]> ViolationsAsync() => ViolationsAsync(Page);

    private static async Task<AxeResultItem[]> ViolationsAsync(IPage page) =>
        (await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] }, Iframes = false })).Violations;

    /// <summary>
    /// The axe-core violations of the document the page's capture frame shows (none when it has no such frame): loaded
    /// by its ticket and set as the content of a page of its own, where axe may run.
    /// </summary>
    protected async Task<AxeResultItem[]> CaptureDocumentViolationsAsync()
    {
        if (await Page.Locator("iframe.capture").CountAsync() == 0)
        {
            return [];
        }

        var src = await Page.Locator("iframe.capture").GetAttributeAsync("src");
        var response = await Page.APIRequest.GetAsync(Server.Url(src!).AbsoluteUri);
        var html = await response.TextAsync();
        var own = await Page.Context.NewPageAsync();
        try
        {
            await own.SetContentAsync(html);
            return await ViolationsAsync(own);
        }
        finally
        {
            await own.CloseAsync();
        }
    }

    /// <summary>Asserts the page as it is now (an error state, say) has no axe-core violations.</summary>
    protected async Task AssertNoViolationsAsync(string state)
    {
        var found = (await ViolationsAsync()).Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => string.Join(' ', n.Target)))}");
        Assert.That(found, Is.Empty, $"axe-core violations on {state}");
    }

    /// <summary>The page's language from now on: <c>nl</c> (the default) or <c>en</c>, as the language button would set it.</summary>
    protected async Task UseLanguageAsync(string language)
    {
        var culture = language == "en" ? "en-GB" : "nl-NL";
        await Page.Context.AddCookiesAsync(
        [
            new Cookie { Name = ConsoleHosting.LanguageCookieName, Value = $"c={culture}|uic={culture}", Url = Server.BaseUrl.AbsoluteUri },
        ]);
    }

    /// <summary>Signs in through the form with the keyboard only: Tab to each field, type, Enter.</summary>
    protected async Task SignInAsync(ConsolePerson person)
    {
        await Page.GotoAsync(Server.Url("/signin").AbsoluteUri);
        if (person.Name is not { } name)
        {
            return;
        }

        await TabToAsync("#name");
        await Page.Keyboard.TypeAsync(name);
        await TabToAsync("#password");
        await Page.Keyboard.TypeAsync(Server.PasswordOf(name));
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// Presses Tab until the focused element matches <paramref name="selector"/>, asserting on the way that every element
    /// that takes focus shows it (an outline or a box shadow); returns the ids (or tag and text) of the elements passed.
    /// </summary>
    protected async Task<IReadOnlyList<string>> TabToAsync(string selector, int maxTabs = 60, bool backwards = false)
    {
        await SettleAsync();
        var passed = new List<string>();
        for (var i = 0; i < maxTabs; i++)
        {
            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var focus = await Page.EvaluateAsync<FocusState>(FocusScript, selector);
            passed.Add(focus.Name);
            Assert.That(focus.Visible, Is.True, $"focus is visible on {focus.Name} ({Page.Url})");
            if (focus.Matches)
            {
                return passed;
            }
        }

        Assert.Fail($"{selector} was not reached with {maxTabs} presses of Tab on {Page.Url}; passed: {string.Join(", ", passed)}");
        return passed;
    }

    /// <summary>Presses a key (Enter on a link or a submit button) and waits until the page at an address holding <paramref name="arrivesAt"/> has loaded.</summary>
    protected async Task PressAndWaitAsync(string key, string arrivesAt)
    {
        await Page.Keyboard.PressAsync(key);
        await Page.WaitForURLAsync(u => u.Contains(arrivesAt, StringComparison.Ordinal));
        await SettleAsync();
    }

    /// <summary>
    /// Waits until the browser has given focus to the page's autofocus element, if it has one: it does so in a rendering
    /// step after the load event, and a key pressed before then goes to whatever had focus. A page that never moves focus
    /// there is left to the test's own assertions, which then say what has focus.
    /// </summary>
    protected async Task SettleAsync()
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "() => { const a = document.querySelector('[autofocus]'); return !a || document.activeElement === a || a.contains(document.activeElement) || document.activeElement !== document.body; }",
                null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // The assertions that follow report the focus as it is.
        }
    }

    /// <summary>A text of the console in <paramref name="language"/>, its placeholders filled in.</summary>
    protected static string Said(string language, string key, params object[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Crawler.Web.Infrastructure.Text.Get(key, ConsoleHosting.Cultures[language == "en" ? 1 : 0]), args);

    /// <summary>What has focus (as Playwright reads it back from the page: settable properties).</summary>
    public sealed class FocusState
    {
        public string Name { get; set; } = "";

        public bool Matches { get; set; }

        public bool Visible { get; set; }
    }

    private const string FocusScript = """
        selector => {
            const e = document.activeElement;
            if (!e || e === document.body) return { name: 'body', matches: false, visible: false };
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            const name = e.id ? '#' + e.id : e.tagName.toLowerCase() + '[' + (e.getAttribute('href') || e.getAttribute('name') || e.textContent.trim().slice(0, 30)) + ']';
            return { name, matches: e.matches(selector), visible: outline || shadow };
        }
        """;
}
