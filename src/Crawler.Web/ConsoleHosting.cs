using System.Globalization;
using System.Threading.RateLimiting;
using Crawler.Service.Hosting;
using Crawler.Service.Telemetry;
using Crawler.Web.Api;
using Crawler.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using OpenTelemetry.Metrics;

namespace Crawler.Web;

/// <summary>
/// Puts the console together: the application services of the one composition root (<c>AddCrawler</c>),
/// Razor Pages, cookie sign-in over the CLI's identities, antiforgery, security headers and the two languages.
/// <c>crawler serve</c>, the development entry point and the tests all build it here.
/// </summary>
public static class ConsoleHosting
{
    public const string CookieName = "crawler.session";
    public const string AntiforgeryCookieName = "crawler.antiforgery";
    public const string LanguageCookieName = "crawler.language";

    /// <summary>The cultures the console speaks: Dutch first (the default), then English.</summary>
    public static IReadOnlyList<CultureInfo> Cultures { get; } = [CultureInfo.GetCultureInfo("nl-NL"), CultureInfo.GetCultureInfo("en-GB")];

    /// <summary>
    /// The console over a data folder, ready to run: <paramref name="configure"/> adds what the host needs besides
    /// (a clock for tests, Quartz for <c>crawler serve</c>) before the composition root is added.
    /// </summary>
    public static WebApplication Build(ConsoleOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        if (ConsoleOptions.ProblemWith(options.Urls) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ConsoleHosting).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        // Request lines carry filters (a case, an actor) and ids: ASP.NET Core's own request logging stays off.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The session keys live in memory by design (below): the key manager's warning about unencrypted keys at rest does not apply.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        configure?.Invoke(builder);
        builder.Services.AddCrawler(options.DataDirectory, options.PoliciesDirectory, options.Keys, storage: options.Storage);
        builder.Services.AddCrawlerConsole(options);
        var app = builder.Build();
        app.UseCrawlerConsole();
        return app;
    }

    /// <summary>The console's own services (the application services come from the composition root).</summary>
    public static IServiceCollection AddCrawlerConsole(this IServiceCollection services, ConsoleOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<Text>();
        services.AddSingleton<CaptureFrame>();
        services.AddScoped<AccessFilter>();
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            foreach (var open in ConsolePages.Anonymous)
            {
                o.Conventions.AllowAnonymousToPage(open);
            }
        }).AddMvcOptions(o => o.Filters.AddService<AccessFilter>());

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = options.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.ReturnUrlParameter = "returnUrl";
            o.Events = new SessionEvents();
        });
        services.AddAuthorization();
        services.AddCrawlerApi();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = null;
        });

        // Keys for the session and antiforgery cookies live in memory only: a restart signs everyone out, and no key
        // that could forge a session is ever written to disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider().SetApplicationName("crawler-console");

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.StartsWithSegments("/signin", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("other"));
        });

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only a proxy on this machine (the default known proxies: loopback) is believed about scheme and client.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);

        // The service's own meter only: its labels are rule ids, never a URL, host, case or person (CrawlerMetrics).
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(CrawlerMetrics.MeterName).AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>The request pipeline: forwarded headers, security headers, error pages, language, sign-in, pages.</summary>
    public static WebApplication UseCrawlerConsole(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler("/error/500");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(CrawlerApi.NoStatusPagesForTheApi);
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Cultures[0]),
            SupportedCultures = [.. Cultures],
            SupportedUICultures = [.. Cultures],
            RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = LanguageCookieName }],
        });
        app.Use(Health.MetricsForThisMachineOnly);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/assets/{name}", Assets.Serve).AllowAnonymous();
        app.MapGet(CaptureFrame.PathPrefix + "/{ticket}", CaptureFrame.ServeAsync).AllowAnonymous();
        app.MapGet("/healthz", Health.Live).AllowAnonymous();
        // For a scraper on this machine only: a request from elsewhere (through the proxy, too) is refused.
        app.MapPrometheusScrapingEndpoint(Health.MetricsPath).AllowAnonymous();
        app.MapGet("/readyz", Health.ReadyAsync).AllowAnonymous();
        app.MapRazorPages();
        app.MapCrawlerApi();
        return app;
    }
}
