using System.Net;
using Crawler.Core.Audit;
using Crawler.Core.Mandates;
using Crawler.Core.Storage;
using Crawler.Core.Yaml;
using Crawler.Documents;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Crawler.Service.Crawling;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Editing and disabling a target in the real browser, by keyboard alone: a file with two problems puts focus on a
/// summary naming both (file, line, field) and linking to the field, and changes nothing; a corrected file is saved;
/// disabling asks for a reason (its absence is an error tied to the field), is audited, and the crawl service then
/// refuses the target.
/// </summary>
public sealed class ConsoleTargetEditTests : ConsoleBrowserFixture
{
    [Test]
    public async Task A_specialist_edits_a_target_and_disables_it_with_a_reason_by_keyboard_alone()
    {
        var id = ConsoleServer.Id(Server.EditableTarget);
        await SignInAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        await TabToAsync("nav a[href='/targets']");
        await PressAndWaitAsync("Enter", "/targets");
        await TabToAsync($"a[href='/targets/{id}']", maxTabs: 120);
        await PressAndWaitAsync("Enter", "/targets/" + id);

        var stored = await Page.InputValueAsync("#target-file-text");
        Assert.That(stored, Does.Contain("name: \"editable\"").And.Contain("maxDepth:"), "the stored file with every field");
        await TabToAsync("#target-file-text");
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync(stored.Replace("maxDepth: ", "maxDepth: 9", StringComparison.Ordinal).Replace("profile: \"", "profile: \"nope-", StringComparison.Ordinal));
        await TabToAsync("#target-save");
        await PressAndWaitAsync("Enter", "handler=edit");

        Assert.That(await Page.EvaluateAsync<bool>("() => document.activeElement.matches('.error-summary')"), Is.True, "focus on the summary");
        var problems = await Page.Locator(".error-summary a").AllInnerTextsAsync();
        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems, Has.Some.Contains("scope.maxDepth").And.Some.Contains("profile"), "each problem names its field");
        Assert.That(problems, Has.All.StartWith("target.yaml:"), "file and line, as the CLI prints them");
        Assert.That(await Page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"),
            Has.All.EqualTo("#target-file-text"));
        Assert.That(await Page.GetAttributeAsync("#target-file-text", "aria-invalid"), Is.EqualTo("true"));
        await AssertNoViolationsAsync("the target file with errors");
        var store = Server.App.Services.GetRequiredService<ITargetStore>();
        Assert.That((await store.FindAsync(Server.EditableTarget))!.Spec.Scope.MaxDepth, Is.LessThan(90), "nothing changed");

        await TabToAsync(".error-summary a");
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("target-file-text"));
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync(System.Text.RegularExpressions.Regex.Replace(stored, @"maxDepth: \d+", "maxDepth: 1"));
        await TabToAsync("#target-save");
        await PressAndWaitAsync("Enter", "done=edited");
        Assert.That(await Page.Locator("p.notice[role=status]").InnerTextAsync(), Is.EqualTo(Said("nl", "target.done.edited")));
        Assert.That((await store.FindAsync(Server.EditableTarget))!.Spec.Scope.MaxDepth, Is.EqualTo(1), "the corrected file is saved");

        await TabToAsync("#target-disable");
        await PressAndWaitAsync("Enter", "handler=disable");
        Assert.That(await Page.Locator(".error-summary a").GetAttributeAsync("href"), Is.EqualTo("#disable-reason"), "a reason is asked for");
        Assert.That((await store.FindAsync(Server.EditableTarget))!.IsDisabled, Is.False, "nothing changed");
        await TabToAsync("#disable-reason");
        await Page.Keyboard.TypeAsync("De site is uit de lucht.");
        await TabToAsync("#target-disable");
        await PressAndWaitAsync("Enter", "done=disabled");
        Assert.That(await Page.Locator("p.notice[role=status]").InnerTextAsync(), Is.EqualTo(Said("nl", "target.done.disabled")));
        Assert.That(await Page.Locator("#disable-reason").CountAsync(), Is.Zero, "a disabled target cannot be disabled again");
        await AssertNoViolationsAsync("a disabled target");

        var crawl = await CrawlAsync(Server.EditableTarget);
        Assert.That(crawl, Is.EqualTo(CrawlService.DisabledRule), "the crawl service refuses a disabled target");
        var auditor = await Server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var trail = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/audit?actor=sanne&operation=configure", UriKind.Relative)));
        Assert.That(trail, Does.Contain("target.disable").And.Contain("De site is uit de lucht.").And.Contain("target.edit"));
    }

    [Test]
    public async Task An_officer_posting_a_disable_is_refused_with_403_and_nothing_changes()
    {
        using var officer = await Server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var token = await ConsoleServer.AntiforgeryTokenAsync(officer, "/targets/1");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Reason"] = "geen" });
        using var response = await officer.PostAsync(new Uri("/targets/1?handler=disable", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("access.targets-write"));
        Assert.That((await Server.App.Services.GetRequiredService<ITargetStore>().FindAsync(1))!.IsDisabled, Is.False);
    }

    [Test]
    public async Task A_target_named_by_an_approved_mandate_may_narrow_but_not_grow_and_the_refusal_is_audited()
    {
        await using var scope = await ActingAsync("sanne");
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<ITargetStore>();
        var before = (await store.FindAsync(Server.EditableTarget))!;
        var deeper = before.Spec with { Scope = before.Spec.Scope with { MaxDepth = before.Spec.Scope.MaxDepth + 1 } };

        var error = Assert.ThrowsAsync<InputException>(() =>
            services.GetRequiredService<TargetService>().EditAsync(Server.EditableTarget, "target.yaml", TargetFile.Write(deeper)))!;

        Assert.That(error.Problems.Select(p => p.Field), Is.EqualTo(new[] { "scope.maxDepth" }));
        Assert.That(error.Message, Does.Contain("deeper").And.Contain("add a new target and request a mandate"));
        Assert.That((await store.FindAsync(Server.EditableTarget))!.Spec.Scope.MaxDepth, Is.EqualTo(before.Spec.Scope.MaxDepth), "nothing changed");
        var refusals = new List<AuditRecord>();
        await foreach (var entry in services.GetRequiredService<IAuditLog>().EntriesAsync())
        {
            if (entry.Record.Rule == TargetService.WidenUnderMandateRule && entry.Record.Subject == $"target:{Server.EditableTarget}")
            {
                refusals.Add(entry.Record);
            }
        }

        Assert.That(refusals, Has.Count.EqualTo(1), "the refusal is in the trail");
        Assert.That(refusals[0].MandateId, Is.Not.Null, "with the mandate it rests on");
        Assert.That(refusals[0].Outcome, Is.EqualTo("refused"));
    }

    /// <summary>A service scope acting as <paramref name="name"/>, signed in with their token.</summary>
    private async Task<AsyncServiceScope> ActingAsync(string name)
    {
        var token = await Server.Lab.TokenAsync(name);
        var scope = Server.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<AccessControl>().ActAs(await services.GetRequiredService<IdentityService>().AuthenticateTokenAsync(token, name, CancellationToken.None));
        return scope;
    }

    /// <summary>The rule the crawl service refuses a crawl of the target with, as sanne (null when it would crawl).</summary>
    private async Task<string?> CrawlAsync(long target)
    {
        await using var scope = await ActingAsync("sanne");
        var services = scope.ServiceProvider;
        try
        {
            await services.GetRequiredService<CrawlService>().RunAsync(target, null, null, CancellationToken.None);
            return null;
        }
        catch (RefusalException ex)
        {
            return ex.Rule;
        }
    }
}
