using System.Text;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>
/// 'text: keep' keeps the ad's text, not what other categories say to pseudonymise or drop: a kept text that still
/// holds the phone number voids the phone's pseudonymisation.
/// </summary>
public sealed class TextKeepMaskingTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("pseudonym-key-one-0123456789abcdef");

    private const string Text =
        "Hoi, ik ben Lisa, nieuw in Utrecht. Bel 06-12345678 of nul zes een twee drie vier vijf zes zeven negen, " +
        "mail lisa.utrecht@example.nl, Telegram @lisa_utr. Lisanne is mijn zus.";

    private static AdFeatures Ad() => new(
        IsAd: true,
        NotAdReason: "",
        Title: "Lisa (06-12345678)",
        Text: Text,
        Phones: [new FoundPhone("+31612345678", "06-12345678", "NL", "mobile"), new FoundPhone("+31612345679", "nul zes een twee drie vier vijf zes zeven negen", "NL", "mobile", true)],
        Emails: ["lisa.utrecht@example.nl"],
        RemovedThirdPartyRegions: 0,
        Messengers: [new MessengerContact("telegram", "lisa_utr", "@lisa_utr")],
        Name: "Lisa",
        Hidden: [new HiddenContact(HiddenContact.Phone, "+31612345679", "nul zes een twee drie vier vijf zes zeven negen")]);

    private static MandateSpec Spec(params (DataCategory Category, Treatment Treatment)[] categories) =>
        TestData.MandateSpec() with { DataCategories = categories.ToDictionary(c => c.Category, c => c.Treatment) };

    private static MinimisedContent Apply(MandateSpec spec) =>
        Minimiser.Apply(Ad(), IndicatorScorer.Score(Text, TestData.Policy.Indicators), spec, Key);

    [Test]
    public void Kept_text_carries_no_contact_the_mandate_pseudonymises()
    {
        var m = Apply(Spec((DataCategory.Text, Treatment.Keep), (DataCategory.Phone, Treatment.Pseudonymise), (DataCategory.Email, Treatment.Pseudonymise),
            (DataCategory.Name, Treatment.Pseudonymise)));

        Assert.That(m.Text, Does.Not.Contain("12345678").And.Not.Contain("nul zes een").And.Not.Contain("lisa.utrecht").And.Not.Contain("lisa_utr"));
        Assert.That(m.Text, Does.Not.Contain("ben Lisa,"), "the working name is masked");
        Assert.That(m.Text, Does.Contain("Lisanne is mijn zus"), "a longer word that starts like the name is not the name");
        Assert.That(m.Text, Does.Contain("nieuw in Utrecht"), "the rest of the text is kept");
        Assert.That(m.Title, Does.Not.Contain("12345678"));
    }

    [Test]
    public void Kept_text_keeps_what_the_mandate_keeps()
    {
        var m = Apply(Spec((DataCategory.Text, Treatment.Keep), (DataCategory.Phone, Treatment.Keep), (DataCategory.Email, Treatment.Keep),
            (DataCategory.Name, Treatment.Keep)));

        Assert.That(m.Text, Is.EqualTo(Text));
    }

    [Test]
    public void Dropped_categories_are_masked_too()
    {
        var m = Apply(Spec((DataCategory.Text, Treatment.Keep)));

        Assert.That(m.Text, Does.Not.Contain("12345678").And.Not.Contain("@example.nl"));
        Assert.That(m.Phones, Is.Empty);
    }

    [Test]
    public void The_weighing_says_what_kept_text_keeps()
    {
        Assert.That(Minimiser.DescribeKeptText(Spec((DataCategory.Text, Treatment.Keep), (DataCategory.Email, Treatment.Keep))),
            Does.Contain("phone numbers and messenger handles").And.Contain("the working name").And.Not.Contain("e-mail").And.Contain("ages, places"));
        Assert.That(Minimiser.DescribeKeptText(Spec((DataCategory.Phone, Treatment.Keep))), Does.StartWith("the ad text is not kept"));
    }
}
