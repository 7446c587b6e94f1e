using System.Security.Cryptography;
using System.Text;

namespace Crawler.Storage;

/// <summary>Keys that every store derives the same way, so that a migrated installation finds what it stored before.</summary>
internal static class HitKeys
{
    /// <summary>A mandate's hit of one URL with exactly this content; the URL hashed so that the index key stays short whatever its length.</summary>
    public static string Same(long mandateId, string url, string contentSha256) =>
        mandateId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))) + ":" + contentSha256;
}
