namespace Crawler.Web.Infrastructure;

/// <summary>
/// Strict headers on every response: a content security policy without inline script or style and with nothing from
/// elsewhere, no framing, no referrer, no sniffing; and no caching of pages, which hold police data.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            // A captured page is framed by the hit page only, under a policy that lets it load nothing (CapturedDocument).
            var capture = context.Request.Path.StartsWithSegments(CaptureFrame.PathPrefix, StringComparison.Ordinal);
            h.ContentSecurityPolicy = capture ? CapturedDocument.ContentSecurityPolicy : ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = capture ? "SAMEORIGIN" : "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Cross-Origin-Resource-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            if (!context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal))
            {
                h.CacheControl = "no-store";
                h.Pragma = "no-cache";
            }

            if (context.Request.IsHttps)
            {
                h.StrictTransportSecurity = "max-age=31536000";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
