using System.CommandLine;
using Crawler.Core.Indicators;
using Crawler.Core.Yaml;
using Crawler.Extraction;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>
/// For specialists writing profiles: what extraction makes of a saved page, before minimisation
/// (the file is the specialist's own). Reads nothing from the network and writes nothing.
/// </summary>
internal static class ExtractCommand
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(CliJson.Options) { WriteIndented = true };

    public static Command Create(CliIo io)
    {
        var file = new Argument<string[]>("FILE") { Description = "Saved HTML pages; several of one site are read as a crawl would, learning its template", Arity = ArgumentArity.OneOrMore };
        var url = new Option<string?>("--url") { Description = "The address the page came from (for its links)" };
        var profile = new Option<string>("--profile") { Description = "Extraction profile", DefaultValueFactory = _ => "generic" };
        var cmd = new Command("extract", "Show what would be extracted from a saved page (before minimisation)") { file, url, profile };
        cmd.SetAction(r =>
        {
            var policy = PolicyDirectory.Load(io.PoliciesDir(r));
            var profileName = r.GetValue(profile)!;
            var chosen = policy.Profiles.Find(profileName)
                         ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--profile", $"unknown profile '{profileName}' (known: {string.Join(", ", policy.Profiles)})"));

            var paths = r.GetValue(file)!;
            var extractor = new AdExtractor(policy.Fetch.NotPublicSelectors, policy.Urls, chosen, ExtractionVocabulary.Load(io.PoliciesDir(r)));
            var pages = paths.Select(p => (Path: p, Html: CliIo.ReadInputFile(p, strictUtf8: false),
                Url: r.GetValue(url) is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : new Uri("https://local.invalid/" + Path.GetFileName(p)))).ToList();

            // Several pages of one site: the template is learned over all of them first, as a crawl that knows the site has it.
            var templates = new Dictionary<string, SiteTemplate>(StringComparer.OrdinalIgnoreCase);
            SiteTemplate? TemplateOf(Uri u) => pages.Count < 2 ? null : templates.TryGetValue(u.Host, out var t) ? t : templates[u.Host] = new SiteTemplate(u.Host);
            foreach (var p in pages.Where(_ => pages.Count > 1))
            {
                extractor.Extract(p.Html, p.Url, io.Env.Time.GetUtcNow(), TemplateOf(p.Url));
            }

            foreach (var (path, html, address) in pages)
            {
                // A saved page has no fetch time of its own: relative dates ("gisteren") count back from now.
                var page = extractor.Extract(html, address, io.Env.Time.GetUtcNow(), TemplateOf(address));
                Show(io, r, chosen.Name, policy.Indicators, page, pages.Count > 1 ? path : null);
            }

            return CliApp.Ok;
        });
        return cmd;
    }

    private static void Show(CliIo io, ParseResult r, string profileName, Crawler.Core.Policy.IndicatorPolicy indicators, PageExtraction page, string? path)
    {
        var ad = page.Ad;
        var score = IndicatorScorer.Score(ad, indicators);
        var view = new
        {
            file = path,
            isAd = ad.IsAd,
            notAdReason = ad.IsAd ? null : ad.NotAdReason,
            notPublic = page.NotPublic,
            title = ad.Title,
            phones = ad.Phones.Select(p => new { e164 = p.E164, raw = p.Raw, kind = p.Kind, region = p.Region, obfuscated = p.Obfuscated }),
            emails = ad.Emails,
            hidden = (ad.Hidden ?? []).Select(h => new { kind = h.Kind, value = h.Value, written = h.Written }),
            ages = ad.Ages ?? [],
            prices = (ad.Prices ?? []).Select(p => new { amount = p.Amount, currency = p.Currency, per = p.Per, perHour = p.PerHour }),
            indicators = score.Fired.Select(i => new { id = i.Id, weight = i.Weight, evidence = i.Evidence }),
            score = score.Score,
            escalated = score.Escalated || ad.StatesMinorAge,
            removedThirdPartyRegions = ad.RemovedThirdPartyRegions,
            profile = profileName,
            profileAdvised = page.ProfileAdvised,
            country = page.Country,
            pageKind = page.Kind.ToString(),
            sections = new { headings = page.Sections.HeadingSections, teasers = page.Sections.TeaserItems, replies = page.Sections.Replies, thread = page.Sections.Thread },
            siteContacts = page.SiteContacts,
            templateBlocks = page.TemplateBlocks,
            templateContacts = page.TemplateContacts,
            locations = (ad.Locations ?? []).Select(l => new { kind = l.Kind, value = l.Value }),
            messengers = (ad.Messengers ?? []).Select(m => new { platform = m.Platform, handle = m.Handle, raw = m.Raw }),
            name = ad.Name,
            nationalities = ad.Nationalities ?? [],
            languages = ad.Languages ?? [],
            venues = ad.Venues ?? [],
            services = ad.Services ?? [],
            postedAt = ad.PostedAt,
            adId = ad.AdId,
            images = (ad.Images ?? []).Select(i => i.ToString()),
            links = page.Links.Count,
        };
        if (io.Json(r))
        {
            io.WriteJson(view);
        }
        else
        {
            io.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(view, Indented));
        }
    }
}
