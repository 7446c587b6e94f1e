using System.Globalization;
using System.Security.Claims;
using Crawler.Core.Mandates;
using Crawler.Core.Yaml;
using Crawler.Service.Access;
using Crawler.Service.Application;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// The captured page of a hit, served for the hit page's sandboxed frame from <c>/capture/TICKET</c>. The frame is
/// loaded without cookies (<c>credentialless</c>), so the session cookie never reaches a document the site wrote: the
/// request is authorised by the ticket alone, which the hit page issues to the signed-in person (their sign-in token,
/// the hit and the page's language, encrypted, valid for <see cref="Lifetime"/>). The token is proved again and the
/// hit read through <see cref="HitService.CaptureAsync"/>, so a revoked session sees nothing and every view is logged.
/// </summary>
public sealed class CaptureFrame(IDataProtectionProvider protection, TimeProvider time)
{
    public const string PathPrefix = "/capture";

    /// <summary>Long enough to load the frame after the page, short enough that a copied address is soon worthless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = protection.CreateProtector("crawler-console.capture-ticket");

    /// <summary>The frame's address for <paramref name="user"/> reading hit <paramref name="hitId"/> in <paramref name="language"/>.</summary>
    public string AddressFor(ClaimsPrincipal user, long hitId, string language)
    {
        var token = user.FindFirstValue(ConsoleUser.TokenClaim) ?? "";
        var name = user.Identity?.Name ?? "";
        var expires = time.GetUtcNow().Add(Lifetime).UtcTicks.ToString(CultureInfo.InvariantCulture);
        var ticket = string.Join('\n', token, name, hitId.ToString(CultureInfo.InvariantCulture), language, expires);
        return $"{PathPrefix}/{_protector.Protect(ticket)}";
    }

    internal static async Task ServeAsync(string ticket, HttpContext context, CaptureFrame frames, IdentityService identity,
        AccessControl access, HitService hits)
    {
        // Whatever happens here is answered here: an error page of the console would not render under the frame's policy.
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        var ct = context.RequestAborted;
        if (frames.Open(ticket) is not { } t)
        {
            await PlainAsync(context, StatusCodes.Status404NotFound, "capture.expired", "nl");
            return;
        }

        try
        {
            access.ActAs(await identity.AuthenticateTokenAsync(t.Token, t.Name, ct));
            var capture = await hits.CaptureAsync(t.HitId, null, ct);
            var html = capture.Snapshot is { } snapshot
                ? CapturedDocument.FromSnapshot(snapshot.Body, t.Language)
                : CapturedDocument.FromText(capture.Hit.Title ?? "", capture.Hit.Text ?? string.Join("\n\n", capture.Hit.Snippets), t.Language);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html, ct);
        }
        catch (RefusalException)
        {
            // Logged by the identity service or the access check, with its rule.
            await PlainAsync(context, StatusCodes.Status403Forbidden, "capture.refused", t.Language);
        }
        catch (InputException)
        {
            await PlainAsync(context, StatusCodes.Status404NotFound, "capture.expired", t.Language);
        }
    }

    private (string Token, string Name, long HitId, string Language)? Open(string ticket)
    {
        string plain;
        try
        {
            plain = _protector.Unprotect(ticket);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = plain.Split('\n');
        if (parts.Length != 5 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hitId) ||
            !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || time.GetUtcNow().UtcTicks > expires)
        {
            return null;
        }

        return (parts[0], parts[1], hitId, parts[3] == "en" ? "en" : "nl");
    }

    private static Task PlainAsync(HttpContext context, int status, string key, string language)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var culture = language == "en" ? ConsoleHosting.Cultures[1] : ConsoleHosting.Cultures[0];
        return context.Response.WriteAsync(Text.Get(key, culture) + "\n", context.RequestAborted);
    }
}
