using Crawler.Core.Mandates;
using System.Reflection;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// The permission of the access matrix a console page needs (on the class) or one of its actions needs besides (on a
/// handler method); checked, and a refusal written to the audit trail, before the handler runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class RequirePermissionAttribute(Permission permission) : Attribute
{
    public Permission Permission { get; } = permission;
}

/// <summary>A page for any signed-in person, whatever their role (their own account, the start page).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SignedInAttribute : Attribute;

/// <summary>
/// Authorises every page by the same <see cref="AccessPolicy"/> as the CLI, through <see cref="AccessControl"/>, so a refusal
/// is the same <c>access.PERMISSION</c> audit entry; and turns the services' refusals and input errors into error pages
/// (403, 404, 400) that name the rule, never a stack trace.
/// </summary>
internal sealed partial class AccessFilter(AccessControl access, ILogger<AccessFilter> logger) : IAsyncPageFilter
{
    public const string RefusalItem = "crawler.refusal";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var required = new[]
        {
            context.HandlerInstance.GetType().GetCustomAttribute<RequirePermissionAttribute>(),
            context.HandlerMethod?.MethodInfo.GetCustomAttribute<RequirePermissionAttribute>(),
        }.OfType<RequirePermissionAttribute>();
        if (http.User.Identity?.IsAuthenticated == true)
        {
            foreach (var permission in required.Select(r => r.Permission).Distinct())
            {
                try
                {
                    await access.AuthorizeAsync(permission, "console:" + http.Request.Path.Value, http.RequestAborted);
                }
                catch (RefusalException ex)
                {
                    Log.Refused(logger, ex.Rule, context.ActionDescriptor.ViewEnginePath, http.Request.Method);
                    http.Items[RefusalItem] = ex;
                    context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                    return;
                }
            }
        }

        var executed = await next();
        if (executed.Exception is null || executed.ExceptionHandled)
        {
            return;
        }

        var status = executed.Exception switch
        {
            RefusalException => StatusCodes.Status403Forbidden,
            InputException input when input.Problems.Any(p => p.Field == "ID") => StatusCodes.Status404NotFound,
            InputException => StatusCodes.Status400BadRequest,
            _ => 0,
        };
        if (status != 0)
        {
            http.Items[RefusalItem] = executed.Exception;
            executed.Result = new StatusCodeResult(status);
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>The console's log: a rule, a page's route template and a method; never a name, a case or a filter.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "refused {Rule} on page {Page} ({Method}); the audit trail has the entry")]
        public static partial void Refused(ILogger logger, string rule, string page, string method);
    }
}
