using System.CommandLine;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Crawler.Service.Crawling;
using Crawler.Service.Hosting;
using Crawler.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Crawler.Cli;

internal static class Commands
{
    public static IEnumerable<Command> All(CliIo io) =>
    [
        Init(io), IdentityCommands.Login(io), IdentityCommands.Logout(io), IdentityCommands.Users(io), Target(io), Mandate(io), Crawl(io), Serve(io), Hits(io), Audit(io),
        EvidenceCommands.Retention(io), EvidenceCommands.Evidence(io),
        DiagnosticCommands.Robots(io), DiagnosticCommands.Policy(io), ExtractCommand.Create(io), DemoCommand.Create(io),
        ProfileCommand.Create(io),
    ];

    private static Command Init(CliIo io)
    {
        var lab = new Option<bool>("--lab") { Description = "Mark the folder as a lab (test) installation: only there may loopback addresses be crawled" };
        var cmd = new Command("init", "Create the data folder, its database and its secret keys (idempotent)") { lab };
        cmd.SetAction(async (r, ct) =>
        {
            var existed = DataFolder.IsInitialised(io.DataDir(r), io.Keys(r), withDatabase: io.Storage(r).Kind == Service.Hosting.StorageKind.LiteDb);
            await using var app = io.Open(r, create: true);
            var (root, isLab) = await app.Get<InstallationService>().InitAsync(r.GetValue(lab), existed, ct);
            if (io.Json(r))
            {
                io.WriteJson(new { dataDirectory = root, lab = isLab, created = !existed });
            }
            else
            {
                io.Out.WriteLine($"{(existed ? "already initialised" : "initialised")}: {root}{(isLab ? " (lab installation)" : "")}");
            }

            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command Target(CliIo io)
    {
        var file = new Option<string>("--file") { Description = "Target file (YAML)", Required = true };
        var add = new Command("add", "Add a crawl target from a file (specialist)") { file };
        add.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var path = r.GetValue(file)!;
            var target = await app.Get<TargetService>().AddAsync(path, CliIo.ReadInputFile(path), io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(new { id = target.Id });
            }
            else
            {
                io.Out.WriteLine($"added target {target.Id} '{target.Name}'");
            }

            return CliApp.Ok;
        });
        var list = new Command("list", "List crawl targets (specialist, officer, auditor)");
        list.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var targets = await app.Get<TargetService>().ListAsync(ct);
            if (io.Json(r))
            {
                io.WriteJsonLines(targets.Select(t => Views.Target(t, [])));
            }
            else
            {
                foreach (var t in targets)
                {
                    io.Out.WriteLine($"{t.Id,4}  {t.Name,-24} {string.Join(", ", t.Spec.Scope.Hosts),-30} {t.Spec.Schedule ?? "(no schedule)"}");
                }
            }

            return CliApp.Ok;
        });
        var id = CliArgs.Id("target", "crawler target list");
        var show = new Command("show", "Show one crawl target") { id };
        show.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var targets = app.Get<TargetService>();
            var t = await targets.ShowAsync(r.GetValue(id), ct);
            var view = Views.Target(t, await targets.TemplatesAsync(t, ct));
            io.Out.WriteLine(io.Json(r) ? CliJson.Line(view) : System.Text.Json.JsonSerializer.Serialize(view, Indented));
            return CliApp.Ok;
        });
        return new Command("target", "Crawl targets: what could be crawled") { add, list, show };
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(CliJson.Options) { WriteIndented = true };

    private static Command Mandate(CliIo io)
    {
        var file = new Option<string>("--file") { Description = "Mandate file (YAML)", Required = true };
        var request = new Command("request", "Request a mandate (specialist)") { file };
        request.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var path = r.GetValue(file)!;
            var m = await app.Get<MandateService>().RequestAsync(path, CliIo.ReadInputFile(path), io.Actor(r), ct);
            PrintStatus(io, r, m);
            return CliApp.Ok;
        });

        var assessFile = new Option<string>("--file") { Description = "Mandate file (YAML)", Required = true };
        var assess = new Command("assess", "Weigh a mandate file against the Koops factors without filing it; exit 2 if it would be refused") { assessFile };
        assess.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var path = r.GetValue(assessFile)!;
            var (spec, assessment) = await app.Get<MandateService>().AssessFileAsync(path, CliIo.ReadInputFile(path), ct);
            if (io.Json(r))
            {
                io.WriteJson(Views.Assessment(assessment, Core.Hits.Minimiser.DescribeKeptText(spec)));
            }
            else
            {
                PrintAssessment(io, assessment);
                io.Out.WriteLine($"text: {Core.Hits.Minimiser.DescribeKeptText(spec)}");
            }

            foreach (var p in assessment.Problems)
            {
                io.Err.WriteLine($"refused: {path}: {p.Field}: {p.Message}");
            }

            return assessment.Acceptable ? CliApp.Ok : CliApp.Refused;
        });

        var id = CliArgs.Id("mandate", "crawler mandate list");
        var urgent = new Option<bool>("--urgent") { Description = "An urgent oral approval: it must be confirmed in writing (mandate confirm) within the policy's days, or the mandate suspends itself" };
        var approve = new Command("approve", "Approve a mandate (an officer who did not request it)") { id, urgent };
        approve.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            PrintStatus(io, r, await app.Get<MandateService>().ApproveAsync(r.GetValue(id), io.Actor(r), r.GetValue(urgent), ct));
            return CliApp.Ok;
        });

        var confirmId = CliArgs.Id("mandate", "crawler mandate list");
        var order = new Option<string>("--order") { Description = "The reference of the written order that confirms the urgent approval", Required = true };
        var confirm = new Command("confirm", "Confirm an urgent approval in writing, naming the written order (the officer who gave it)") { confirmId, order };
        confirm.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            PrintStatus(io, r, await app.Get<MandateService>().ConfirmAsync(r.GetValue(confirmId), io.Actor(r), r.GetValue(order)!, ct));
            return CliApp.Ok;
        });

        Command NewVersion(string kind, string description)
        {
            var vid = CliArgs.Id("mandate", "crawler mandate list");
            var vfile = new Option<string>("--file") { Description = "The new version's mandate file (YAML)", Required = true };
            var cmd = new Command(kind, description) { vid, vfile };
            cmd.SetAction(async (r, ct) =>
            {
                await using var app = io.Open(r);
                var path = r.GetValue(vfile)!;
                PrintStatus(io, r, await app.Get<MandateService>().NewVersionAsync(r.GetValue(vid), path, CliIo.ReadInputFile(path), io.Actor(r), kind, ct));
                return CliApp.Ok;
            });
            return cmd;
        }

        var reviewId = CliArgs.Id("mandate", "crawler mandate list");
        var decision = new Option<string>("--decision") { Description = "continue, narrow or end", Required = true };
        var note = new Option<string>("--note") { Description = "The officer's reasons (recorded in the audit trail)", Required = true };
        var review = new Command("review", "Record a necessity review: continue, narrow (then amend) or end (revokes) (officer)") { reviewId, decision, note };
        review.SetAction(async (r, ct) =>
        {
            var text = r.GetValue(decision)!;
            if (!Enum.TryParse<Core.Mandates.ReviewDecision>(text, ignoreCase: true, out var d) || !Enum.IsDefined(d) || int.TryParse(text, out _))
            {
                throw new Core.Yaml.InputException(new Core.Yaml.InputProblem("(command line)", 0, 0, "--decision", $"expected continue, narrow or end, got '{text}'"));
            }

            await using var app = io.Open(r);
            PrintStatus(io, r, await app.Get<MandateService>().ReviewAsync(r.GetValue(reviewId), io.Actor(r), d, r.GetValue(note)!, ct));
            return CliApp.Ok;
        });

        var historyId = CliArgs.Id("mandate", "crawler mandate list");
        var history = new Command("history", "Every version of a mandate with its status history") { historyId };
        history.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var versions = await app.Get<MandateService>().HistoryAsync(r.GetValue(historyId), io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJsonLines(versions.Select(m => Views.Mandate(m, app.Now)));
                return CliApp.Ok;
            }

            foreach (var m in versions)
            {
                io.Out.WriteLine($"mandate {m.Id} version {m.Version}: {MandateService.Describe(m, app.Now)}, {m.Spec.ValidFrom:yyyy-MM-dd}..{m.Spec.ValidUntil:yyyy-MM-dd}, content {m.Spec.ContentSha256()[..12]}");
                foreach (var e in m.History)
                {
                    io.Out.WriteLine($"  {e.At:O} {e.Status.ToString().ToLowerInvariant(),-10} by {e.By}{(e.Reason is null ? "" : ": " + e.Reason)}");
                }

                foreach (var rv in m.Reviews ?? [])
                {
                    io.Out.WriteLine($"  {rv.At:O} review     by {rv.By}: {rv.Decision.ToString().ToLowerInvariant()} — {rv.Note}");
                }
            }

            return CliApp.Ok;
        });

        Command WithReason(string name, string description, Func<MandateService, long, string?, string, CancellationToken, Task<Core.Mandates.Mandate>> act)
        {
            var mid = CliArgs.Id("mandate", "crawler mandate list");
            var reason = new Option<string>("--reason") { Description = "Why (recorded in the audit trail)", Required = true };
            var cmd = new Command(name, description) { mid, reason };
            cmd.SetAction(async (r, ct) =>
            {
                await using var app = io.Open(r);
                PrintStatus(io, r, await act(app.Get<MandateService>(), r.GetValue(mid), io.Actor(r), r.GetValue(reason)!, ct));
                return CliApp.Ok;
            });
            return cmd;
        }

        var dueReview = new Option<bool>("--due-review") { Description = "Only mandates whose necessity review is due" };
        var list = new Command("list", "List mandates") { dueReview };
        list.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var service = app.Get<MandateService>();
            var all = r.GetValue(dueReview) ? await service.DueReviewAsync(app.Now, io.Actor(r), ct) : await service.ListAsync(io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJsonLines(all.Select(m => Views.Mandate(m, app.Now)));
            }
            else
            {
                foreach (var m in all)
                {
                    io.Out.WriteLine($"{m.Id,4}  {m.Spec.Case,-16} {MandateService.Describe(m, app.Now),-20} {m.Spec.ValidFrom:yyyy-MM-dd}..{m.Spec.ValidUntil:yyyy-MM-dd}  targets: {string.Join(", ", m.Spec.Targets)}");
                }
            }

            return CliApp.Ok;
        });
        var showId = CliArgs.Id("mandate", "crawler mandate list");
        var show = new Command("show", "Show one mandate with its history") { showId };
        show.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var m = await app.Get<MandateService>().ShowAsync(r.GetValue(showId), io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(Views.Mandate(m, app.Now));
            }
            else
            {
                io.Out.WriteLine($"mandate {m.Id} v{m.Version}: {MandateService.Describe(m, app.Now)} — case {m.Spec.Case} ({m.Spec.CaseName})");
                io.Out.WriteLine($"legal basis {m.Spec.LegalBasis}, Wpg {m.Spec.WpgPurpose.ToString().ToLowerInvariant()}, valid {m.Spec.ValidFrom:O} .. {m.Spec.ValidUntil:O}");
                io.Out.WriteLine($"purpose: {m.Spec.Purpose}");
                io.Out.WriteLine($"targets: {string.Join(", ", m.Spec.Targets)}; content SHA-256 {m.Spec.ContentSha256()}");
                io.Out.WriteLine($"data: {string.Join(", ", Enum.GetValues<Core.Mandates.DataCategory>().Select(d => $"{d.ToString().ToLowerInvariant()} {m.Spec.TreatmentOf(d).ToString().ToLowerInvariant()}"))}");
                io.Out.WriteLine($"text: {Core.Hits.Minimiser.DescribeKeptText(m.Spec)}");
                if (m.Approval is { WrittenOrder: { } writtenOrder })
                {
                    io.Out.WriteLine($"urgent approval confirmed in writing by {m.Approval.ConfirmedBy}: {writtenOrder}");
                }
                if (m.Assessment is { } a)
                {
                    PrintAssessment(io, a);
                }

                foreach (var e in m.History)
                {
                    io.Out.WriteLine($"  {e.At:O} {e.Status.ToString().ToLowerInvariant(),-10} by {e.By}{(e.Reason is null ? "" : ": " + e.Reason)}");
                }
            }
            return CliApp.Ok;
        });
        return new Command("mandate", "Per-case crawl mandates: nothing is fetched without an approved one")
        {
            assess, request, approve,
            WithReason("reject", "Reject a requested mandate (officer)", (s, i, a, why, ct) => s.RejectAsync(i, a, why, ct)),
            WithReason("revoke", "Revoke an approved or suspended mandate; running crawls stop at their next request (officer)", (s, i, a, why, ct) => s.RevokeAsync(i, a, why, ct)),
            WithReason("suspend", "Suspend an approved mandate; running crawls stop at their next request (officer)", (s, i, a, why, ct) => s.SuspendAsync(i, a, why, ct)),
            confirm,
            NewVersion("renew", "Request the next version with a new validity window; it needs its own approval (specialist)"),
            NewVersion("amend", "Request the next version with changed content; it needs its own approval (specialist)"),
            review, history, list, show,
        };
    }

    internal static void PrintAssessment(CliIo io, Core.Mandates.KoopsAssessment a)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out), Ansi = io.Env.Interactive ? AnsiSupport.Detect : AnsiSupport.No });
        if (!io.Env.Interactive)
        {
            console.Profile.Width = 200;
        }

        var table = new Table().AddColumns("factor", "level", "value", "reason", "justification");
        foreach (var f in a.Factors)
        {
            table.AddRow(f.Factor, Core.Mandates.KoopsWeighing.Name(f.Level), Markup.Escape(f.Value), Markup.Escape(f.Reason), Markup.Escape(f.Justification ?? ""));
        }

        console.Write(table);
        io.Out.WriteLine($"weighing: {Core.Mandates.KoopsWeighing.Name(a.Level)} (decided by {a.DecidingFactor}); " +
                         (a.RequiredApprover is null ? "no mandate allowed at this level" : $"requires {string.Join(" or ", a.RequiredLegalBases)}, approved by an {a.RequiredApprover.Value.ToString().ToLowerInvariant()}") +
                         $"; policy {a.PolicyVersion[..12]}, crawler {a.CrawlerVersion}");
    }

    private static void PrintStatus(CliIo io, ParseResult r, Core.Mandates.Mandate m)
    {
        if (io.Json(r))
        {
            io.WriteJson(new { id = m.Id, status = m.Status });
        }
        else
        {
            io.Out.WriteLine($"mandate {m.Id}: {m.Status.ToString().ToLowerInvariant()}");
        }
    }

    private static Command Crawl(CliIo io)
    {
        var target = CliArgs.IdOption("--target", "target", "crawler target list");
        var run = new Command("run", "Run one crawl now, in the foreground, under the mandate that covers the target") { target };
        run.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var service = app.Get<CrawlService>();
            var mark = ResourceUse.Start(TimeProvider.System);
            var summary = await RunWithProgressAsync(io, r, service, r.GetValue(target), ct);
            if (io.Json(r))
            {
                // What the crawl itself used (start-up excluded): wall time, processor time, allocations, writes, peak memory.
                var json = System.Text.Json.JsonSerializer.SerializeToNode(summary, CliJson.Options)!.AsObject();
                json["resources"] = System.Text.Json.JsonSerializer.SerializeToNode(mark.Since(), CliJson.Options);
                io.WriteJson(json);
            }
            else
            {
                io.Out.WriteLine($"crawl {summary.State}: fetched {summary.Fetched}, refused {summary.Refused}, hits {summary.Hits}, discarded {summary.Discarded}" +
                                 (summary.Resumed ? " (resumed)" : "") + $" — {summary.EndReason}");
                if (summary.Failures.Count > 0)
                {
                    io.Out.WriteLine("failures: " + string.Join(", ", summary.Failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}")));
                }
            }

            // A crawl that could not reach what it was meant to is not a success, for scripts either.
            return summary.State switch
            {
                "failed" => CliApp.CrawlFailed,
                "partial" => CliApp.CrawlPartial,
                _ => CliApp.Ok,
            };
        });
        return new Command("crawl", "Run crawls") { run };
    }

    internal static async Task<CrawlSummary> RunWithProgressAsync(CliIo io, ParseResult r, CrawlService service, long targetId, CancellationToken ct)
    {
        if (io.Json(r) || !io.Env.Interactive)
        {
            return await service.RunAsync(targetId, io.Actor(r), null, ct);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out) });
        CrawlSummary? result = null;
        await console.Status().StartAsync("starting", async status =>
        {
            string? lastUrl = null;
            var progress = new Progress<CrawlProgress>(p =>
            {
                lastUrl = p.CurrentUrl ?? lastUrl;
                status.Status(Markup.Escape(ProgressLine(p, lastUrl)));
            });
            result = await service.RunAsync(targetId, io.Actor(r), progress, ct);
        });
        return result!;
    }

    /// <summary>The crawl's status line: counters, failures by rule as they happen, and the host awaited for more than a second.</summary>
    internal static string ProgressLine(CrawlProgress p, string? url)
    {
        var line = new System.Text.StringBuilder($"fetched {p.Fetched}  refused {p.Refused}  hits {p.Hits}  discarded {p.Discarded}");
        if (p.Failures is { Count: > 0 } failures)
        {
            line.Append("  failed: ").AppendJoin(", ", failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value}"));
        }

        if (p.WaitingOnHost is { } host && p.WaitingFor >= TimeSpan.FromSeconds(1))
        {
            line.Append(System.Globalization.CultureInfo.InvariantCulture, $"  waiting on {host} ({p.WaitingFor.TotalSeconds:0} s)");
        }

        return url is null ? line.ToString() : line.Append("  ").Append(url).ToString();
    }

    private static Command Serve(CliIo io)
    {
        var sync = CliArgs.Whole("--sync-seconds", "How often schedules are brought in line with mandates", 1, 86_400, 30);
        var urls = new Option<string>("--urls")
        {
            Description = "Where the web console listens: http on a loopback address only (put a TLS reverse proxy in front, see deploy/)",
            DefaultValueFactory = _ => Web.ConsoleOptions.DefaultUrls,
        };
        var noConsole = new Option<bool>("--no-console") { Description = "Run the scheduler only, without the web console" };
        var cmd = new Command("serve", "Run the service: Quartz fires each target that has an active mandate on its cron schedule, and the web console answers on --urls")
        {
            sync, urls, noConsole,
        };
        cmd.SetAction(async (r, ct) =>
        {
            var console = !r.GetValue(noConsole);
            if (console && Web.ConsoleOptions.ProblemWith(r.GetValue(urls)) is { } problem)
            {
                await io.Err.WriteLineAsync("refused: --urls: " + problem);
                return CliApp.Refused;
            }

            var keys = io.Keys(r);
            var storage = io.Storage(r);
            void Compose(IServiceCollection services)
            {
                services.AddSingleton(io.Env.Time);
                services.AddCrawlScheduling(TimeSpan.FromSeconds(Math.Max(1, r.GetValue(sync))), PolicyDirectory.LoadRetention(io.PoliciesDir(r)).Schedule, storage);
            }

            IHost host;
            if (console)
            {
                host = Web.ConsoleHosting.Build(new Web.ConsoleOptions(io.DataDir(r), io.PoliciesDir(r), keys) { Urls = r.GetValue(urls)!, Storage = storage },
                    builder => Compose(builder.Services));
            }
            else
            {
                var builder = Host.CreateApplicationBuilder();
                builder.Logging.ClearProviders();
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
                Compose(builder.Services);
                builder.Services.AddCrawler(io.DataDir(r), io.PoliciesDir(r), keys, storage: storage);
                host = builder.Build();
            }

            using (host)
            {
                // Opened before the scheduler starts, so a wrong folder or key is reported at once.
                _ = host.Services.GetRequiredService<Core.Storage.IInstallationStore>();
                await host.RunAsync(ct);
            }

            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command Hits(CliIo io)
    {
        var mandate = CliArgs.OptionalId("--mandate", "mandate", "crawler mandate list", "Only hits of this mandate");
        var list = new Command("list", "The review queue (consulting hits is logged)") { mandate };
        list.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var hits = await app.Get<HitService>().ListAsync(r.GetValue(mandate), io.Actor(r), ct);
            var retention = app.Get<RetentionService>();
            var mandates = await app.Get<Core.Storage.IMandateStore>().ListAsync(ct);
            if (io.Json(r))
            {
                io.WriteJsonLines(hits.Select(h => Views.Hit(h, retention.VerdictFor(h, mandates))));
            }
            else
            {
                PrintHits(io, hits, h => retention.VerdictFor(h, mandates));
            }

            return CliApp.Ok;
        });
        var id = CliArgs.Id("hit", "crawler hits list");
        var show = new Command("show", "Show one hit (logged)") { id };
        show.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var hit = await app.Get<HitService>().ShowAsync(r.GetValue(id), io.Actor(r), ct);
            var view = Views.Hit(hit, await app.Get<RetentionService>().VerdictForAsync(hit, ct));
            io.Out.WriteLine(io.Json(r) ? CliJson.Line(view) : System.Text.Json.JsonSerializer.Serialize(view, Indented));
            return CliApp.Ok;
        });
        var reviewId = CliArgs.Id("hit", "crawler hits list");
        var verdict = new Option<string>("--verdict") { Description = "relevant, not-relevant or needs-more", Required = true };
        var note = new Option<string>("--note") { Description = "Why (recorded in the audit trail)", Required = true };
        var review = new Command("review", "Record a review verdict on a hit (specialist)") { reviewId, verdict, note };
        review.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var hit = await app.Get<HitService>().ReviewAsync(r.GetValue(reviewId), r.GetValue(verdict)!, r.GetValue(note)!, io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(new { id = hit.Id, reviewStatus = hit.ReviewStatus });
            }
            else
            {
                io.Out.WriteLine($"hit {hit.Id}: {hit.ReviewStatus}");
            }

            return CliApp.Ok;
        });
        var revealId = CliArgs.Id("hit", "crawler hits list");
        var value = new Option<string>("--value") { Description = "The pseudonym, or the masked form the hit shows (e.g. '+31 6 •••• 5678')", Required = true };
        var why = new Option<string>("--reason") { Description = "Why the value is needed (recorded in the audit trail)", Required = true };
        var reveal = new Command("reveal", "Reveal one pseudonymised phone number or e-mail address of a hit (officer; logged with the reason)") { revealId, value, why };
        reveal.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var shown = await app.Get<HitService>().RevealAsync(r.GetValue(revealId), r.GetValue(value)!, r.GetValue(why)!, io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(new { id = r.GetValue(revealId), value = shown });
            }
            else
            {
                io.Out.WriteLine(shown);
            }

            return CliApp.Ok;
        });
        var linkMandate = CliArgs.IdOption("--mandate", "mandate", "crawler mandate list");
        var link = new Command("link", "Link a mandate's hits into clusters (only when the mandate allows linking; logged as combine)") { linkMandate };
        link.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var access = app.Get<AccessControl>();
            var user = await access.RequireUserAsync(io.Actor(r), ct);
            await access.AuthorizeAsync(Core.Users.Permission.HitsLink, $"mandate:{r.GetValue(linkMandate)}", ct);
            var report = await app.Get<LinkingService>().LinkAsync(r.GetValue(linkMandate), user.Name, ct);
            if (io.Json(r))
            {
                io.WriteJson(new
                {
                    mandateId = report.MandateId,
                    rescored = report.Rescored,
                    clusters = report.Result.Clusters.Select(c => new
                    {
                        number = c.Number,
                        hits = c.HitIds,
                        links = c.Links.Select(l => new { kind = l.Kind.ToString().ToLowerInvariant(), value = l.Value, hits = l.HitIds }),
                    }),
                    hubs = report.Result.Hubs.Select(h => new { kind = h.Kind.ToString().ToLowerInvariant(), value = h.Value, ads = h.AdCount }),
                });
            }
            else
            {
                foreach (var c in report.Result.Clusters)
                {
                    io.Out.WriteLine($"cluster {c.Number}: hits {string.Join(", ", c.HitIds)}");
                    foreach (var l in c.Links)
                    {
                        io.Out.WriteLine($"  {l.Kind.ToString().ToLowerInvariant()} {l.Value}: hits {string.Join(", ", l.HitIds)}");
                    }
                }

                foreach (var h in report.Result.Hubs)
                {
                    io.Out.WriteLine($"hub (not linked): {h.Kind.ToString().ToLowerInvariant()} {h.Value} in {h.AdCount} ads");
                }

                io.Out.WriteLine($"{report.Result.Clusters.Count} clusters; {report.Rescored} scores changed");
            }

            return CliApp.Ok;
        });
        return new Command("hits", "Reviewable hits") { list, show, review, reveal, link };
    }

    internal static void PrintHits(CliIo io, IReadOnlyList<Core.Hits.Hit> hits, Func<Core.Hits.Hit, Core.Retention.RetentionVerdict> retention)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Out), Ansi = io.Env.Interactive ? AnsiSupport.Detect : AnsiSupport.No });
        if (!io.Env.Interactive)
        {
            console.Profile.Width = 200;
        }
        var table = new Table().AddColumns("id", "score", "url", "phones", "emails", "indicators", "review", "delete at");
        foreach (var h in hits.OrderByDescending(h => h.Escalated).ThenByDescending(h => h.Score).ThenBy(h => h.Id))
        {
            table.AddRow(
                h.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (h.Escalated ? "ESCALATE " : "") + h.Score.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(h.Url),
                Markup.Escape(string.Join(", ", h.Phones.Select(p => p.Display))),
                Markup.Escape(string.Join(", ", h.Emails.Select(p => p.Display))),
                Markup.Escape(string.Join(", ", h.Indicators.Select(i => i.Id))),
                Markup.Escape(h.ReviewStatus),
                retention(h).DeleteAt is { } at ? at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "at mandate end");
        }

        console.Write(table);
        io.Out.WriteLine($"{hits.Count} hits (the score ranks the queue for review; it is not a verdict)");
    }

    private static Command Audit(CliIo io)
    {
        var mandate = CliArgs.OptionalId("--mandate", "mandate", "crawler mandate list", "Only entries of this mandate");
        var caseNumber = new Option<string?>("--case") { Description = "Only entries of this case" };
        var actor = new Option<string?>("--actor") { Description = "Only entries whose actor contains this text" };
        var operation = new Option<string?>("--operation") { Description = "Only this operation (collect, refuse, consult, approve, ...)" };
        var outcome = new Option<string?>("--outcome") { Description = "Only this outcome (fetched, refused, stored, ...)" };
        var from = CliArgs.Time("--from", "From this time (ISO 8601, inclusive)");
        var until = CliArgs.Time("--until", "Until this time (ISO 8601, exclusive)");
        var csv = new Option<bool>("--csv") { Description = "CSV (RFC 4180) with a header row" };
        var list = new Command("list", "The audit trail, oldest first, filtered") { mandate, caseNumber, actor, operation, outcome, from, until, csv };
        list.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var filter = new AuditFilter(r.GetValue(mandate), r.GetValue(caseNumber), r.GetValue(actor), r.GetValue(operation), r.GetValue(outcome),
                r.GetValue(from), r.GetValue(until));
            var entries = await app.Get<AuditService>().ConsultAsync(filter, io.Actor(r), ct);
            if (r.GetValue(csv))
            {
                await AuditCsv.WriteAsync(io.Out, entries, ct);
            }
            else if (io.Json(r))
            {
                await foreach (var e in entries)
                {
                    io.WriteJson(Views.Audit(e));
                }
            }
            else
            {
                await foreach (var e in entries)
                {
                    var rec = e.Record;
                    io.Out.WriteLine($"{e.Sequence,6} {e.Time:yyyy-MM-ddTHH:mm:ss.fffZ} {rec.Actor} {rec.Operation} {rec.Subject} {rec.Outcome}" +
                                     (rec.Rule is null ? "" : $" [{rec.Rule}]") + (rec.Reason is null ? "" : $" {rec.Reason}") +
                                     (rec.LegalBasis is null ? "" : $" basis={rec.LegalBasis}") + (rec.DataSubject is null ? "" : $" subject={rec.DataSubject}") +
                                     (rec.Recipient is null ? "" : $" recipient={rec.Recipient}"));
                }
            }

            return CliApp.Ok;
        });
        var checkpointFile = new Option<string?>("--checkpoint") { Description = "A checkpoint written earlier: also prove nothing up to it was removed or changed" };
        var verify = new Command("verify", "Verify the hash chain of the audit trail") { checkpointFile };
        verify.SetAction(async (r, ct) =>
        {
            var cp = r.GetValue(checkpointFile) is { } cpFile ? AuditService.ReadCheckpoint(cpFile) : null;
            await using var app = io.Open(r);
            var result = await app.Get<AuditService>().VerifyAsync(cp, io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(new { ok = result.Ok, entries = result.Entries, firstBadSequence = result.FirstBadSequence, problem = result.Problem });
            }
            else if (result.Ok)
            {
                io.Out.WriteLine($"audit verify: OK ({result.Entries} entries)" + (cp is null ? "" : $"; checkpoint entry {cp.Sequence} of {cp.Time:O} matches"));
            }
            else
            {
                io.Out.WriteLine($"audit verify: FAILED at entry {result.FirstBadSequence}: {result.Problem}");
            }

            return result.Ok ? CliApp.Ok : CliApp.VerificationFailed;
        });
        var outFile = new Option<string>("--out") { Description = "Where to write the checkpoint (keep it outside this system)", Required = true };
        var checkpoint = new Command("checkpoint", "Write the current head of the trail (sequence, hash, time) to a file an auditor keeps elsewhere") { outFile };
        checkpoint.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var cp = await app.Get<AuditService>().CheckpointAsync(r.GetValue(outFile)!, io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(cp);
            }
            else
            {
                io.Out.WriteLine($"checkpoint: entry {cp.Sequence}, hash {cp.Hash}, {cp.Time:O}");
            }

            return CliApp.Ok;
        });
        var reportMandate = CliArgs.IdOption("--mandate", "mandate", "crawler mandate list");
        var reportOut = new Option<string>("--out") { Description = "The HTML file to write", Required = true };
        var report = new Command("report", "Write a self-contained HTML report on one mandate for auditors") { reportMandate, reportOut };
        report.SetAction(async (r, ct) =>
        {
            await using var app = io.Open(r);
            var file = await app.Get<AuditReport>().WriteAsync(r.GetValue(reportMandate), r.GetValue(reportOut)!, io.Actor(r), ct);
            if (io.Json(r))
            {
                io.WriteJson(new { file });
            }
            else
            {
                io.Out.WriteLine($"report written: {file}");
            }

            return CliApp.Ok;
        });
        return new Command("audit", "The tamper-evident audit trail") { list, verify, checkpoint, report };
    }
}
