namespace Crawler.Browser.Tests;

/// <summary>
/// An ad page written to reach out from a reviewer's browser in every way a page can: scripts (inline, external, in
/// SVG), inline handlers, a meta refresh, a base href, stylesheets, CSS url() and @import, srcset, a frame, a prefetch,
/// a javascript: link, and a title of markup. Every address points at the page's own origin, which counts its requests.
/// </summary>
public static class HostilePage
{
    /// <summary>The title as the site wrote it (text inside title and h1, which must stay text wherever it is shown).</summary>
    public const string Title = "<script>alert(1)</script>";

    public static string Html(Uri origin) => $$"""
        <!doctype html>
        <html><head>
        <title>&lt;script&gt;alert(1)&lt;/script&gt;</title>
        <base href="{{origin}}base/">
        <meta http-equiv="refresh" content="1; url={{origin}}refreshed">
        <link rel="stylesheet" href="{{origin}}style.css">
        <link rel="prefetch" href="/prefetched">
        <link rel="icon" href="/favicon-hostile.ico">
        <style>
          @import url("{{origin}}import.css");
          body { background: url({{origin}}background.png); }
          .ad { background-image: image-set("{{origin}}set.png" 1x); }
          @font-face { font-family: x; src: url('/font.woff2'); }
          h1 { font-family: x; }
        </style>
        <script>alert('inline script'); fetch('{{origin}}fetched');</script>
        <script src="{{origin}}script.js"></script>
        </head>
        <body onload="alert('onload')">
        <main><article class="ad">
        <h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>
        <p>Nieuw in de stad, bel 06-12345678 voor een afspraak. Escort service, alleen vandaag.</p>
        <img src="{{origin}}photo.jpg" srcset="{{origin}}photo-2x.jpg 2x, /photo-3x.jpg 3x" alt="foto" onerror="alert('onerror')">
        <picture><source srcset="/picture.webp"><img src="/picture.jpg" alt="p"></picture>
        <div style="background: url('{{origin}}inline-style.png')">achtergrond</div>
        <svg width="10" height="10"><script>alert('svg')</script><image href="{{origin}}svg-image.png" width="10" height="10"/><a href="{{origin}}svg-link"><text y="9">s</text></a></svg>
        <a href="javascript:alert('link')">klik hier</a>
        <a href="{{origin}}next" onclick="alert('click')">volgende</a>
        <iframe src="{{origin}}framed"></iframe>
        <object data="{{origin}}object.swf"></object>
        <video poster="{{origin}}poster.jpg" src="/video.mp4"></video>
        <form action="{{origin}}submit"><input type="image" src="/button.png" alt="verstuur"><button formaction="/other">x</button></form>
        <noscript><img src="{{origin}}noscript.png" alt="n"></noscript>
        </article></main>
        </body></html>
        """;
}
