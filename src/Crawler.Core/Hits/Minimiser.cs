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
    IReadOnlyList<StatedPrice>? Prices = null);

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
            mandate.TreatmentOf(DataCategory.Price) == Treatment.Keep ? ad.Prices : null);
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
