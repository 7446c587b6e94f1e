using System.CommandLine;
using Crawler.Core.Yaml;
using Crawler.Extraction;
using Crawler.Service.Access;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>
/// For specialists writing a site profile. <c>profile test</c>: run it over saved pages whose expected features are
/// written beside them, and see per page and per feature what matched, was missed or was extra (reads the folder only;
/// exit 0 when every page matches, 1 otherwise). <c>profile suggest</c>: propose a profile (ad region, drop regions)
/// from saved pages of one site, to review before saving it (a specialist's: it shapes what a target's crawl reads).
/// </summary>
internal static class ProfileCommand
{
    public static Command Create(CliIo io)
    {
        var name = new Argument<string>("NAME") { Description = "The profile (policies/profiles/NAME.yaml)" };
        var dir = new Option<string>("--dir") { Description = "A folder of saved pages, each X.html with an X.expected.json beside it", Required = true };
        var test = new Command("test", "Run a profile over saved pages with expected features; exit 1 if any page differs") { name, dir };
        test.SetAction(r =>
        {
            var policy = PolicyDirectory.Load(io.PoliciesDir(r));
            var profileName = r.GetValue(name)!;
            var profile = policy.Profiles.Find(profileName)
                          ?? throw new InputException(new InputProblem("(command line)", 0, 0, "NAME", $"unknown profile '{profileName}' (known: {string.Join(", ", policy.Profiles)})"));
            var report = ProfileTester.Run(new AdExtractor(policy.Fetch.NotPublicSelectors, policy.Urls, profile), r.GetValue(dir)!, io.Env.Time.GetUtcNow());
            if (io.Json(r))
            {
                io.WriteJson(new { profile = report.Profile, directory = report.Directory, ok = report.Ok, pages = report.Pages.Select(p => new { page = p.Page, ok = p.Ok, expectedAd = p.ExpectedAd, foundAd = p.FoundAd, problem = p.Problem, leaks = p.Leaks, features = p.Features }) });
            }
            else
            {
                io.Out.Write(report.ToText());
            }

            return report.Ok ? CliApp.Ok : CliApp.VerificationFailed;
        });
        return new Command("profile", "Extraction profiles (CSS selectors per site layout)") { test, Suggest(io) };
    }

    private static Command Suggest(CliIo io)
    {
        var dir = new Option<string>("--dir") { Description = "A folder of saved pages (X.html) of one site: a few ads, and its other pages if at hand", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the proposal to this file instead of printing it" };
        var force = new Option<bool>("--force") { Description = "Overwrite the --out file if it exists" };
        var suggest = new Command("suggest", "Propose a profile (ad region, drop regions) from saved pages of one site, by what changes and what stays") { dir, output, force };
        suggest.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var access = app.Get<AccessControl>();
            await access.RequireUserAsync(io.Actor(r), ct);
            var folder = r.GetValue(dir)!;
            await access.AuthorizeAsync(Core.Users.Permission.TargetsWrite, "profile-suggest:" + Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), ct);

            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.html").Order(StringComparer.Ordinal).ToList() : [];
            if (files.Count < 2)
            {
                throw new InputException(new InputProblem(folder, 0, 0, "--dir", Directory.Exists(folder)
                    ? $"{files.Count} saved page (X.html) in the folder; a proposal compares at least 2 pages of the site"
                    : "folder not found"));
            }

            var suggestion = ProfileSuggester.Suggest(files.ConvertAll(f => CliIo.ReadInputFile(f, strictUtf8: false)), ExtractionVocabulary.Load(io.PoliciesDir(r)));
            var yaml = suggestion.ToYaml();
            var file = r.GetValue(output);
            if (file is not null)
            {
                if (File.Exists(file) && !r.GetValue(force))
                {
                    throw new InputException(new InputProblem(file, 0, 0, "--out", "the file exists; --force to overwrite it"));
                }

                await File.WriteAllTextAsync(file, yaml, ct);
            }

            if (io.Json(r))
            {
                io.WriteJson(new { pages = suggestion.Pages, adRegion = suggestion.AdRegion, drop = suggestion.Drop, file, profile = yaml });
            }
            else if (file is null)
            {
                io.Out.Write(yaml);
            }
            else
            {
                io.Out.WriteLine($"profile proposed from {suggestion.Pages} pages written to {file}: review it, then save it as policies/profiles/NAME.yaml");
            }

            return CliApp.Ok;
        });
        return suggest;
    }
}
