using Crawler.Core.Mandates;
using System.Reflection;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Crawler.Web.Infrastructure;

/// <summary>The permission of the access matrix a console page needs; checked (and a refusal logged) before any handler runs.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
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
internal sealed class AccessFilter(AccessControl access) : IAsyncPageFilter
{
    public const string RefusalItem = "crawler.refusal";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (context.HandlerInstance.GetType().GetCustomAttribute<RequirePermissionAttribute>() is { } required && http.User.Identity?.IsAuthenticated == true)
        {
            try
            {
                await access.AuthorizeAsync(required.Permission, "console:" + http.Request.Path.Value, http.RequestAborted);
            }
            catch (RefusalException ex)
            {
                http.Items[RefusalItem] = ex;
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                return;
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
}
