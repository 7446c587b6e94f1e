using Crawler.Service.Application;
using Quartz;

namespace Crawler.Web.Infrastructure;

/// <summary>For monitoring: <c>/healthz</c> (the process answers) and <c>/readyz</c> (the database answers, the scheduler runs when this host has one). No data.</summary>
internal static class Health
{
    public static IResult Live() => Results.Text("ok\n", "text/plain");

    public static async Task<IResult> ReadyAsync(StatusService status, HttpContext context)
    {
        var services = context.RequestServices;
        var database = await status.DatabaseAnswersAsync(context.RequestAborted);
        var scheduler = "not in this process";
        var ok = database;
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var s = await factory.GetScheduler(context.RequestAborted);
            var running = await s.GetStatus(context.RequestAborted) == SchedulerStatus.Running;
            scheduler = running ? "running" : "not running";
            ok &= running;
        }

        var text = $"database: {(database ? "ok" : "not answering")}\nscheduler: {scheduler}\n";
        return Results.Text(text, "text/plain", statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
