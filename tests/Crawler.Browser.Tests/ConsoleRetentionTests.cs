using System.Net;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>
/// The retention page over HTTP: per mandate the hits held and the next deadline (as a time element in Amsterdam time),
/// and what was erased, each erase entry linked to its place in the trail; an admin sees the deadlines but not the trail.
/// </summary>
public sealed partial class ConsoleRetentionTests
{
    private ConsoleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ConsoleServer.SharedAsync();

    [Test]
    public async Task An_auditor_sees_what_falls_due_per_mandate_and_the_erase_entries_linked_in_the_trail()
    {
        using var auditor = await _server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "aaron"));
        var html = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri("/retention", UriKind.Relative)));

        var crawled = MandateRow().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.That(crawled, Does.Contain(ConsoleServer.Id(_server.CrawledMandate)), "the crawled mandate's hits are listed");
        Assert.That(html, Does.Contain("<time datetime="), "deadlines are times");
        var links = EraseLink().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(links, Is.Not.Empty, "the seeding's retention run left erase entries");

        var trail = WebUtility.HtmlDecode(await auditor.GetStringAsync(new Uri($"/audit?operation=erase&after={links[0]}", UriKind.Relative)));
        Assert.That(trail, Does.Contain("retention."), "the link opens the erase entries in the trail");
    }

    [Test]
    public async Task An_admin_sees_the_deadlines_but_not_the_trail()
    {
        using var admin = await _server.ClientAsync(ConsoleServer.People.Single(p => p.Name == "admin"));
        using var response = await admin.GetAsync(new Uri("/retention", UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("retention-caption"));
        Assert.That(EraseLink().IsMatch(html), Is.False, "no entries of the trail for a role that does not read it");
    }

    [GeneratedRegex("<a href=\"/mandates/(\\d+)\">")]
    private static partial Regex MandateRow();

    [GeneratedRegex("href=\"/audit\\?operation=erase&after=(\\d+)\"")]
    private static partial Regex EraseLink();
}
