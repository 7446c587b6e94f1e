using System.Globalization;
using System.Text;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Issue 24 in the real browser: every console page (each rendering of it: the forms of a page differ by role; see
/// <see cref="ConsolePage.RenderedFor"/>) and the refusal page, in Dutch and in English, with sample data loaded, shows zero axe-core violations for WCAG 2.0/2.1 A and AA; its
/// <c>lang</c> is the chosen language; and at a 320 px wide viewport the page does not scroll sideways.
/// </summary>
public sealed class ConsoleAccessibilityTests : ConsoleBrowserFixture
{
    public static IEnumerable<TestCaseData> PeopleAndLanguages() =>
        from language in new[] { "nl", "en" }
        from person in ConsoleServer.People
        select new TestCaseData(person, language).SetName($"Every_page_as_{person}_in_{language}_has_no_axe_violations_and_reflows");

    [Test]
    public async Task Control_axe_reports_an_unlabelled_field_and_a_page_without_lang()
    {
        await Page.SetContentAsync("<!DOCTYPE html><html><head><title>control</title></head><body><main><input type=text></main></body></html>");
        var rules = (await ViolationsAsync()).Select(v => v.Id).ToList();
        Assert.That(rules, Does.Contain("label").And.Contain("html-has-lang"), "the checks of this fixture can fail");
    }

    [TestCaseSource(nameof(PeopleAndLanguages))]
    public async Task Every_page_has_no_axe_violations_and_reflows_at_320_px(ConsolePerson person, string language)
    {
        await UseLanguageAsync(language);
        await SignInAsync(person);
        var violations = new StringBuilder();
        var checkedPages = new List<string>();
        var pages = ConsolePage.RenderedFor(person).ToList();
        if (ConsolePage.RefusedFor(person) is { } refused)
        {
            pages.Add(refused);
        }

        foreach (var page in pages)
        {
            var response = await Page.GotoAsync(Server.Url(page.Path(Server)).AbsoluteUri);
            var expected = page.Opens(person) ? 200 : 403;
            Assert.That(response!.Status, Is.EqualTo(expected), $"{page.Name} as {person}");
            var name = expected == 200 ? page.Name : page.Name + " (refused)";
            checkedPages.Add(name);
            Assert.That(await Page.GetAttributeAsync("html", "lang"), Is.EqualTo(language), $"{name}: lang");
            Assert.That(await Page.Locator("h1").CountAsync(), Is.EqualTo(1), $"{name}: one h1");

            foreach (var v in (await ViolationsAsync()).Concat(await CaptureDocumentViolationsAsync()))
            {
                violations.AppendLine(CultureInfo.InvariantCulture, $"{name}: {v.Id} ({v.Impact}): {v.Help}");
                foreach (var node in v.Nodes.Take(3))
                {
                    violations.AppendLine(CultureInfo.InvariantCulture, $"    {string.Join(' ', node.Target)}: {node.Html}");
                }
            }

            await Page.SetViewportSizeAsync(320, 800);
            var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.That(overflow, Is.LessThanOrEqualTo(0), $"{name}: at 320 px the page scrolls sideways by {overflow} px");
            await Page.SetViewportSizeAsync(1280, 900);
        }

        TestContext.Out.WriteLine($"axe ({string.Join(", ", Tags)}) as {person} in {language}: {string.Join(", ", checkedPages)}");
        Assert.That(violations.ToString(), Is.Empty, "axe-core violations");
    }
}
