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
/// otherwise only the evidence snippets around fired indicators remain. Kept text never carries what
/// the mandate does not keep: contacts, messenger handles and the working name are masked in it as in
/// snippets, or 'text: keep' would undo every other category's pseudonymisation.
/// </summary>
public static partial class Minimiser
{
    public static MinimisedContent Apply(AdFeatures ad, IndicatorScore score, MandateSpec mandate, byte[] pseudonymKey)
    {
        var keepText = mandate.TreatmentOf(DataCategory.Text) == Treatment.Keep;
        var masker = new SnippetMasker(ad, mandate);
        var phones = ad.Phones.Select(p => p.E164).Distinct(StringComparer.Ordinal)
            .Select(p => Contact(mandate.TreatmentOf(DataCategory.Phone), "phone", p, MaskPhone(p), pseudonymKey))
            .OfType<ContactValue>().ToList();
        var emails = ad.Emails.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(e => Contact(mandate.TreatmentOf(DataCategory.Email), "email", e.ToLowerInvariant(), MaskEmail(e), pseudonymKey))
            .OfType<ContactValue>().ToList();
        return new MinimisedContent(
            keepText && ad.Title is not null ? masker.MaskWhole(ad.Title) : null,
            keepText ? masker.MaskWhole(ad.Text) : null,
            keepText ? [] : MaskSnippets(score, masker),
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
    /// an indicator's context, or the hidden-contact evidence itself, can hold a phone number or address, written
    /// plainly or hidden. Contacts are found where they stand in the ad's text (as written, as hidden, and any
    /// other long digit run or address-like word) and every snippet is cut from a copy of the text with those
    /// stretches masked, so a contact the snippet's edge cuts in half is masked too.
    /// </summary>
    public static string MaskContacts(string snippet, AdFeatures ad, MandateSpec mandate) => new SnippetMasker(ad, mandate).Mask(snippet);

    /// <summary>What 'text: keep' keeps, in words, for the weighing and 'mandate show'.</summary>
    public static string DescribeKeptText(MandateSpec mandate)
    {
        if (mandate.TreatmentOf(DataCategory.Text) != Treatment.Keep)
        {
            return "the ad text is not kept: only short evidence snippets around fired indicators, with contacts not kept masked";
        }

        var masked = new List<string>();
        if (mandate.TreatmentOf(DataCategory.Phone) != Treatment.Keep)
        {
            masked.Add("phone numbers and messenger handles");
        }

        if (mandate.TreatmentOf(DataCategory.Email) != Treatment.Keep)
        {
            masked.Add("e-mail addresses");
        }

        if (mandate.TreatmentOf(DataCategory.Name) != Treatment.Keep)
        {
            masked.Add("the working name");
        }

        return "the whole ad text and title are kept" +
               (masked.Count == 0 ? ", contacts and name included" : $", with {string.Join(", ", masked)} masked") +
               "; ages, places, prices, nationality and languages stay readable as written in it";
    }

    private static List<string> MaskSnippets(IndicatorScore score, SnippetMasker masker)
    {
        return score.Fired.Select(f => masker.Mask(f.Evidence)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The contact stretches of the ad's title and text that a mandate does not keep, and snippets cut from them masked.</summary>
    private sealed class SnippetMasker(AdFeatures ad, MandateSpec mandate)
    {
        // Contacts are looked for this far around a snippet: any contact that reaches into it is shorter.
        private const int Margin = 200;

        private readonly AdFeatures _ad = ad;
        private readonly bool _maskPhones = mandate.TreatmentOf(DataCategory.Phone) != Treatment.Keep;
        private readonly bool _maskEmails = mandate.TreatmentOf(DataCategory.Email) != Treatment.Keep;
        private readonly bool _maskName = mandate.TreatmentOf(DataCategory.Name) != Treatment.Keep && ad.Name is { Length: > 1 };

        private bool MasksNothing => !_maskPhones && !_maskEmails && !_maskName;

        /// <summary>The whole of a text with every stretch the mandate does not keep masked.</summary>
        public string MaskWhole(string text) => MasksNothing ? text : Cut(text, Spans(text), 0, text.Length);

        public string Mask(string snippet)
        {
            if (MasksNothing)
            {
                return snippet;
            }

            // A snippet is a stretch of the title or text with "…" where it was cut (IndicatorScorer.Evidence).
            var core = snippet.AsSpan();
            var lead = core.StartsWith("…") ? "…" : "";
            var trail = core.Length > lead.Length && core.EndsWith("…") ? "…" : "";
            core = core[lead.Length..^trail.Length];
            foreach (var source in new[] { _ad.Text, _ad.Title ?? "" })
            {
                var at = core.Length == 0 ? -1 : source.AsSpan().IndexOf(core, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var from = Math.Max(0, at - Margin);
                    var window = source[from..Math.Min(source.Length, at + core.Length + Margin)];
                    return lead + Cut(window, Spans(window), at - from, core.Length) + trail;
                }
            }

            // Evidence from data rather than text (a hidden form alone, a price, a linking note): masked where it stands.
            return Cut(snippet, Spans(snippet), 0, snippet.Length);
        }

        private List<(int Start, int End, string Mask)> Spans(string text)
        {
            var spans = new List<(int Start, int End, string Mask)>();
            if (text.Length == 0)
            {
                return spans;
            }

            if (_maskPhones)
            {
                foreach (var phone in _ad.Phones.Where(p => p.Raw.Length > 0))
                {
                    AddAll(spans, text, phone.Raw, MaskPhone(phone.E164));
                }

                foreach (var hidden in (_ad.Hidden ?? []).Where(h => h.Kind == HiddenContact.Phone))
                {
                    AddAll(spans, text, hidden.Written, MaskPhone(hidden.Value));
                }

                foreach (Match m in LongDigitRun().Matches(text))
                {
                    spans.Add((m.Index, m.Index + m.Length, "•••"));
                }

                // Messenger handles are contact identifiers and follow 'phone'.
                foreach (var messenger in _ad.Messengers ?? [])
                {
                    AddAll(spans, text, messenger.Raw, MaskHandle(messenger.Platform + ":" + messenger.Handle));
                    if (messenger.Handle.Length > 2)
                    {
                        AddWholeWords(spans, text, messenger.Handle, MaskHandle(messenger.Platform + ":" + messenger.Handle));
                    }
                }
            }

            if (_maskName)
            {
                AddWholeWords(spans, text, _ad.Name!, _ad.Name![0] + "•••");
            }

            if (_maskEmails)
            {
                foreach (var email in _ad.Emails.Where(e => e.Length > 0))
                {
                    AddAll(spans, text, email, MaskEmail(email));
                }

                foreach (var hidden in (_ad.Hidden ?? []).Where(h => h.Kind == HiddenContact.Email))
                {
                    AddAll(spans, text, hidden.Written, MaskEmail(hidden.Value));
                }

                if (text.Contains('@', StringComparison.Ordinal))
                {
                    foreach (Match m in EmailLike().Matches(text))
                    {
                        spans.Add((m.Index, m.Index + m.Length, MaskEmail(m.Value)));
                    }
                }
            }

            // Overlapping stretches become one, masked as the first (longest at that start) says.
            spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
            var merged = new List<(int Start, int End, string Mask)>(spans.Count);
            foreach (var span in spans)
            {
                if (merged.Count > 0 && span.Start < merged[^1].End)
                {
                    var last = merged[^1];
                    merged[^1] = (last.Start, Math.Max(last.End, span.End), span.End > last.End ? "•••" : last.Mask);
                }
                else
                {
                    merged.Add(span);
                }
            }

            return merged;
        }

        private static void AddAll(List<(int, int, string)> spans, string text, string written, string mask)
        {
            if (written.Length == 0)
            {
                return;
            }

            for (var at = text.IndexOf(written, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = at + written.Length < text.Length ? text.IndexOf(written, at + written.Length, StringComparison.OrdinalIgnoreCase) : -1)
            {
                spans.Add((at, at + written.Length, mask));
            }
        }

        /// <summary>Every occurrence of <paramref name="word"/> that is not part of a longer word ("Lisa" but not "Lisanne").</summary>
        private static void AddWholeWords(List<(int, int, string)> spans, string text, string word, string mask)
        {
            for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = at + word.Length < text.Length ? text.IndexOf(word, at + word.Length, StringComparison.OrdinalIgnoreCase) : -1)
            {
                var end = at + word.Length;
                var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                var after = end >= text.Length || !char.IsLetterOrDigit(text[end]);
                if (before && after)
                {
                    spans.Add((at, end, mask));
                }
            }
        }

        /// <summary>text[from..from+length] with each masked stretch replaced; one cut by either edge is masked whole.</summary>
        private static string Cut(string text, List<(int Start, int End, string Mask)> spans, int from, int length)
        {
            var to = from + length;
            var sb = new StringBuilder(length);
            var i = from;
            foreach (var (start, end, mask) in spans)
            {
                if (end <= from || start >= to)
                {
                    continue;
                }

                if (start > i)
                {
                    sb.Append(text, i, start - i);
                }

                sb.Append(start >= from && end <= to ? mask : "•••");
                i = Math.Min(end, to);
            }

            if (i < to)
            {
                sb.Append(text, i, to - i);
            }

            return sb.ToString();
        }
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
