using System.Text;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;

namespace Crawler.Benchmarks;

/// <summary>
/// An ad page the extraction figures are measured on, with the policy and a mandate to minimise under.
/// <c>typical</c> is a 30 KB page laid out as ad sites are (inline consent script, CSS and page state, menus,
/// a gallery, a label/value table, a 1.5 KB description, rates, reviews, 16 related-ad cards, a footer of
/// links); <c>text-heavy</c> is the demo ad grown to 28 KB with 11 KB of ad text and 165 third-party regions,
/// the worst case for the text passes.
/// </summary>
internal sealed class AdPage
{
    public const string Typical = "typical";
    public const string TextHeavy = "text-heavy";

    private AdPage(string name, string html, PolicySet policy, MandateSpec mandate)
    {
        Name = name;
        Html = html;
        Policy = policy;
        Mandate = mandate;
    }

    public string Name { get; }

    public string Html { get; }

    public PolicySet Policy { get; }

    public MandateSpec Mandate { get; }

    public Uri Url { get; } = new("https://ads.example.nl/ads/48213.html");

    public byte[] Key { get; } = new byte[32];

    public int Bytes => Encoding.UTF8.GetByteCount(Html);

    /// <summary>
    /// The page as <paramref name="count"/> ads of the same site: the layout, menus and footer stay, the ad's own text
    /// (its paragraphs, name, number and id) changes, as a site template meets them.
    /// </summary>
    public IReadOnlyList<string> Variants(int count)
    {
        string[] names = ["Nina", "Lotte", "Sanne", "Iris", "Fleur", "Roos", "Eva", "Noor"];
        var variants = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var html = Html;
            var start = html.IndexOf("<article", StringComparison.Ordinal);
            var end = html.IndexOf("</article>", StringComparison.Ordinal);
            if (start >= 0 && end > start)
            {
                var ad = html[start..end].Replace("<p>", $"<p>({i + 1}) ", StringComparison.Ordinal)
                    .Replace("Nina", names[i % names.Length], StringComparison.Ordinal)
                    .Replace("8213", (8213 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                html = html[..start] + ad + html[end..];
            }

            variants.Add(html);
        }

        return variants;
    }

    public static AdPage Load(string name)
    {
        var policy = PolicyFiles.Load();

        var html = name switch
        {
            Typical => File.ReadAllText(Path.Combine(PolicyFiles.RepositoryRoot, "tests", "Crawler.Benchmarks", "Pages", "typical-ad.html")),
            TextHeavy => TextHeavyPage(),
            _ => throw new ArgumentException($"no page '{name}': {Typical} or {TextHeavy}", nameof(name)),
        };
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var mandate = new MandateSpec("C-1", "Bench", "art126g-sv", WpgPurpose.Art9, "p", "o", "s", "f", ["bench"], now, now.AddDays(10),
            new MandateLimits(1000, 100), new Dictionary<DataCategory, Treatment> { [DataCategory.Phone] = Treatment.Pseudonymise, [DataCategory.Email] = Treatment.Keep },
            false);
        return new AdPage(name, html, policy, mandate);
    }

    private static string TextHeavyPage()
    {
        var baseline = DemoSite.DemoSite.ReadFile("ads/101.html")!;
        var filler = new StringBuilder();
        while (filler.Length < 26_000)
        {
            filler.Append("<p>Welkom in mijn discrete privéhuis. Ik ontvang je graag voor een ontspannen afspraak, hotelbezoek mogelijk. 24/7 bereikbaar via app.</p>")
                .Append("<div class=\"review\"><b>klant").Append(filler.Length).Append("</b> Fijne ervaring, bel ook 06-19876543 of mail klant@example.com</div>")
                .Append("<aside class=\"other-ads\"><a href=\"/ads/").Append(filler.Length).Append(".html\">Andere advertentie</a></aside>");
        }

        return baseline.Replace("</main>", filler + "</main>", StringComparison.Ordinal);
    }
}
