using System.Globalization;
using System.Text.Json;
using Crawler.Core.Storage;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>
/// Template learning in a crawl (issue 22, item 3): what recurs on a host's pages is the site's, not an advertiser's.
/// A site whose every page carries its own booking office's number in the ad's text, beside each advertiser's own.
/// </summary>
public sealed class SiteTemplateInCrawlTests
{
    private const int Ads = 8;
    private const string SiteNumber = "+31205550123";

    private static string AdvertiserNumber(int ad) => "+3161234560" + ad.ToString(CultureInfo.InvariantCulture);

    private static string Page(string title, string body) =>
        "<!doctype html><html lang=\"nl\"><head><title>" + title + "</title></head><body><h1>" + title + "</h1>" + body +
        "<p>Vragen over een boeking? Ons bureau is dagelijks bereikbaar op 020 555 0123 voor al uw vragen.</p></body></html>";

    [Test]
    public async Task The_sites_own_number_is_dropped_once_learned_and_every_advertisers_number_is_stored()
    {
        var routes = new Dictionary<string, Func<HttpContext, Task>>
        {
            ["/robots.txt"] = FixtureServer.Text("User-agent: *\nDisallow:\n"),
            ["/"] = FixtureServer.Html(Page("Dames in Utrecht",
                string.Concat(Enumerable.Range(1, Ads).Select(i => $"<p><a href=\"/ad/{i}\">Profiel {i}</a></p>")))),
        };
        for (var i = 1; i <= Ads; i++)
        {
            routes[$"/ad/{i}"] = FixtureServer.Html(Page($"Lisa {i}",
                $"<p>Lieve dame, 2{i} jaar, ontvangt in Utrecht. Bel of app mij op 06 1234 560{i}. Uur 150 euro.</p>"));
        }

        await using var site = await FixtureServer.StartAsync(routes);
        using var lab = await Lab.CreateAsync();

        await lab.CrawlUnderMandateAsync(site.BaseUrl, lab.Time.GetUtcNow().AddDays(1));

        using var ctx = lab.OpenContext();
        var hits = ctx.Store.Hits(null).ToDictionary(h => new Uri(h.Url).AbsolutePath, h => h.Phones.Select(p => p.Value).ToList());
        var learned = await ctx.Get<ICrawlStateStore>().FindTemplateAsync(site.BaseUrl.Host);
        var shown = JsonDocument.Parse((await lab.Ok("target", "show", "1", "--json", "--as", "sanne")).Out).RootElement
            .GetProperty("siteTemplates").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            for (var i = 1; i <= Ads; i++)
            {
                Assert.That(hits[$"/ad/{i}"], Does.Contain(AdvertiserNumber(i)), $"ad {i}: the advertiser's own number is stored");
            }

            // The seed and the first ad come before the template has seen the number on three pages: it is still taken there.
            Assert.That(hits["/ad/1"], Does.Contain(SiteNumber), "before learning, the site's number reads as the ad's");
            for (var i = 3; i <= Ads; i++)
            {
                Assert.That(hits[$"/ad/{i}"], Does.Not.Contain(SiteNumber), $"ad {i}: the site's number, once learned, is never stored");
            }

            Assert.That(learned, Is.Not.Null);
            Assert.That(learned!.PagesSeen, Is.EqualTo(Ads + 1));
            Assert.That(learned.BlocksLearned + learned.ContactsLearned, Is.GreaterThanOrEqualTo(1));
            Assert.That(Holds(learned.State, SiteNumber) || Holds(learned.State, "bureau"), Is.False, "the crawl state keeps hashes, not text");
            Assert.That(shown.GetProperty("pagesSeen").GetInt32(), Is.EqualTo(Ads + 1));
            Assert.That(shown.GetProperty("contactsDropped").GetInt64() + shown.GetProperty("blocksDropped").GetInt64(), Is.GreaterThanOrEqualTo(Ads - 2));
            Assert.That(shown.TryGetProperty("state", out _), Is.False, "the specialist sees counts, not hashes");
        });
    }

    /// <summary>Whether the kept state holds the text, as UTF-8 or UTF-16.</summary>
    private static bool Holds(string state, string text)
    {
        var bytes = Convert.FromBase64String(state).AsSpan();
        return bytes.IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0 || bytes.IndexOf(System.Text.Encoding.Unicode.GetBytes(text)) >= 0;
    }
}
