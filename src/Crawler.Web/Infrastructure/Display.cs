using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Crawler.Web.Infrastructure;

/// <summary>Times as the people of a Dutch installation read them: Europe/Amsterdam, in the page's language.</summary>
public static class Display
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static string When(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("d MMMM yyyy HH:mm", CultureInfo.CurrentCulture);

    public static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A <c>time</c> element: the local time for people, the exact instant for machines.</summary>
    public static IHtmlContent Time(DateTimeOffset? at, bool dayOnly = false)
    {
        if (at is not { } t)
        {
            return HtmlString.Empty;
        }

        var builder = new HtmlContentBuilder();
        builder.AppendHtml("<time datetime=\"").Append(t.ToString("O", CultureInfo.InvariantCulture)).AppendHtml("\">")
            .Append(dayOnly ? Day(t) : When(t)).AppendHtml("</time>");
        return builder;
    }

    /// <summary>A local date and time typed in a form (datetime-local, Amsterdam) as an instant.</summary>
    public static DateTimeOffset? FromLocalInput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) ||
            !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified));
    }

    /// <summary>An instant as a datetime-local value in Amsterdam time.</summary>
    public static string ToLocalInput(DateTimeOffset? at) =>
        at is { } t ? TimeZoneInfo.ConvertTime(t, Zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";
}
