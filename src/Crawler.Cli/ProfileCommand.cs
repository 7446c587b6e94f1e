using System.CommandLine;
using Crawler.Core.Yaml;
using Crawler.Extraction;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>
/// For specialists writing a site profile: run it over saved pages whose expected features are written
/// beside them, and see per page and per feature what matched, was missed or was extra. Reads the
/// folder only; writes nothing. Exit 0 when every page matches, 1 otherwise.
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
        return new Command("profile", "Extraction profiles (CSS selectors per site layout)") { test };
    }
}
