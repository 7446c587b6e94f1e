using Crawler.Service.Application;
using Quartz;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// For monitoring: <c>/healthz</c> (the process answers), <c>/readyz</c> (the database answers, the scheduler runs when
/// this host has one), and <c>/metrics</c> (Prometheus text, for a scraper on this machine). No data.
/// </summary>
internal static class Health
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Counts of fetches and refusals say how busy an investigation is: they are for this machine's scraper, and a
    /// request from elsewhere (a reverse proxy passes the client's address on) is refused.
    /// </summary>
    public static Task MetricsForThisMachineOnly(HttpContext context, RequestDelegate next)
    {
        var metrics = context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
        if (metrics && !(context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("metrics are served to this machine only\n", context.RequestAborted);
        }

        return next(context);
    }

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
