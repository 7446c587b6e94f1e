using System.Globalization;
using System.Text;
using System.Text.Json;
using Crawler.Core.Hits;
using Crawler.Core.Yaml;

namespace Crawler.Extraction;

/// <summary>One feature of one page: what was expected and found, expected and not found, found and not expected.</summary>
public sealed record FeatureResult(string Feature, IReadOnlyList<string> Matched, IReadOnlyList<string> Missed, IReadOnlyList<string> Extra)
{
    public bool Ok => Missed.Count == 0 && Extra.Count == 0;
}

/// <summary>
/// One page against its <c>.expected.json</c>. <see cref="Leaks"/>: values found that the file lists under
/// <c>mustNotExtract</c> (someone else's data). <see cref="Problem"/>: the expectation could not be read.
/// </summary>
public sealed record PageResult(string Page, bool ExpectedAd, bool FoundAd, IReadOnlyList<FeatureResult> Features, IReadOnlyList<string> Leaks, string? Problem = null)
{
    public bool Ok => Problem is null && ExpectedAd == FoundAd && Leaks.Count == 0 && Features.All(f => f.Ok);
}

/// <summary>A profile run over a folder of saved pages with expectations; <see cref="Ok"/> when every page matches.</summary>
public sealed record ProfileTestReport(string Profile, string Directory, IReadOnlyList<PageResult> Pages)
{
    public bool Ok => Pages.Count > 0 && Pages.All(p => p.Ok);

    /// <summary>Matched, missed and extra values of one feature over all pages (for precision and recall).</summary>
    public (int Matched, int Missed, int Extra) Totals(string feature)
    {
        int matched = 0, missed = 0, extra = 0;
        foreach (var f in Pages.SelectMany(p => p.Features).Where(f => f.Feature == feature))
        {
            matched += f.Matched.Count;
            missed += f.Missed.Count;
            extra += f.Extra.Count;
        }

        return (matched, missed, extra);
    }

    /// <summary>Per page and per feature what matched, was missed or was extra; a summary line last.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var page in Pages)
        {
            sb.Append(page.Ok ? "PASS " : "FAIL ").AppendLine(page.Page);
            if (page.Problem is not null)
            {
                sb.Append("  problem: ").AppendLine(page.Problem);
                continue;
            }

            if (page.ExpectedAd != page.FoundAd)
            {
                sb.Append("  isAd: expected ").Append(page.ExpectedAd ? "an ad" : "no ad").Append(", found ").AppendLine(page.FoundAd ? "an ad" : "no ad");
            }

            foreach (var f in page.Features)
            {
                if (f.Matched.Count == 0 && f.Ok)
                {
                    continue;
                }

                var parts = new List<string>(3);
                Part(parts, "matched", f.Matched);
                Part(parts, "MISSED", f.Missed);
                Part(parts, "EXTRA", f.Extra);
                sb.Append("  ").Append(f.Feature).Append(": ").AppendLine(string.Join("; ", parts));
            }

            if (page.Leaks.Count > 0)
            {
                sb.Append("  LEAK (third-party data extracted): ").AppendLine(string.Join(", ", page.Leaks));
            }
        }

        var failed = Pages.Count(p => !p.Ok);
        sb.Append("profile ").Append(Profile).Append(": ").Append(Pages.Count).Append(" pages, ")
            .Append(Pages.Count - failed).Append(" match, ").Append(failed).Append(failed == 1 ? " differs" : " differ");
        if (Pages.Count == 0)
        {
            sb.Append(" (no *.html with a .expected.json beside it in ").Append(Directory).Append(')');
        }

        return sb.AppendLine().ToString();
    }

    private static void Part(List<string> parts, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add(name + " " + string.Join(", ", values));
        }
    }
}

/// <summary>
/// Runs an extractor (with the profile under test) over every <c>*.html</c> in a folder that has a
/// <c>.expected.json</c> beside it and compares feature by feature. The expectation format is the
/// fixtures' (tests/Crawler.Extraction.Tests/Fixtures/README.md): <c>isAd</c>, <c>phones</c>, <c>emails</c>,
/// <c>mustNotExtract</c>, and optionally <c>locations</c>, <c>messengers</c> ("platform:handle"), <c>name</c>,
/// <c>nationalities</c>, <c>languages</c>, <c>venues</c>, <c>services</c>, <c>postedAt</c>, <c>adId</c>, <c>images</c>,
/// with <c>url</c> and <c>fetchedAt</c> to extract the page as if fetched from there and then. A feature the
/// file does not name is not checked. Reads only the folder; writes nothing.
/// </summary>
public static class ProfileTester
{
    public const string Phones = "phones";
    public const string Emails = "emails";
    public const string Locations = "locations";
    public const string Messengers = "messengers";
    public const string Name = "name";
    public const string Nationalities = "nationalities";
    public const string Languages = "languages";
    public const string Venues = "venues";
    public const string Services = "services";
    public const string PostedAt = "postedAt";
    public const string AdId = "adId";
    public const string Images = "images";

