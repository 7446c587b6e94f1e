using System.CommandLine;
using Crawler.Core.Robots;
using Crawler.Core.Yaml;
using Crawler.Service.Application;

namespace Crawler.Cli;

/// <summary>Commands that explain decisions without fetching anything.</summary>
internal static class DiagnosticCommands
{
    public static Command Robots(CliIo io)
    {
        var file = new Option<string>("--robots-file") { Description = "A robots.txt file", Required = true };
        var agent = new Option<string>("--user-agent") { Description = "The product token to match groups against", Required = true };
        var urls = new Argument<string[]>("URL") { Description = "URLs or paths to check", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", "Say, per URL, whether a robots.txt allows it and which rule decided (RFC 9309)") { file, agent, urls };
        check.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            var robots = RobotsTxt.Parse(CliIo.ReadInputFile(path), path);
            var token = r.GetValue(agent)!;
            foreach (var u in r.GetValue(urls)!)
            {
                var pathAndQuery = Uri.TryCreate(u, UriKind.Absolute, out var abs) ? abs.PathAndQuery : u;
                if (!pathAndQuery.StartsWith('/'))
                {
                    throw new InputException(new InputProblem("(command line)", 0, 0, "URL", $"'{u}' is neither an absolute URL nor a path"));
                }

                var verdict = robots.Evaluate(token, pathAndQuery);
                if (io.Json(r))
                {
                    io.WriteJson(new { url = u, allowed = verdict.Allowed, rule = verdict.Rule });
                }
                else
                {
                    io.Out.WriteLine($"{(verdict.Allowed ? "allowed   " : "disallowed")} {u}  ({verdict.Rule})");
                }
            }

            return CliApp.Ok;
        });
        return new Command("robots", "robots.txt diagnostics") { check };
    }

    public static Command Policy(CliIo io)
    {
        var target = CliArgs.IdOption("--target", "target", "crawler target list");
        var depth = CliArgs.Whole("--depth", "Link depth to assume (0 = a seed)", 0, 100, 1);
        var url = new Argument<string>("URL");
        var explain = new Command("explain", "Show the gate's decision for a URL now, with every rule consulted; fetches nothing") { target, depth, url };
        explain.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var e = await app.Get<PolicyExplainer>().ExplainAsync(r.GetValue(target), r.GetValue(url)!, r.GetValue(depth), ct);
            var d = e.Decision;
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    url = d.Url,
                    verdict = d.Verdict,
                    allowed = d.Allowed,
                    rule = d.Rule,
                    reason = d.Reason,
                    mandateId = d.MandateId,
                    mandateVersion = d.MandateVersion,
                    @case = d.Case,
                    policyVersion = d.PolicyVersion,
                    lab = d.Lab,
                    at = d.At,
                    robotsKnown = e.RobotsKnown,
                    robotsSource = e.RobotsSource,
                    trace = d.Trace.Select(t => new { rule = t.Rule, outcome = t.Outcome, reason = t.Reason }),
                });
            }
            else
            {
                io.Out.WriteLine($"{d.Url}: {(d.Allowed ? "ALLOWED" : "REFUSED")} by {d.Rule}: {d.Reason}");
                io.Out.WriteLine($"mandate {d.MandateId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, policy {d.PolicyVersion[..12]}, {(d.Lab ? "lab" : "production")} installation, at {d.At:O}");
                foreach (var t in d.Trace)
                {
                    io.Out.WriteLine($"  {t.Outcome.ToString().ToLowerInvariant(),-7} {t.Rule,-24} {t.Reason}");
                }

                if (!e.RobotsKnown)
                {
                    io.Out.WriteLine("  note: " + e.RobotsSource);
                }
            }

            return CliApp.Ok;
        });
        return new Command("policy", "Policy diagnostics") { explain };
    }
}
