using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// Under a mandate that pseudonymises or drops contacts and keeps no full text, only evidence snippets are stored:
/// a contact hidden on purpose (spelled out, letters for digits, circled digits, "(at)") that stands next to an
/// indicator term must not reach a snippet in any written form, and a hidden e-mail address fires hidden-contact.
/// </summary>
public sealed class HiddenContactSnippetTests
{
    private static readonly Uri Page = new("https://ads.example/ads/77.html");
    private static readonly byte[] Key = new byte[32];

    private static MandateSpec Mandate(Treatment contacts)
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        return new MandateSpec("C-1", "Test", "art126g-sv", WpgPurpose.Art9, "p", "o", "s", "f", ["t"], now, now.AddDays(10), new MandateLimits(100, 10),
            new Dictionary<DataCategory, Treatment> { [DataCategory.Phone] = contacts, [DataCategory.Email] = contacts, [DataCategory.Text] = Treatment.Drop },
            false);
    }

    private static (AdFeatures Ad, MinimisedContent Stored) Run(string line, Treatment contacts)
    {
        var html = $"<html><body><main><h1>Nieuw in Utrecht</h1><p>Ik ontvang je graag voor een afspraak.</p><p>{line}</p></main></body></html>";
        var ad = new AdExtractor().Extract(html, Page).Ad;
        var score = IndicatorScorer.Score(ad, TestPolicy.Policy.Indicators);
        return (ad, Minimiser.Apply(ad, score, Mandate(contacts), Key));
    }

    [TestCase("Bel 24/7: nul zes een twee drie vier vijf zes zeven acht", "+31612345678")]
    [TestCase("Bel 24/7 op O6-l2345678 voor hotelbezoek", "+31612345678")]
    [TestCase("24/7 bereikbaar: 0 6 1 2 3 4 5 6 7 8", "+31612345678")]
    [TestCase("Hotelbezoek? ⓪⑥①②③④⑤⑥⑦⑧ bel 24/7", "+31612345678")]
    [TestCase("24/7 zero six one two three four five six seven eight", "+31612345678")]
    public void A_hidden_phone_next_to_a_term_reaches_no_snippet(string line, string e164)
    {
        foreach (var treatment in new[] { Treatment.Pseudonymise, Treatment.Drop })
        {
            var (ad, stored) = Run(line, treatment);
            Assert.Multiple(() =>
            {
                Assert.That(ad.Phones.Select(p => p.E164), Does.Contain(e164), "the number is found");
                Assert.That(stored.Snippets, Is.Not.Empty, "an indicator fired next to the number");
                foreach (var snippet in stored.Snippets)
                {
                    var digits = new string(Deobfuscation.ForPhones(snippet).Where(char.IsAsciiDigit).ToArray());
                    Assert.That(digits, Does.Not.Contain("12345678"), $"{treatment}: '{snippet}' still shows the number");
                }
            });
        }
    }

    [TestCase("Hotelbezoek 24/7, mail lisa (at) example (punt) nl")]
    [TestCase("Hotelbezoek 24/7, mail lisa apenstaartje example punt nl")]
    [TestCase("Hotelbezoek 24/7, mail l i s a @ e x a m p l e . n l")]
    public void A_hidden_email_next_to_a_term_reaches_no_snippet_and_fires_hidden_contact(string line)
    {
        var (ad, stored) = Run(line, Treatment.Pseudonymise);
        var score = IndicatorScorer.Score(ad, TestPolicy.Policy.Indicators);
        Assert.Multiple(() =>
        {
            Assert.That(ad.Emails, Does.Contain("lisa@example.nl"));
            Assert.That(score.Fired.Select(f => f.Id), Does.Contain(IndicatorIds.HiddenContact));
            foreach (var snippet in stored.Snippets)
            {
                Assert.That(Deobfuscation.ForEmails(snippet), Does.Not.Contain("lisa@example"), $"'{snippet}' still shows the address");
                Assert.That(snippet, Does.Not.Contain("lisa"), $"'{snippet}' still shows the address");
            }
        });
    }

    [Test]
    public void An_address_in_plain_sight_is_not_hidden_contact()
    {
        var (ad, _) = Run("Hotelbezoek 24/7, mail lisa@example.nl", Treatment.Keep);
        var score = IndicatorScorer.Score(ad, TestPolicy.Policy.Indicators);
        Assert.That(score.Fired.Select(f => f.Id), Does.Not.Contain(IndicatorIds.HiddenContact));
    }
}

/// <summary>Where a hidden contact stands in its line: the shortest stretch that still reads as it, also in a very long line.</summary>
public sealed class ShortestStretchTests
{
    private static bool ReadsAsNumber(string s) =>
        new string(Deobfuscation.ForPhones(s).Where(char.IsAsciiDigit).ToArray()).Contains("612345678", StringComparison.Ordinal);

    [Test]
    public void The_stretch_is_the_written_number_and_nothing_around_it()
    {
        var stretch = ContactReader.ShortestStretch("Bel me: nul zes een twee drie vier vijf zes zeven acht, dag en nacht", ReadsAsNumber);

        // The trunk 0 reveals nothing: the stretch holds the digits that identify the number.
        Assert.That(stretch, Is.EqualTo("zes een twee drie vier vijf zes zeven acht,"));
    }

    [Test]
    public void In_a_long_line_the_stretch_is_found_in_the_middle()
    {
        var filler = string.Join(' ', Enumerable.Repeat("lekker ontspannen afspraak", 700));
        var line = filler + " app O6-l2345678 " + filler;

        Assert.Multiple(() =>
        {
            Assert.That(ContactReader.ShortestStretch(line, ReadsAsNumber), Is.EqualTo("O6-l2345678"));
            Assert.That(ContactReader.ShortestStretch(filler, ReadsAsNumber), Is.Null);
        });
    }
}
