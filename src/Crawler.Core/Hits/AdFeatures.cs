namespace Crawler.Core.Hits;

/// <summary>
/// A phone number found in the ad region, normalised to E.164. <see cref="Obfuscated"/>: found only
/// after de-obfuscation, i.e. hidden on purpose.
/// </summary>
public sealed record FoundPhone(string E164, string Raw, string Region, string Kind, bool Obfuscated = false);

/// <summary>
/// A contact hidden on purpose, as it stands in the text: a number spelled out or written with look-alike characters,
/// an address with "(at)" or spaced letters. <see cref="Kind"/> is <c>phone</c> or <c>email</c>; <see cref="Value"/>
/// the E.164 number or the address it reads as; <see cref="Written"/> the shortest stretch of the ad's text that
/// reads as it. Minimisation masks <see cref="Written"/> in evidence snippets, where a plain search for the number
/// or address would not find it.
/// </summary>
public sealed record HiddenContact(string Kind, string Value, string Written)
{
    public const string Phone = "phone";
    public const string Email = "email";
}

/// <summary>A stated rate, normalised to a price per hour where the duration is stated.</summary>
public sealed record StatedPrice(decimal Amount, string Currency, string Per, decimal? PerHour, string Evidence);

/// <summary>
/// A messenger or social account the ad gives as contact. <see cref="Platform"/>: whatsapp, telegram, snapchat,
/// signal, instagram or onlyfans. <see cref="Handle"/>: the account, lower case without '@'; for WhatsApp and
/// Signal numbers the number in E.164.
/// </summary>
public sealed record MessengerContact(string Platform, string Handle, string Raw);

/// <summary>Where the ad says it is: a canonical Dutch place name (<c>city</c>) or a 4-digit postcode area (<c>postcode-area</c>).</summary>
public sealed record StatedLocation(string Kind, string Value)
{
    public const string City = "city";
    public const string PostcodeArea = "postcode-area";
}

/// <summary>
/// What extraction found in a page's ad region, before minimisation. Never stored as such. Features after
/// <see cref="Prices"/> are null when the extractor did not look for them (older callers), empty when it found none.
/// </summary>
/// <param name="IsAd">Whether the page is an ad; when not, no one's data is carried onwards.</param>
/// <param name="NotAdReason">Why it is not an ad (empty for ads).</param>
/// <param name="Title">The ad's title.</param>
/// <param name="Text">What was read of the ad, as visible text.</param>
/// <param name="Phones">Contact numbers in E.164.</param>
/// <param name="Emails">Contact addresses, lower case.</param>
/// <param name="RemovedThirdPartyRegions">How many regions of others (reviews, comments, footers...) were dropped before reading.</param>
/// <param name="Ages">Stated ages.</param>
/// <param name="Prices">Stated rates.</param>
/// <param name="Locations">Cities (canonical Dutch names) and postcode areas.</param>
/// <param name="Messengers">Messenger and social handles; a WhatsApp or Signal number is also in <see cref="Phones"/>.</param>
/// <param name="Name">The advertised working name.</param>
/// <param name="Nationalities">Stated nationality or ethnicity (canonical English codes: romanian, latina, eastern-european ...).</param>
/// <param name="Languages">Languages offered, ISO 639-1.</param>
/// <param name="Venues">incall, outcall, hotel, home, car, holiday-park, private-house.</param>
/// <param name="Services">Service codes from a small lexicon (gfe, massage, no-condom ...).</param>
/// <param name="PostedAt">When the ad was posted; relative dates ("2 dagen geleden") resolved against the fetch time.</param>
/// <param name="AdId">The site's own id of the ad.</param>
/// <param name="Images">Absolute image URLs of the ad itself (never from dropped regions). Images are not fetched here.</param>
/// <param name="Hidden">Contacts hidden on purpose, as written in <see cref="Text"/> (Cloudflare's e-mail encoding is the site's, not the poster's, and is not counted).</param>
public sealed record AdFeatures(
    bool IsAd,
    string NotAdReason,
    string? Title,
    string Text,
    IReadOnlyList<FoundPhone> Phones,
    IReadOnlyList<string> Emails,
    int RemovedThirdPartyRegions,
    IReadOnlyList<int>? Ages = null,
    IReadOnlyList<StatedPrice>? Prices = null,
    IReadOnlyList<StatedLocation>? Locations = null,
    IReadOnlyList<MessengerContact>? Messengers = null,
    string? Name = null,
    IReadOnlyList<string>? Nationalities = null,
    IReadOnlyList<string>? Languages = null,
    IReadOnlyList<string>? Venues = null,
    IReadOnlyList<string>? Services = null,
    DateTimeOffset? PostedAt = null,
    string? AdId = null,
    IReadOnlyList<Uri>? Images = null,
    IReadOnlyList<HiddenContact>? Hidden = null)
{
    /// <summary>A stated age under 18: a legal red line, escalated outside the score.</summary>
    public bool StatesMinorAge => Ages is { } a && a.Any(x => x < 18);
}
