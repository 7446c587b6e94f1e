using System.Net;
using System.Text.RegularExpressions;
using Crawler.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// Drafting a mandate request in the console: with scripts, the weighing appears and follows the file as it is typed
/// (in a polite live region, no reload), and "request" files it into the officers' inbox; without scripts, "weigh"
/// shows the same weighing as a table with a caption and header cells.
/// </summary>
public sealed partial class ConsoleDraftTests : ConsoleBrowserFixture
{
    [Test]
    public async Task The_weighing_follows_the_file_as_it_is_typed_and_the_request_reaches_the_officers_inbox()
    {
        var now = Server.Lab.Time.GetUtcNow();
        var file = await File.ReadAllTextAsync(Server.Lab.WriteMandate(now.AddHours(1), now.AddDays(10), target: "drafted"));
        await UseLanguageAsync("en");
        await SignInAsync(ConsoleServer.People.Single(p => p.Name == "sanne"));
        await Page.GotoAsync(Server.Url("/mandates/draft").AbsoluteUri);
        Assert.That(await Page.InnerTextAsync("#weighing-live"), Is.EqualTo(Said("en", "draft.not-weighed")));
        Assert.That(await Page.GetAttributeAsync("#weighing-live", "aria-live"), Is.EqualTo("polite"));
        await Page.EvaluateAsync("() => { window.sameDocument = true; }");

        await Page.FillAsync("#mandate-text", file);
        await Page.WaitForFunctionAsync("() => document.querySelectorAll('#weighing-live tbody tr').length > 0", null, new() { Timeout = 15_000 });
        var summary = await Page.InnerTextAsync("#weighing-live p");
        Assert.That(summary, Does.StartWith("Outcome:"), "the weighing's outcome in words");
        Assert.That(await Page.Locator("#weighing-live th[scope=row]").AllInnerTextsAsync(), Does.Contain(Said("en", "factor.duration")));
        Assert.That(await Page.Locator("#weighing-live caption").InnerTextAsync(), Is.EqualTo(Said("en", "mandate.weighing.caption")));
        Assert.That(await Page.EvaluateAsync<string>("() => document.activeElement.id"), Is.EqualTo("mandate-text"), "focus stays in the field");

        // A much longer window: the duration factor's measured value (its first row) follows.
        var duration = await DurationValueAsync();
        await Page.FillAsync("#mandate-text", file.Replace(now.AddDays(10).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            now.AddDays(80).ToString("O", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await Page.WaitForFunctionAsync("before => { const row = [...document.querySelectorAll('#weighing-live tbody tr')][0]; return row && row.cells[2].textContent !== before; }",
            duration, new() { Timeout = 15_000 });
        Assert.That(await Page.EvaluateAsync<bool>("() => window.sameDocument === true"), Is.True, "updated in place, not reloaded");
        await AssertNoViolationsAsync("the draft with a live weighing");

        await Page.FillAsync("#mandate-text", file);
        await Page.ClickAsync("#draft-request");
        await Page.WaitForURLAsync(u => u.Contains("done=requested", StringComparison.Ordinal));
        var id = MandateId().Match(Page.Url).Groups[1].Value;
        Assert.That(await Page.Locator("p.notice[role=status]").InnerTextAsync(), Does.StartWith($"Mandate {id} version 1 is requested"));

        using var officer = await Server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var inbox = await officer.GetStringAsync(new Uri("/mandates", UriKind.Relative));
        Assert.That(inbox, Does.Contain($"href=\"/mandates/{id}\""), "the request is in the officers' inbox");
    }

    [Test]
    public async Task Without_scripts_weigh_shows_the_weighing_as_a_table_and_files_nothing()
    {
        using var officer = await Server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var token = await ConsoleServer.AntiforgeryTokenAsync(officer, "/mandates/draft");
        var now = Server.Lab.Time.GetUtcNow();
        var file = await File.ReadAllTextAsync(Server.Lab.WriteMandate(now.AddHours(1), now.AddDays(10), target: "drafted"));
        var mandates = Server.App.Services.GetRequiredService<IMandateStore>();
        var before = (await mandates.ListAsync()).Count;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Draft"] = file });
        using var response = await officer.PostAsync(new Uri("/mandates/draft?handler=assess", UriKind.Relative), form);

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<caption id=\"weighing-caption\">").And.Contain("<th scope=\"row\">"), "a table with caption and row headers");
        Assert.That(html, Does.Not.Contain("id=\"draft-request\""), "an officer weighs but does not request");
        Assert.That((await mandates.ListAsync()).Count, Is.EqualTo(before), "nothing filed");
    }

    [Test]
    public async Task An_officer_posting_a_request_is_refused_with_403()
    {
        using var officer = await Server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "pieter"));
        var token = await ConsoleServer.AntiforgeryTokenAsync(officer, "/mandates/draft");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Draft"] = "case: x" });
        using var response = await officer.PostAsync(new Uri("/mandates/draft?handler=request", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("access.mandates-request"));
    }

    private Task<string> DurationValueAsync() =>
        Page.EvaluateAsync<string>("() => [...document.querySelectorAll('#weighing-live tbody tr')][0].cells[2].textContent");

    [GeneratedRegex(@"/mandates/(\d+)\?")]
    private static partial Regex MandateId();
}
