using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Crawler.Core.Audit;

/// <summary>A URL named in an audit entry, and the keyed reference that stands for it in the chain.</summary>
public sealed record UrlMention(string Reference, string Url, long? MandateId);

/// <summary>
/// The audit trail names page URLs by a keyed reference (<c>url:</c> and 20 hex digits) and keeps
/// the URL itself beside the trail. The chain covers the reference, so erasing a URL when its hit
/// expires leaves the trail verifiable and the URL gone: the log still proves that something with
/// this content hash was collected, kept and erased, without keeping what it was.
/// </summary>
public static partial class UrlReference
{
    public const string Prefix = "url:";

    [GeneratedRegex(@"https?://[^\s;,""'<>()\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"url:[0-9a-f]{20}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    /// <summary>The reference of <paramref name="url"/> under a mandate: the same URL under another mandate has another reference, and its own retention.</summary>
    public static string Of(byte[] key, long? mandateId, string url)
    {
        var message = Encoding.UTF8.GetBytes("url\n" + (mandateId ?? 0) + "\n" + url);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, message, mac);
        return Prefix + Convert.ToHexStringLower(mac[..10]);
    }

    /// <summary>Replaces every URL in the record's subject and reason by its reference, and says which were replaced.</summary>
    public static AuditRecord Seal(byte[] key, AuditRecord record, List<UrlMention> mentions)
    {
        var subject = Replace(key, record.MandateId, record.Subject, mentions);
        var reason = record.Reason is null ? null : Replace(key, record.MandateId, record.Reason, mentions);
        return ReferenceEquals(subject, record.Subject) && ReferenceEquals(reason, record.Reason)
            ? record
            : record with { Subject = subject, Reason = reason };
    }

    private static string Replace(byte[] key, long? mandateId, string text, List<UrlMention> mentions)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        return UrlPattern().Replace(text, m =>
        {
            var reference = Of(key, mandateId, m.Value);
            mentions.Add(new UrlMention(reference, m.Value, mandateId));
            return reference;
        });
    }

    /// <summary>Puts the URLs back for reading; a reference whose URL was erased says so.</summary>
    public static string Resolve(string text, Func<string, string?> lookup)
    {
        if (!text.Contains(Prefix, StringComparison.Ordinal))
        {
            return text;
        }

        return ReferencePattern().Replace(text, m => lookup(m.Value) ?? m.Value + " (erased)");
    }

    /// <summary>The URL references a record's subject and reason hold, for resolving them in one batch.</summary>
    public static IEnumerable<string> ReferencesIn(AuditRecord record)
    {
        foreach (var text in new[] { record.Subject, record.Reason })
        {
            if (text is null || !text.Contains(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in ReferencePattern().Matches(text))
            {
                yield return m.Value;
            }
        }
    }

    public static AuditRecord Resolve(AuditRecord record, Func<string, string?> lookup)
    {
        var subject = Resolve(record.Subject, lookup);
        var reason = record.Reason is null ? null : Resolve(record.Reason, lookup);
        return ReferenceEquals(subject, record.Subject) && ReferenceEquals(reason, record.Reason)
            ? record
            : record with { Subject = subject, Reason = reason };
    }
}
