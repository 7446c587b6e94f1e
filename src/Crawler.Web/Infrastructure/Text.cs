using System.Globalization;
using System.Resources;

namespace Crawler.Web.Infrastructure;

/// <summary>
/// Every text of the console, visible or accessible name, from one pair of resource files (Resources/Text.resx in Dutch,
/// Text.en.resx in English). A key missing in the current language is an error, never a fallback to the other language.
/// </summary>
public sealed class Text
{
    private static readonly ResourceManager Resources = new("Crawler.Web.Resources.Text", typeof(Text).Assembly);

    public string this[string key] => Get(key, CultureInfo.CurrentUICulture);

    /// <summary>The text with its placeholders filled in, in the current culture.</summary>
    public string Format(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>The language of the page: <c>nl</c> or <c>en</c>.</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    public static string Get(string key, CultureInfo culture)
    {
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
                  ?? Resources.GetResourceSet(culture.Parent, createIfNotExists: true, tryParents: false);
        var text = set?.GetString(key);
        if (text is null && culture.TwoLetterISOLanguageName == "nl")
        {
            text = Resources.GetString(key, CultureInfo.InvariantCulture);
        }

        return text ?? throw new KeyNotFoundException($"no text '{key}' in language '{culture.Name}'");
    }
}
