using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;

namespace Crawler.Core.Hits;

/// <summary>The fields of a hit after the mandate's data categories have been applied.</summary>
public sealed record MinimisedContent(
    string? Title,
    string? Text,
    IReadOnlyList<string> Snippets,
    IReadOnlyList<ContactValue> Phones,
    IReadOnlyList<ContactValue> Emails,
    IReadOnlyList<int>? Ages = null,
    IReadOnlyList<StatedPrice>? Prices = null,
    AdDescription? Description = null);

/// <summary>
/// Applies the mandate's data categories before anything is stored: keep, pseudonymise with a
/// keyed HMAC (a plain hash of a phone number is reversed in seconds: there are only ~60 million
/// Dutch mobile numbers), or drop. Text is kept whole only when the mandate keeps 'text';
/// otherwise only the evidence snippets around fired indicators remain.
/// </summary>
public static partial class Minimiser
{
    public static MinimisedContent Apply(AdFeatures ad, IndicatorScore score, MandateSpec mandate, byte[] pseudonymKey)
    {
        var keepText = mandate.TreatmentOf(DataCategory.Text) == Treatment.Keep;
        var phones = ad.Phones.Select(p => p.E164).Distinct(StringComparer.Ordinal)
            .Select(p => Contact(mandate.TreatmentOf(DataCategory.Phone), "phone", p, MaskPhone(p), pseudonymKey))
            .OfType<ContactValue>().ToList();
        var emails = ad.Emails.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(e => Contact(mandate.TreatmentOf(DataCategory.Email), "email", e.ToLowerInvariant(), MaskEmail(e), pseudonymKey))
            .OfType<ContactValue>().ToList();
        return new MinimisedContent(
            keepText ? ad.Title : null,
            keepText ? ad.Text : null,
            keepText ? [] : score.Fired.Select(f => MaskContacts(f.Evidence, ad, mandate)).Distinct(StringComparer.Ordinal).ToList(),
            phones,
            emails,
            mandate.TreatmentOf(DataCategory.Age) == Treatment.Keep ? ad.Ages : null,
            mandate.TreatmentOf(DataCategory.Price) == Treatment.Keep ? ad.Prices : null,
            Describe(ad, mandate, pseudonymKey));
    }

    /// <summary>
    /// The features beyond contacts, each under the data category it belongs to: messenger handles are contact
    /// identifiers and follow 'phone'; the working name follows 'name'; places follow 'location'; image URLs
    /// follow 'images'. Nationality or ethnicity and languages reveal origin (a special category, LED art. 10)
    /// and are kept only with the full text. Venues, services, posting date and the site's ad id describe the
    /// offer rather than a person and are kept.
    /// </summary>
    private static AdDescription? Describe(AdFeatures ad, MandateSpec mandate, byte[] key)
    {
        if (ad.Locations is null && ad.Messengers is null && ad.Name is null && ad.Images is null && ad.Venues is null && ad.Services is null &&
            ad.PostedAt is null && ad.AdId is null)
        {
            return null;
        }

        var keepText = mandate.TreatmentOf(DataCategory.Text) == Treatment.Keep;
        var handles = (ad.Messengers ?? []).Select(m => m.Platform + ":" + m.Handle).Distinct(StringComparer.Ordinal)
            .Select(h => Contact(mandate.TreatmentOf(DataCategory.Phone), "handle", h, MaskHandle(h), key))
            .OfType<ContactValue>().ToList();
        var name = ad.Name is { Length: > 0 } n ? Contact(mandate.TreatmentOf(DataCategory.Name), "name", n, n[0] + "•••", key) : null;
        var places = (ad.Locations ?? []).Select(l => l.Kind + ":" + l.Value).Distinct(StringComparer.Ordinal)
            .Select(l => Contact(mandate.TreatmentOf(DataCategory.Location), "location", l, l[..(l.IndexOf(':', StringComparison.Ordinal) + 1)] + "•••", key))
            .OfType<ContactValue>().ToList();
        var images = (ad.Images ?? []).Select(u => u.ToString()).Distinct(StringComparer.Ordinal)
            .Select(u => Contact(mandate.TreatmentOf(DataCategory.Images), "image", u, "image •••", key))
            .OfType<ContactValue>().ToList();
        return new AdDescription(handles, name, places, images,
            keepText ? ad.Nationalities : null,
            keepText ? ad.Languages : null,
            ad.Venues, ad.Services, ad.PostedAt, ad.AdId);
    }

    /// <summary>"telegram:lisa_utrecht" becomes "telegram:l•••t".</summary>
    public static string MaskHandle(string platformAndHandle)
    {
        var colon = platformAndHandle.IndexOf(':', StringComparison.Ordinal);
        var handle = platformAndHandle[(colon + 1)..];
        return platformAndHandle[..(colon + 1)] + (handle.Length > 2 ? handle[0] + "•••" + handle[^1] : "•••");
    }

    /// <summary>
    /// Evidence snippets are kept where the text is not, so they must not carry what the mandate does not keep:
    /// an indicator's context, or the hidden-contact evidence itself, can hold a phone number or address. Those
    /// are masked as they are in the contact list, and any other long digit run with them.
    /// </summary>
    public static string MaskContacts(string snippet, AdFeatures ad, MandateSpec mandate)
    {
        var result = snippet;
        if (mandate.TreatmentOf(DataCategory.Phone) != Treatment.Keep)
        {
            foreach (var phone in ad.Phones.Where(p => p.Raw.Length > 0).OrderByDescending(p => p.Raw.Length))
            {
                result = result.Replace(phone.Raw, MaskPhone(phone.E164), StringComparison.OrdinalIgnoreCase);
            }

            result = LongDigitRun().Replace(result, "•••");
        }

        if (mandate.TreatmentOf(DataCategory.Email) != Treatment.Keep)
        {
            foreach (var email in ad.Emails.Where(e => e.Length > 0))
            {
                result = result.Replace(email, MaskEmail(email), StringComparison.OrdinalIgnoreCase);
            }

            result = EmailLike().Replace(result, m => MaskEmail(m.Value));
        }

        return result;
    }

    public static string Pseudonym(byte[] key, string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(kind + ":" + value)));

    /// <summary>"+31612345678" becomes "+31 6 •••• 5678".</summary>
    public static string MaskPhone(string e164)
    {
        if (e164.StartsWith("+316", StringComparison.Ordinal) && e164.Length == 12)
        {
            return "+31 6 •••• " + e164[^4..];
        }

        return e164.Length > 6 ? e164[..3] + " •••• " + e164[^4..] : "••••";
    }

    /// <summary>"lisa@example.nl" becomes "l•••@•••.nl".</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var dot = email.LastIndexOf('.');
        if (at <= 0 || dot < at)
        {
            return "•••";
        }

        return email[0] + "•••@•••" + email[dot..].ToLowerInvariant();
    }

    // Six or more digits, with the separators numbers are written with: no price, age or "24/7" is that long.
    [GeneratedRegex(@"(?<!\d)\d(?:[ .\-/]?\d){5,}")]
    private static partial Regex LongDigitRun();

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}")]
    private static partial Regex EmailLike();

    private static ContactValue? Contact(Treatment t, string kind, string value, string masked, byte[] key) => t switch
    {
        Treatment.Keep => new ContactValue(value, value, null),
        Treatment.Pseudonymise => new ContactValue(masked, null, Pseudonym(key, kind, value), ContactSeal.Seal(key, kind, value)),
        _ => null,
    };
}
