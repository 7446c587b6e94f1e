using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Issue 24's keyboard walkthroughs, one per role's main task, with Tab, Shift+Tab, Enter and Space only (and typing into
/// fields): every control on the way shows its focus, the task's controls come in the order of the form, and the task is
/// done (the service recorded it). Sign-in is by keyboard too.
/// </summary>
public sealed class ConsoleKeyboardTests : ConsoleBrowserFixture
{
    [Test]
    public async Task The_skip_link_is_the_first_stop_and_moves_focus_to_the_content()
    {
        await Page.GotoAsync(Server.Url("/accessibility").AbsoluteUri);
        var passed = await TabToAsync("a.skip-link", maxTabs: 1);
        Assert.That(passed, Has.Count.EqualTo(1), "the skip link is the first thing Tab reaches");
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("main"));
    }

    [Test]
    public async Task An_officer_with_a_second_factor_signs_in_with_the_code_by_keyboard_alone()
    {
        await Page.GotoAsync(Server.Url("/signin").AbsoluteUri);
        var order = await TabToAsync("#name");
        Assert.That(order[0], Is.EqualTo("a[#main]"), "the skip link first");
        await Page.Keyboard.TypeAsync("olga");
        Assert.That(await TabToAsync("#password", maxTabs: 1), Has.Count.EqualTo(1));
        await Page.Keyboard.TypeAsync(Server.PasswordOf("olga"));
        Assert.That(await TabToAsync("#code", maxTabs: 1), Has.Count.EqualTo(1));
        await Page.Keyboard.TypeAsync(Server.OlgaTotp.ComputeTotp(Server.Lab.Time.GetUtcNow().UtcDateTime));
        Assert.That(await TabToAsync("form.form button[type=submit]", maxTabs: 1), Has.Count.EqualTo(1));
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));

        Assert.That(await Page.Locator("p.who").InnerTextAsync(), Does.Contain("olga"));
    }

    [TestCase("nl")]
    [TestCase("en")]
    public async Task An_officer_approves_a_mandate_with_a_reason_by_keyboard_alone(string language)
    {
        var officer = ConsoleServer.People.Single(p => p.Name == "pieter");
        var id = ConsoleServer.Id(Server.KeyboardMandates[language]);
        await UseLanguageAsync(language);
        await SignInAsync(officer);

        await TabToAsync("nav a[href='/mandates']");
        await PressAndWaitAsync("Enter", "/mandates");
        await TabToAsync($"main a[href='/mandates/{id}']");
        await PressAndWaitAsync("Enter", "/mandates/" + id);

        // The weighing is a table a keyboard user reaches (a scrollable region takes focus), before the decision.
        await TabToAsync("[aria-labelledby='weighing-caption']");
        var order = await TabToAsync("#approve-reason");
        Assert.That(order, Does.Not.Contain("#reject-reason"), "approve comes before reject");
        await Page.Keyboard.TypeAsync("Noodzakelijk en proportioneel: de weging is gemotiveerd.");
        var rest = await TabToAsync("form[action*='handler=approve'] button[type=submit]");
        Assert.That(rest, Is.EqualTo(new[] { "#approve-urgent", rest[^1] }), "reason, then urgent, then the approve button");
        Assert.That(rest[^1], Does.StartWith("button["));

        // Shift+Tab goes back the same way: no trap, the same order.
        Assert.That(await TabToAsync("#approve-reason", backwards: true), Is.EqualTo(new[] { "#approve-urgent", "#approve-reason" }));
        await TabToAsync("form[action*='handler=approve'] button[type=submit]");
        await PressAndWaitAsync("Enter", "done=approved");

        var notice = Page.Locator("p.notice[role=status]");
        Assert.That(await notice.InnerTextAsync(), Does.StartWith(Said(language, "mandate.done.approved", id, 1)));
        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('p.notice')"), Is.True, "focus moves to the confirmation");
        Assert.That(await Page.Locator("p.state").InnerTextAsync(), Does.Not.Contain(Said(language, "state.awaiting-approval")), "no longer awaiting approval");
    }

    [Test]
    public async Task An_approval_without_a_reason_puts_focus_on_an_error_summary_that_links_to_the_field()
    {
        var officer = ConsoleServer.People.Single(p => p.Name == "pieter");
        var id = ConsoleServer.Id(Server.PendingMandate);
        await SignInAsync(officer);
        await Page.GotoAsync(Server.Url("/mandates/" + id).AbsoluteUri);

        await TabToAsync("form[action*='handler=approve'] button[type=submit]");
        await PressAndWaitAsync("Enter", "handler=approve");

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('.error-summary')"), Is.True, "focus on the summary");
        var link = Page.Locator(".error-summary a");
        Assert.That(await link.GetAttributeAsync("href"), Is.EqualTo("#approve-reason"));
        Assert.That(await Page.GetAttributeAsync("#approve-reason", "aria-describedby"), Does.Contain("approve-reason-error"));
        Assert.That(await Page.GetAttributeAsync("#approve-reason", "aria-invalid"), Is.EqualTo("true"));
        await AssertNoViolationsAsync("the mandate page with an error");
        await TabToAsync(".error-summary a");
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("approve-reason"), "the link takes focus to the field");
        Assert.That(await Page.Locator("p.state").InnerTextAsync(), Does.Contain(Said("nl", "state.awaiting-approval")), "nothing was decided");
    }

    [TestCase("nl")]
    [TestCase("en")]
    public async Task A_specialist_reviews_a_hit_by_keyboard_alone(string language)
    {
        var specialist = ConsoleServer.People.Single(p => p.Name == "sanne");
        var hit = ConsoleServer.Id(Server.Hits[language == "nl" ? ^1 : ^2]);
        await UseLanguageAsync(language);
        await SignInAsync(specialist);

        await TabToAsync("nav a[href='/hits']");
        await PressAndWaitAsync("Enter", "/hits");
        await TabToAsync($"main a[href='/hits/{hit}']", maxTabs: 120);
        await PressAndWaitAsync("Enter", "/hits/" + hit);

        var order = await TabToAsync("#verdict-relevant");
        Assert.That(order, Does.Not.Contain("#review-note"), "the verdict comes before the note");
        await Page.Keyboard.PressAsync("Space");
        Assert.That(await Page.IsCheckedAsync("#verdict-relevant"), Is.True, "Space chooses the verdict");
        Assert.That(await TabToAsync("#review-note", maxTabs: 1), Has.Count.EqualTo(1), "Tab leaves the radio group for the note");
        await Page.Keyboard.TypeAsync("Advertentie past bij de indicatoren van de zaak.");
        Assert.That(await TabToAsync("form[action*='handler=review'] button[type=submit]", maxTabs: 1), Has.Count.EqualTo(1));
        await PressAndWaitAsync("Enter", "done=");

        Assert.That(await Page.Locator("[role=status]").First.InnerTextAsync(), Is.EqualTo(Said(language, "hit.done.reviewed", hit, Said(language, "verdict.relevant"))));
        Assert.That(await Page.ContentAsync(), Does.Contain("Advertentie past bij de indicatoren van de zaak."), "the review is in the hit's history");
    }

    [TestCase("nl")]
    [TestCase("en")]
    public async Task An_auditor_filters_the_trail_verifies_it_and_downloads_csv_by_keyboard_alone(string language)
    {
        var auditor = ConsoleServer.People.Single(p => p.Name == "aaron");
        await UseLanguageAsync(language);
        await SignInAsync(auditor);

        await TabToAsync("nav a[href='/audit']");
        await PressAndWaitAsync("Enter", "/audit");
        var order = await TabToAsync("#filter-actor");
        Assert.That(order.TakeLast(3), Is.EqualTo(new[] { "#filter-mandate", "#filter-case", "#filter-actor" }), "the filters in the form's order");
        await Page.Keyboard.TypeAsync("pieter");
        await TabToAsync("form.filters button[type=submit]");
        await PressAndWaitAsync("Enter", "actor=pieter");
        var actors = await Page.Locator("table.trail tbody td:nth-child(3)").AllInnerTextsAsync();
        Assert.That(actors, Is.Not.Empty.And.All.EqualTo("pieter"), "only pieter's entries");

        await TabToAsync("a[href*='handler=csv']");
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Keyboard.PressAsync("Enter"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.That(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(1), "a header and pieter's entries");
        Assert.That(csv, Does.Contain("pieter"));

        await TabToAsync("#checkpoint");
        await TabToAsync("form[action*='handler=verify'] button[type=submit]");
        await PressAndWaitAsync("Enter", "handler=verify");
        var result = await Page.Locator("[role=status], [role=alert]").First.InnerTextAsync();
        Assert.That(result, Does.Contain(Said(language, "audit.verify.ok-word")), "the chain holds");
    }

    [Test]
    public async Task A_target_with_two_invalid_fields_puts_focus_on_a_summary_linking_to_both_and_a_valid_one_is_added()
    {
        await SignInAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        await TabToAsync("nav a[href='/targets']");
        await PressAndWaitAsync("Enter", "/targets");

        await TabToAsync("#target-name");
        await Page.Keyboard.TypeAsync("Niet Geldig!");
        await TabToAsync("#target-seeds", maxTabs: 1);
        await Page.Keyboard.TypeAsync("geen adres");
        await TabToAsync("form[action*='handler=add'] button[type=submit]");
        await PressAndWaitAsync("Enter", "handler=add");

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('.error-summary')"), Is.True, "focus on the summary");
        var links = await Page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.That(links, Is.SupersetOf(new[] { "#target-name", "#target-seeds" }), "the summary links to both fields");
        foreach (var field in new[] { "target-name", "target-seeds" })
        {
            Assert.That(await Page.GetAttributeAsync("#" + field, "aria-invalid"), Is.EqualTo("true"), field);
            Assert.That(await Page.GetAttributeAsync("#" + field, "aria-describedby"), Does.Contain(field + "-error"), field);
        }

        Assert.That(await Page.InputValueAsync("#target-name"), Is.EqualTo("Niet Geldig!"), "what was typed stays");
        await AssertNoViolationsAsync("the target form with errors");
        await TabToAsync(".error-summary a[href='#target-name']");
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("target-name"));
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync("toetsenbord-doel");
        await TabToAsync("#target-seeds", maxTabs: 3);
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync(Server.Site.BaseUrl.AbsoluteUri);
        await TabToAsync("form[action*='handler=add'] button[type=submit]");
        await PressAndWaitAsync("Enter", "added=");

        var added = await Page.Locator("p.notice[role=status]").InnerTextAsync();
        var around = Said("nl", "targets.added", "\u0000").Split('\u0000');
        Assert.That(added, Does.StartWith(around[0]).And.EndWith(around[1]), "the target was added");
        Assert.That(await Page.Locator("table th[scope=row]").AllInnerTextsAsync(), Does.Contain("toetsenbord-doel"));
    }

    [Test]
    public async Task A_target_file_with_two_invalid_fields_puts_focus_on_a_summary_naming_both_and_linking_to_the_file_field()
    {
        await SignInAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        await Page.GotoAsync(Server.Url("/targets").AbsoluteUri);
        var bad = Server.Lab.WriteFile("ongeldig-doel.yaml", "name: \"Niet Geldig!\"\nseeds: [\"geen adres\"]\n");

        await TabToAsync("#target-file");
        // The browser's own file dialog cannot be driven in a headless browser: the file is chosen as that dialog would.
        await Page.SetInputFilesAsync("#target-file", bad);
        await TabToAsync("form[action*='handler=upload'] button[type=submit]");
        await PressAndWaitAsync("Enter", "handler=upload");

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('.error-summary')"), Is.True, "focus on the summary");
        var links = await Page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.That(links, Has.Length.EqualTo(2).And.All.EqualTo("#target-file"), "both problems link to the file field");
        var problems = await Page.Locator(".error-summary a").AllInnerTextsAsync();
        Assert.That(problems, Has.Some.StartWith("ongeldig-doel.yaml:1:").And.Some.StartWith("ongeldig-doel.yaml:2:"), "each names the file and line, as the CLI does");
        Assert.That(string.Join('\n', problems), Does.Contain("name").And.Contain("seeds"), "each names its field");
        Assert.That(await Page.GetAttributeAsync("#target-file", "aria-invalid"), Is.EqualTo("true"));
        await AssertNoViolationsAsync("the target upload with errors");
        await TabToAsync(".error-summary a[href='#target-file']");
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("target-file"));

        var good = Server.Lab.WriteFile("upload-doel.yaml", File.ReadAllText(Server.Lab.WriteTarget(Server.Site.BaseUrl, name: "upload-doel")));
        await Page.SetInputFilesAsync("#target-file", good);
        await TabToAsync("form[action*='handler=upload'] button[type=submit]");
        await PressAndWaitAsync("Enter", "added=");
        Assert.That(await Page.Locator("table th[scope=row]").AllInnerTextsAsync(), Does.Contain("upload-doel"));
    }

    [TestCase("nl")]
    [TestCase("en")]
    public async Task Policy_explain_says_in_words_why_the_gate_would_refuse_a_url_and_lists_every_rule(string language)
    {
        await UseLanguageAsync(language);
        await SignInAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        await Page.GotoAsync(Server.Url("/policy").AbsoluteUri);

        await TabToAsync("#explain-target");
        await Page.Keyboard.TypeAsync("fixture");
        await TabToAsync("#explain-url", maxTabs: 1);
        await Page.Keyboard.TypeAsync("https://elders.example/advertentie/1");
        await TabToAsync("form button[type=submit]");
        // The form posts to its own address: the page is known to have changed by its result, not by its address.
        await Page.Keyboard.PressAsync("Enter");
        await Page.Locator("#explain-result").WaitForAsync();
        await SettleAsync();

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('[role=status]')"), Is.True, "focus on the result");
        Assert.That(await Page.Locator("#explain-result").InnerTextAsync(), Is.EqualTo(Said(language, "explain.refused")));
        Assert.That(await Page.Locator("table tbody tr").CountAsync(), Is.GreaterThan(0), "every rule consulted is listed");
        Assert.That(await Page.Locator("table tbody td").AllInnerTextsAsync(), Has.Some.EqualTo(Said(language, "explain.outcome.reject")));
        Assert.That(await Page.InputValueAsync("#explain-url"), Is.EqualTo("https://elders.example/advertentie/1"), "what was typed stays");
        await AssertNoViolationsAsync("the policy explanation");
    }
}
