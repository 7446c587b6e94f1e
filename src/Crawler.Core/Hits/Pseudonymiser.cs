using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Mandates;

namespace Crawler.Core.Hits;

/// <summary>
/// Holds the pseudonym key and everything keyed with it: pseudonyms of contacts, sealed values an officer may
/// reveal, the references that stand for URLs in the audit trail, and the keys that count a mandate's distinct
/// contacts. The key never leaves this type.
/// </summary>
public sealed class Pseudonymiser(byte[] key)
{
    private readonly byte[] _key = key.Length >= 32 ? key : throw new ArgumentException("a pseudonym key has at least 32 bytes", nameof(key));

    public string Pseudonym(string kind, string value) => Minimiser.Pseudonym(_key, kind, value);

    public string Seal(string kind, string value) => ContactSeal.Seal(_key, kind, value);

    /// <summary>The sealed value, or null when the seal does not open with this key.</summary>
    public string? Open(string kind, string sealedText) => ContactSeal.Open(_key, kind, sealedText);

    public string UrlReferenceOf(long? mandateId, string url) => UrlReference.Of(_key, mandateId, url);

    /// <summary>Replaces every URL in the record by its reference and says which were replaced.</summary>
    public AuditRecord SealUrls(AuditRecord record, List<UrlMention> mentions) => UrlReference.Seal(_key, record, mentions);

    /// <summary>
    /// The secret site templates are keyed with (derived from the key, never the key): their hashes of a site's blocks
    /// and contacts in the crawl state can then not be searched for a number or a sentence without it.
    /// </summary>
    public byte[] SiteTemplateSecret() => HMACSHA256.HashData(_key, "crawler site template secret v1"u8);

    public MinimisedContent Minimise(AdFeatures ad, Indicators.IndicatorScore score, MandateSpec mandate) => Minimiser.Apply(ad, score, mandate, _key);

    /// <summary>
    /// The keys a stored hit's contacts count under for the mandate's contact cap: a keyed hash of the pseudonym (or
    /// the value kept), so that the count outlives an erased hit without keeping anything that can be reversed.
    /// </summary>
    public IReadOnlyList<string> ContactKeys(Hit hit) =>
        hit.Phones.Concat(hit.Emails)
            .Select(c => hit.MandateId + ":" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(c.Pseudonym ?? c.Value ?? c.Display))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
