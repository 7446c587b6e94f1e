using System.Collections;
using System.Globalization;
using System.Resources;
using Crawler.Web;
using Crawler.Web.Infrastructure;
using NUnit.Framework;

namespace Crawler.Browser.Tests;

/// <summary>Both languages equally (issue 24): every text and accessible name of the console exists in Dutch and in English.</summary>
public sealed class ConsoleTextTests
{
    [Test]
    public void Every_text_exists_in_both_languages_and_is_not_left_empty()
    {
        var manager = new ResourceManager("Crawler.Web.Resources.Text", typeof(Text).Assembly);
        var dutch = Keys(manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!);
        var english = Keys(manager.GetResourceSet(CultureInfo.GetCultureInfo("en"), createIfNotExists: true, tryParents: false)!);

        Assert.That(dutch.Keys.Except(english.Keys), Is.Empty, "in Dutch only");
        Assert.That(english.Keys.Except(dutch.Keys), Is.Empty, "in English only");
        Assert.That(dutch.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key), Is.Empty, "empty Dutch texts");
        Assert.That(english.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key), Is.Empty, "empty English texts");
        Assert.That(Text.Get("layout.skip", ConsoleHosting.Cultures[0]), Is.Not.EqualTo(Text.Get("layout.skip", ConsoleHosting.Cultures[1])));
    }

    private static Dictionary<string, string?> Keys(ResourceSet set) =>
        set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
}
