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
        var file = new Argument<string>("FILE") { Description = "A saved HTML page" };
        var url = new Option<string?>("--url") { Description = "The address the page came from (for its links)" };
        var profile = new Option<string>("--profile") { Description = "Extraction profile", DefaultValueFactory = _ => "generic" };
        var cmd = new Command("extract", "Show what would be extracted from a saved page (before minimisation)") { file, url, profile };
        cmd.SetAction(r =>
        {
            var policy = PolicyDirectory.Load(io.PoliciesDir(r));
            var profileName = r.GetValue(profile)!;
            var chosen = policy.Profiles.Find(profileName)
                         ?? throw new InputException(new InputProblem("(command line)", 0, 0, "--profile", $"unknown profile '{profileName}' (known: {string.Join(", ", policy.Profiles)})"));

            var path = r.GetValue(file)!;
            var html = CliIo.ReadInputFile(path);
            var address = r.GetValue(url) is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : new Uri("https://local.invalid/" + Path.GetFileName(path));

            // A saved page has no fetch time of its own: relative dates ("gisteren") count back from now.
            var page = new AdExtractor(policy.Fetch.NotPublicSelectors, policy.Urls, chosen).Extract(html, address, io.Env.Time.GetUtcNow());
            var ad = page.Ad;
            var score = IndicatorScorer.Score(ad, policy.Indicators);
            var view = new
            {
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
                profile = chosen.Name,
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

            return CliApp.Ok;
        });
        return cmd;
    }
}
