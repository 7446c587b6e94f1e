using System.Text;
using System.Text.RegularExpressions;
using Crawler.Core.Hits;
using PhoneNumbers;

namespace Crawler.Extraction;

/// <summary>
/// Phone numbers (E.164 via libphonenumber, with the ISI-style second pass over de-obfuscated text) and
/// e-mail addresses from the text and links of what is read of an ad.
/// </summary>
internal static partial class ContactReader
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Hidden contacts recorded as written, at most: an ad gives one or two; a page with hundreds is no one's ad, and
    /// finding where each stands costs several de-obfuscations of its line.
    /// </summary>
    private const int MaxHidden = 20;

    private static readonly char[] NotDigits = [' ', '-', '\u2013', '\u2014', '.', '/', '_', '*', '|', '(', ')', '+', '\u00A0'];

    /// <param name="text">What was read of the ad.</param>
    /// <param name="telLinks">Numbers of tel: links.</param>
    /// <param name="hiddenForms">Receives each number found only after de-obfuscation as it is written in <paramref name="text"/>.</param>
    /// <param name="region">The country national-format numbers are read in (the site's; NL when unknown).</param>
    public static List<FoundPhone> FindPhones(string text, IReadOnlyList<string> telLinks, List<HiddenContact>? hiddenForms = null, string region = "NL")
    {
        var found = new List<FoundPhone>();

        // Only lines that could hold a number are searched: phone matching is the costly part of extraction.
        StringBuilder? plain = null;
        StringBuilder? hidden = null;
        List<(string Written, string Read)>? hiddenLines = null;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
            if (!Deobfuscation.MayHideNumber(line))
            {
                continue;
            }

            if (LongestDigitRun(line) >= MinPhoneDigits)
            {
                (plain ??= new StringBuilder()).Append(line).Append('\n');
            }

            // Second pass on the de-obfuscated line: what only this pass finds was hidden on purpose.
            if (!Deobfuscation.MayBeObfuscated(line))
            {
                continue;
            }

            var lineText = line.ToString();
            var deobfuscated = Deobfuscation.ForPhones(lineText);
            if (!string.Equals(deobfuscated, lineText, StringComparison.Ordinal) && LongestDigitRun(deobfuscated) >= MinPhoneDigits)
            {
                (hidden ??= new StringBuilder()).Append(deobfuscated).Append('\n');
                (hiddenLines ??= []).Add((lineText, deobfuscated));
            }
        }

        if (plain is not null)
        {
            Search(found, plain.ToString(), obfuscated: false, region);
        }

        if (hidden is not null)
        {
            var before = found.Count;
            Search(found, hidden.ToString(), obfuscated: true, region);
            if (hiddenForms is not null)
            {
                foreach (var phone in found.Skip(before))
                {
                    AddHiddenPhone(hiddenForms, phone, hiddenLines!);
                }
            }
        }

        foreach (var raw in telLinks)
        {
            AddParsed(found, raw, obfuscated: false, region);
        }

        return found;
    }

    /// <summary>Where a number found only after de-obfuscation stands in the text, as the shortest stretch that still reads as it.</summary>
    private static void AddHiddenPhone(List<HiddenContact> into, FoundPhone phone, List<(string Written, string Read)> lines)
    {
        if (into.Count >= MaxHidden)
        {
            return;
        }

        var national = NationalDigits(phone.E164);
        foreach (var (written, read) in lines)
        {
            if (!DigitsOf(read).Contains(national, StringComparison.Ordinal))
            {
                continue;
            }

            if (ShortestStretch(written, s => DigitsOf(Deobfuscation.ForPhones(s)).Contains(national, StringComparison.Ordinal)) is { } stretch &&
                !into.Exists(h => h.Kind == HiddenContact.Phone && h.Value == phone.E164))
            {
                into.Add(new HiddenContact(HiddenContact.Phone, phone.E164, stretch));
            }

            return;
        }
    }

    private static string? Known(List<FoundPhone> found, string raw)
    {
        var written = raw.AsSpan().Trim();
        if (found.Count == 0 || !(written.StartsWith('+') || written.StartsWith("00")))
        {
            return null;
        }

        var digits = DigitsOf(raw);
        if (!written.StartsWith('+'))
        {
            digits = digits[2..];
        }

        foreach (var phone in found)
        {
            if (digits.Length > 0 && phone.E164.AsSpan(1).SequenceEqual(digits))
            {
                return phone.E164;
            }
        }

        return null;
    }

    /// <summary>The number without country code or trunk prefix: what any written form of it must contain.</summary>
    internal static string NationalDigits(string e164)
    {
        try
        {
            return Phones.GetNationalSignificantNumber(Phones.Parse(e164, "ZZ"));
        }
        catch (NumberParseException)
        {
            return e164.TrimStart('+');
        }
    }

    private static string DigitsOf(string s) => string.Concat(s.Where(char.IsAsciiDigit));

    /// <summary>
    /// The shortest stretch of <paramref name="line"/>, cut at spaces, for which <paramref name="reads"/> holds: the end
    /// is brought in first, then the start, each by halving (a hostile page's paragraph may be long, and each try
    /// de-obfuscates the stretch again). Null when the whole line does not read as it.
    /// </summary>
    internal static string? ShortestStretch(string line, Func<string, bool> reads)
    {
        var ends = new List<int>();
        var starts = new List<int>();
        for (var i = 0; i < line.Length; i++)
        {
            if (!char.IsWhiteSpace(line[i]) && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                starts.Add(i);
            }

            if (!char.IsWhiteSpace(line[i]) && (i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])))
            {
                ends.Add(i + 1);
            }
        }

        if (ends.Count == 0 || !reads(line))
        {
            return null;
        }

        // The first end at which the prefix reads as the contact: more text keeps it readable.
        int lo = 0, hi = ends.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (reads(line[..ends[mid]]))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var to = ends[lo];

        // The last start from which it still reads.
        int first = 0, last = starts.Count - 1;
        while (last >= 0 && starts[last] >= to)
        {
            last--;
        }

        while (first < last)
        {
            var mid = (first + last + 1) / 2;
            if (reads(line[starts[mid]..to]))
            {
                first = mid;
            }
            else
            {
                last = mid - 1;
            }
        }

        // Halving assumes that a longer stretch reads whenever a shorter one does; where it does not, the prefix stands.
        var stretch = line[starts[Math.Max(first, 0)]..to];
        return reads(stretch) ? stretch : line[..to].Trim();
    }

    /// <summary>A number given outside the text (tel: link, WhatsApp link, structured data), as E.164 when valid.</summary>
    public static string? AddParsed(List<FoundPhone> found, string raw, bool obfuscated, string region = "NL")
    {
        // A tel: or WhatsApp link usually repeats a number the text gave: written in full international form
        // ("+31612345678", "0031 6 ..."), it is that number without asking libphonenumber again.
        if (Known(found, raw) is { } known)
        {
            return known;
        }

        try
        {
            var number = Phones.Parse(raw, region);
            if (!Phones.IsValidNumber(number) && raw.StartsWith('+'))
            {
                // "wa.me/0612345678" is written wrongly but meant nationally.
                number = Phones.Parse(raw[1..], region);
            }

            if (Phones.IsValidNumber(number))
            {
                return Add(found, number, raw, obfuscated);
            }
        }
        catch (NumberParseException)
        {
            // A malformed link is not a phone number.
        }

        return null;
    }

    /// <summary>
    /// Digits a phone number has at the least as written: 9 ("612345678" after "+31"; "06 12345678" has 10).
    /// Lines without such a run are not handed to libphonenumber, whose search is the costly part of extraction.
    /// </summary>
    private const int MinPhoneDigits = 9;

    /// <summary>
    /// The most digits in one stretch where digit groups are apart by at most four separators, as libphonenumber
    /// allows between groups ("+31 (0)6 12-34", "06 - 53 17", "0178 – 66 90"), counted from a group that starts as a
    /// number is written: with its trunk 0 or after a '+'. Dates, prices and sizes ("20-11-2026 14:30") start otherwise
    /// and are not handed to libphonenumber, whose search is the costly part.
    /// </summary>
    private static int LongestDigitRun(ReadOnlySpan<char> s)
    {
        int best = 0, run = 0, gap = 0;
        var started = false;
        var plus = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                var groupStart = i == 0 || !char.IsAsciiDigit(s[i - 1]);
                if (groupStart && !started && (c == '0' || plus))
                {
                    started = true;
                    run = 0;
                }

                if (started)
                {
                    run++;
                    best = Math.Max(best, run);
                }

                gap = 0;
                plus = false;
            }
            else if (c is ' ' or '-' or '\u2013' or '\u2014' or '.' or '/' or '(' or ')' or '+' or '\u00A0' or '_' or '*' or '|' && ++gap <= 4)
            {
                plus |= c == '+';
            }
            else
            {
                run = 0;
                gap = 0;
                started = false;
                plus = false;
            }
        }

        return best;
    }

    private static void Search(List<FoundPhone> found, string text, bool obfuscated, string region)
    {
        foreach (var match in Phones.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            // Dutch numbers are written with a trunk 0 or an international prefix; a bare digit run is a date, id or price.
            var raw = match.RawString.TrimStart();
            if (raw.Length == 0 || raw[0] is not ('0' or '+' or '(') || DateLike().IsMatch(raw))
            {
                continue;
            }

            // A number written digit by digit ("0-6-1-2-...") is read directly but was still hidden on purpose.
            var digitByDigit = match.RawString.Split(NotDigits, StringSplitOptions.RemoveEmptyEntries).Length >= 8;
            Add(found, match.Number, match.RawString, obfuscated || digitByDigit);

            // Slash alternatives: "06-12345678/79" also means 06-12345679.
            var after = text.AsSpan(match.Start + match.RawString.Length);
            if (after.Length == 0 || (after[0] != '/' && !after.TrimStart().StartsWith('/')))
            {
                continue;
            }

            var alt = SlashAlternative().Match(after.Length > 12 ? after[..12].ToString() : after.ToString());
            if (alt.Success)
            {
                var national = Phones.GetNationalSignificantNumber(match.Number);
                var tail = alt.Groups[1].Value;
                if (tail.Length < national.Length)
                {
                    try
                    {
                        var other = Phones.Parse(national[..^tail.Length] + tail, Phones.GetRegionCodeForNumber(match.Number) ?? region);
                        if (Phones.IsValidNumber(other))
                        {
                            Add(found, other, match.RawString + "/" + tail, obfuscated: true);
                        }
                    }
                    catch (NumberParseException)
                    {
                        // Not a number after all.
                    }
                }
            }
        }
    }

    private static string Add(List<FoundPhone> found, PhoneNumber number, string raw, bool obfuscated)
    {
        var e164 = Phones.Format(number, PhoneNumberFormat.E164);
        if (found.Exists(p => p.E164 == e164))
        {
            return e164;
        }

        var kind = Phones.GetNumberType(number) switch
        {
            PhoneNumberType.MOBILE => "mobile",
            PhoneNumberType.FIXED_LINE => "fixed-line",
            PhoneNumberType.FIXED_LINE_OR_MOBILE => "fixed-line-or-mobile",
            PhoneNumberType.VOIP => "voip",
            PhoneNumberType.TOLL_FREE => "toll-free",
            PhoneNumberType.PREMIUM_RATE => "premium-rate",
            _ => "other",
        };
        found.Add(new FoundPhone(e164, raw.Trim(), Phones.GetRegionCodeForNumber(number) ?? "ZZ", kind, obfuscated));
        return e164;
    }

    /// <param name="text">What was read of the ad.</param>
    /// <param name="mailtoLinks">Addresses of mailto: links.</param>
    /// <param name="cloudflareHex">Cloudflare-encoded addresses (the site's encoding, not the poster's: not counted as hidden).</param>
    /// <param name="hiddenForms">Receives each address found only after de-obfuscation as it is written in <paramref name="text"/>.</param>
    public static List<string> FindEmails(string text, IReadOnlyList<string> mailtoLinks, IReadOnlyList<string> cloudflareHex,
        List<HiddenContact>? hiddenForms = null)
    {
        var found = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
            if (!Deobfuscation.MayHideEmail(line))
            {
                continue;
            }

            var lineText = line.ToString();
            foreach (Match m in Email().Matches(Deobfuscation.ForEmails(lineText)))
            {
                var address = AddEmail(found, m.Value);
                if (hiddenForms is not null && hiddenForms.Count < MaxHidden && !lineText.Contains(address, StringComparison.OrdinalIgnoreCase) &&
                    !hiddenForms.Exists(h => h.Kind == HiddenContact.Email && h.Value == address) &&
                    ShortestStretch(lineText, s => Deobfuscation.ForEmails(s).Contains(address, StringComparison.OrdinalIgnoreCase)) is { } stretch)
                {
                    hiddenForms.Add(new HiddenContact(HiddenContact.Email, address, stretch));
                }
            }
        }

        foreach (var href in mailtoLinks)
        {
            var address = Deobfuscation.FoldUnicode(Uri.UnescapeDataString(href).Split('?')[0]);
            if (Email().IsMatch(address))
            {
                AddEmail(found, address);
            }
        }

        // Cloudflare e-mail protection hides the address in a hex attribute.
        foreach (var hex in cloudflareHex)
        {
            if (Deobfuscation.DecodeCloudflareEmail(hex) is { } decoded && Email().IsMatch(decoded))
            {
                AddEmail(found, decoded);
            }
        }

        return found;
    }

    /// <summary>Adds the address, trimmed and lower case, unless it is there already; returns it as added.</summary>
    public static string AddEmail(List<string> found, string address)
    {
        var normal = address.Trim().TrimEnd('.').ToLowerInvariant();
        if (!found.Contains(normal))
        {
            found.Add(normal);
        }

        return normal;
    }

    public static bool IsEmail(string s) => Email().IsMatch(s);

    /// <summary>A date inside a candidate ("01-05-2028 72" is a date and a weight, not a Rotterdam number).</summary>
    [GeneratedRegex(@"(?<!\d)(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}(?!\d)")]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^\s*/\s*(\d{1,4})(?!\d)")]
    private static partial Regex SlashAlternative();

    [GeneratedRegex(@"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}")]
    private static partial Regex Email();
}
