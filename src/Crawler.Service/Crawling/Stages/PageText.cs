using System.Text;

namespace Crawler.Service.Crawling.Stages;

/// <summary>A body as text, in the charset the response named (UTF-8 when it named none, or one .NET does not know).</summary>
internal static class PageText
{
    public static string Decode(byte[] body, string? charset)
    {
        try
        {
            return (charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'))).GetString(body);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(body);
        }
    }
}