    /// <summary>Every feature, in report order.</summary>
    public static IReadOnlyList<string> Features { get; } =
        [Phones, Emails, Locations, Messengers, Name, Nationalities, Languages, Venues, Services, PostedAt, AdId, Images];

    /// <param name="extractor">The extractor with the profile under test.</param>
    /// <param name="directory">The folder of pages.</param>
    /// <param name="now">The fetch time for pages whose expectation does not give one.</param>
    public static ProfileTestReport Run(AdExtractor extractor, string directory, DateTimeOffset now)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new InputException(new InputProblem(directory, 0, 0, "--dir", "folder not found"));
        }

        var pages = new List<PageResult>();
        foreach (var html in System.IO.Directory.GetFiles(directory, "*.html").Order(StringComparer.Ordinal))
        {
            var expectedFile = Path.ChangeExtension(html, ".expected.json");
            if (File.Exists(expectedFile))
            {
                pages.Add(RunPage(extractor, html, expectedFile, now));
            }
        }

        return new ProfileTestReport(extractor.Profile.Name, directory, pages);
    }

    /// <summary>The feature values of an extraction as the expectation files write them.</summary>
    public static IReadOnlyList<string> Values(AdFeatures ad, string feature) => feature switch
    {
        Phones => ad.Phones.Select(p => p.E164).ToList(),
        Emails => ad.Emails,
        Locations => (ad.Locations ?? []).Select(l => l.Value).ToList(),
        Messengers => (ad.Messengers ?? []).Select(m => m.Platform + ":" + m.Handle).ToList(),
        Name => ad.Name is null ? [] : [ad.Name],
        Nationalities => ad.Nationalities ?? [],
        Languages => ad.Languages ?? [],
        Venues => ad.Venues ?? [],
        Services => ad.Services ?? [],
        PostedAt => ad.PostedAt is { } d ? [d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)] : [],
        AdId => ad.AdId is null ? [] : [ad.AdId],
        Images => (ad.Images ?? []).Select(u => u.ToString()).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "unknown feature"),
    };

    private static PageResult RunPage(AdExtractor extractor, string htmlFile, string expectedFile, DateTimeOffset now)
    {
        var page = Path.GetFileName(htmlFile);
        JsonDocument expected;
        try
        {
            expected = JsonDocument.Parse(File.ReadAllText(expectedFile));
        }
        catch (JsonException ex)
        {
            return new PageResult(page, false, false, [], [], $"{Path.GetFileName(expectedFile)}:{ex.LineNumber + 1}: not valid JSON: {ex.Message}");
        }

        using (expected)
        {
            var root = expected.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("isAd", out var isAd) || isAd.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return new PageResult(page, false, false, [], [], $"{Path.GetFileName(expectedFile)}: isAd (true or false) is required");
            }

            var url = Text(root, "url") is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : new Uri("https://local.invalid/" + page);
            var fetchedAt = Text(root, "fetchedAt") is { } f && DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : now;
            var ad = extractor.Extract(File.ReadAllText(htmlFile), url, fetchedAt).Ad;
            var features = new List<FeatureResult>();
            foreach (var feature in Features)
            {
                if (root.TryGetProperty(feature, out var value))
                {
                    features.Add(Compare(feature, Strings(value), Values(ad, feature)));
                }
                else if (feature is Phones or Emails || !isAd.GetBoolean())
                {
                    // Contact data is always checked, and a page that is no ad must yield nothing at all.
                    features.Add(Compare(feature, [], Values(ad, feature)));
                }
            }

            var forbidden = root.TryGetProperty("mustNotExtract", out var must) ? Strings(must) : [];
            var leaks = Leaks(ad, forbidden);
            return new PageResult(page, isAd.GetBoolean(), ad.IsAd, features, leaks);
        }
    }

    private static List<string> Leaks(AdFeatures ad, IReadOnlyList<string> forbidden)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var feature in Features)
        {
            found.UnionWith(Values(ad, feature));
        }

        // A handle alone ("lisa_nl") is as much someone's identifier as "telegram:lisa_nl".
        found.UnionWith((ad.Messengers ?? []).Select(m => m.Handle));
        return forbidden.Where(found.Contains).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static FeatureResult Compare(string feature, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var want = expected.Select(e => (Key: Key(feature, e), Shown: e)).ToList();
        var got = actual.Select(a => (Key: Key(feature, a), Shown: a)).ToList();
        var wantKeys = want.Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        var gotKeys = got.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return new FeatureResult(
            feature,
            want.Where(w => gotKeys.Contains(w.Key)).Select(w => w.Shown).Distinct().ToList(),
            want.Where(w => !gotKeys.Contains(w.Key)).Select(w => w.Shown).Distinct().ToList(),
            got.Where(g => !wantKeys.Contains(g.Key)).Select(g => g.Shown).Distinct().ToList());
    }

    /// <summary>What makes two values the same: the instant for dates, case for addresses and handles.</summary>
    private static string Key(string feature, string value) => feature switch
    {
        PostedAt when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) =>
            d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        Emails or Messengers => value.ToLowerInvariant(),
        _ => value,
    };

    private static List<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList(),
        JsonValueKind.String => [e.GetString()!],
        _ => [],
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
