using System.Text.Json;
using System.Text.Json.Serialization;
using Crawler.Core.Mandates;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace Crawler.Web.Api;

/// <summary>Why a request was refused or could not be done: the rule (as in the audit trail) and the service's reason; input problems each with its field.</summary>
public sealed record ApiError(string Rule, string Reason, IReadOnlyList<InputProblem> Problems);

/// <summary>A decision's reason (approve, reject, revoke).</summary>
public sealed record DecisionRequest(string? Reason);

/// <summary>A hit's verdict and the note that explains it.</summary>
public sealed record VerdictRequest(string Verdict, string Note);

/// <summary>"Run now" for a target.</summary>
public sealed record RunRequest(long TargetId);

/// <summary>
/// The JSON API under <c>/api/v1/</c>: the console's actions for other police systems, through the same application
/// services (the same access matrix, the same audit entries, a refusal is an entry). Bearer tokens of <c>crawler login</c>
/// only (<see cref="BearerToken"/>); its OpenAPI document is served at <c>/openapi/v1.json</c>.
/// </summary>
public static class CrawlerApi
{
    public const string Prefix = "/api/v1";

    public const string Policy = "api";

    public static IServiceCollection AddCrawlerApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerToken>(BearerToken.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(BearerToken.SchemeName).RequireAuthenticatedUser());
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        });
        services.AddOpenApi("v1");
        return services;
    }

    /// <summary>The API's routes. Status pages are off for them: an API answers JSON, never an HTML error page.</summary>
    public static WebApplication MapCrawlerApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup(Prefix).RequireAuthorization(Policy).AddEndpointFilter(AnswerRefusalsAsync).WithTags("crawler");

        api.MapGet("/mandates", (MandateService s, CancellationToken ct) => s.ListAsync(null, ct));
        api.MapGet("/mandates/{id:long}", (long id, MandateService s, CancellationToken ct) => s.ShowAsync(id, null, ct));
        api.MapPost("/mandates/{id:long}/approve", (long id, DecisionRequest body, MandateService s, CancellationToken ct) => s.ApproveAsync(id, null, false, body.Reason, ct));
        api.MapPost("/mandates/{id:long}/reject", (long id, DecisionRequest body, MandateService s, CancellationToken ct) => s.RejectAsync(id, null, body.Reason ?? "", ct));
        api.MapPost("/mandates/{id:long}/revoke", (long id, DecisionRequest body, MandateService s, CancellationToken ct) => s.RevokeAsync(id, null, body.Reason ?? "", ct));

        api.MapGet("/targets", (TargetService s, CancellationToken ct) => s.ListAsync(ct));
        api.MapGet("/targets/{id:long}", (long id, TargetService s, CancellationToken ct) => s.ShowAsync(id, ct));

        api.MapGet("/runs", (long? target, RunService s, CancellationToken ct) => s.ListAsync(target, ct));
        api.MapGet("/runs/{id:long}", (long id, RunService s, CancellationToken ct) => s.ShowAsync(id, ct));
        api.MapPost("/runs", async (RunRequest body, CrawlLauncher launcher, AccessControl access, CancellationToken ct) =>
        {
            // The same authorisation as every crawl, before anything starts (the crawl service checks again and audits).
            var who = await access.AuthorizeAsync(Core.Users.Permission.CrawlRun, $"target:{body.TargetId}", ct);
            var run = await launcher.StartAsync(who, body.TargetId, ct);
            return Results.Accepted($"{Prefix}/runs/{run.Id}", run);
        });

        api.MapGet("/hits", (long? mandate, HitService s, CancellationToken ct) => s.ListAsync(mandate, null, ct));
        api.MapGet("/hits/{id:long}", (long id, HitService s, CancellationToken ct) => s.ShowAsync(id, null, ct));
        api.MapPost("/hits/{id:long}/verdict", (long id, VerdictRequest body, HitService s, CancellationToken ct) => s.ReviewAsync(id, body.Verdict, body.Note, null, ct));

        api.MapGet("/audit", (long? after, int? take, AuditService s, CancellationToken ct) =>
            s.ConsultPageAsync(null, Math.Max(0, after ?? 0), Math.Clamp(take ?? 100, 1, 1000), null, ct));
        api.MapPost("/audit/verify", (AuditService s, CancellationToken ct) => s.VerifyAsync(null, null, ct));
        return app;
    }

    /// <summary>The services' refusals and input errors as JSON: 403 for the access matrix, 409 for a rule of the service, 404 or 400 for input.</summary>
    private static async ValueTask<object?> AnswerRefusalsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RefusalException ex)
        {
            var status = ex.Rule.StartsWith("access.", StringComparison.Ordinal) || ex.Rule.StartsWith("auth.", StringComparison.Ordinal)
                ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
            return Results.Json(new ApiError(ex.Rule, ex.Message, []), statusCode: status);
        }
        catch (InputException ex)
        {
            var status = ex.Problems.Any(p => p.Field == "ID") ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return Results.Json(new ApiError("input", string.Join("; ", ex.Problems.Select(p => p.ToString())), ex.Problems), statusCode: status);
        }
    }

    /// <summary>Keeps the console's HTML error pages away from the API's answers.</summary>
    public static Task NoStatusPagesForTheApi(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase) &&
            context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        return next(context);
    }
}
