using NUnit.Framework;
using Crawler.Core.Hits;

namespace Crawler.Extraction.Tests;

/// <summary>Origins, languages, venues, services and places read from ad prose with their cues and negations.</summary>
public sealed class ProseReaderTests
{
    private static readonly ProseReader Reader = new(Vocabulary.Build(PlaceNames.All));

    private static LexiconFindings Read(string text, LabelKind label = LabelKind.Other)
    {
        var findings = new LexiconFindings();
        Reader.Read(TokenizedText.Of(text), findings, label);
        return findings;
    }

    [TestCase("Ik ben een Roemeense meid", "romanian")]
    [TestCase("Sexy Latina, nieuw in de stad", "latina")]
    [TestCase("Oost-Europese schoonheid", "eastern-european")]
    [TestCase("Een Roemeens meisje", "romanian")]
    [TestCase("I am a Romanian girl", "romanian")]
    [TestCase("I am Ukrainian and friendly", "ukrainian")]
    [TestCase("Ik kom uit Roemenië", "romanian")]
    [TestCase("I'm from Colombia", "colombian")]
    [TestCase("Hot Asian lady", "asian")]
    public void Origin_claims_are_read(string text, string origin)
    {
        Assert.That(Read(text).Origins, Is.EqualTo(new[] { origin }));
    }

    [TestCase("Ik spreek Roemeens en Engels")]
    [TestCase("Thaise massage en body to body")]
    [TestCase("Romanian spoken")]
    [TestCase("Geen Roemeense dames, sorry")]
    [TestCase("Ik was in Roemenië op vakantie")]
    [TestCase("Roemeense meiden heb ik niet")]
    [TestCase("roemeense les")]
    [TestCase("Romanian")]
    public void A_language_a_style_of_massage_a_negation_or_a_bare_country_is_no_origin(string text)
    {
        Assert.That(Read(text).Origins, Is.Empty);
    }

    [TestCase("Nationaliteit: Roemeens", "romanian")]
    [TestCase("Roemenië", "romanian")]
    [TestCase("latina", "latina")]
    public void A_label_value_is_read_without_cues(string value, string origin)
    {
        Assert.That(Read(value, LabelKind.Origin).Origins, Is.EqualTo(new[] { origin }));
    }

    [TestCase("Ik spreek Nederlands, Engels en een beetje Duits.", "nl en de")]
    [TestCase("I speak English and a little German", "en de")]
    [TestCase("Ik spreek geen Nederlands, wel Engels.", "en")]
    [TestCase("Dutch and English spoken", "nl en")]
    [TestCase("Talen: Roemeens, Italiaans", "ro it")]
    [TestCase("Ik spreek Engels, Nederlands niet", "en")]
    [TestCase("Ik spreek Engels, Duits is niet mogelijk", "en")]
    public void Languages_are_read_after_their_cue(string text, string languages)
    {
        Assert.That(Read(text).Languages, Is.EqualTo(languages.Split(' ')));
    }

    [Test]
    public void A_language_word_without_a_cue_is_no_language()
    {
        Assert.That(Read("Nederlandse meid. Engelse les gehad.").Languages, Is.Empty);
    }

    [TestCase("engels, nederlands", "en nl")]
    public void A_languages_label_value_needs_no_cue_nor_capitals(string value, string languages)
    {
        Assert.That(Read(value, LabelKind.Languages).Languages, Is.EqualTo(languages.Split(' ')));
    }

    [TestCase("I have been new in Breda since 04-10-2026; my place is in a quiet street", "incall")]
    [TestCase("Outcall to your hotel or at your home, no incall.", "outcall hotel home")]
    [TestCase("Ontvangst in mijn privéhuis", "incall private-house")]
    [TestCase("Thuisontvangst of hotelbezoek", "incall home outcall hotel")]
    [TestCase("Alleen ontvangst, geen escort", "incall")]
    [TestCase("Ook in de auto of op een vakantiepark", "car holiday-park")]
    [TestCase("Escort: nee", "")]
    [TestCase("Escort\nNee", "")]
    [TestCase("not available for outcall", "")]
    [TestCase("escort is niet mogelijk", "")]
    [TestCase("Hotelbezoek nooit, wel thuisontvangst", "incall home")]
    [TestCase("hotelbezoek is niet duur", "outcall hotel")]
    [TestCase("Escort, niet gehaast", "outcall")]
    [TestCase("Escort: niet graag", "outcall")]
    public void Venues_are_read_with_their_negations(string text, string venues)
    {
        Assert.That(Read(text).Venues, Is.EqualTo(venues.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [TestCase("GFE, erotische massage en tongzoenen", "gfe massage kissing")]
    [TestCase("Geen anaal, wel pijpen", "oral")]
    [TestCase("Alles kan, ook zonder condoom", "anything-goes no-condom")]
    [TestCase("Geen seks zonder condoom", "")]
    [TestCase("No anal, BDSM on request", "bdsm")]
    [TestCase("postcode 3511 BJ, 1234 ZC", "")]
    [TestCase("Anaal doe ik niet", "")]
    [TestCase("Anaal doe ik niet.", "")]
    [TestCase("Anaal: nee", "")]
    [TestCase("Anal? Not possible", "")]
    [TestCase("anal is not possible", "")]
    [TestCase("bareback no", "")]
    [TestCase("Zonder condoom doe ik niet", "")]
    [TestCase("Zoenen bied ik niet aan", "")]
    [TestCase("GFE is niet mogelijk", "")]
    [TestCase("Massage, anaal doe ik niet", "massage")]
    [TestCase("Anaal doe ik niet graag met haast", "anal")]
    [TestCase("GFE, niet gehaast", "gfe")]
    [TestCase("Anaal en nog veel meer dingen die ik niet doe", "anal")]
    [TestCase("Bareback no anal", "no-condom")]
    [TestCase("Anaal en ik rook niet", "anal")]
    [TestCase("Alles kan, no limits", "anything-goes")]
    public void Services_are_read_with_their_negations(string text, string services)
    {
        Assert.That(Read(text).Services, Is.EqualTo(services.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Test]
    public void A_negation_word_inside_a_phrase_does_not_negate_the_term_before_it()
    {
        // "nooit nee" (never says no): without it being a phrase, its "nee" would close the clause after "anaal".
        var table = new PhraseTable<Term[]>();
        table.Add("anaal", [new Term(TermKind.Service, ["anal"])]);
        table.Add("nooit nee", [new Term(TermKind.Service, ["anything-goes"])]);
        var reader = new ProseReader(table.Freeze());

        var phrase = new LexiconFindings();
        reader.Read(TokenizedText.Of("anaal zeg ik nooit nee"), phrase);
        var bare = new LexiconFindings();
        reader.Read(TokenizedText.Of("anaal zeg ik nee"), bare);

        Assert.Multiple(() =>
        {
            Assert.That(phrase.Services, Is.EqualTo(new[] { "anal", "anything-goes" }));
            Assert.That(bare.Services, Is.Empty);
        });
    }

    [Test]
    public void Negations_after_a_term_are_the_words_of_the_shipped_indicator_policy()
    {
        var after = TestPolicy.Policy.Indicators.Negation.After;

        Assert.Multiple(() =>
        {
            Assert.That(after.Words, Is.EqualTo(Vocabulary.NegationsAfter), "so the services an ad records agree with its score");
            Assert.That(after.Completions, Is.EqualTo(Vocabulary.NegationCompletions));
            Assert.That(after.Between, Is.EqualTo(Vocabulary.NegationBetween));
            Assert.That(after.Window, Is.EqualTo(Vocabulary.NegationAfterWindow));
        });
    }

    [TestCase("Ontvangst in Den Haag en Rotterdam", "Den Haag,Rotterdam")]
    [TestCase("Escort regio 's-Gravenhage", "Den Haag")]
    [TestCase("Nieuw in Amsterdam-Zuid", "Amsterdam")]
    [TestCase("Escort in Best en omgeving Eindhoven", "Best,Eindhoven")]
    [TestCase("Best service! Echt waar, Goes the extra mile", "")]
    [TestCase("kom naar utrecht", "")]
    [TestCase("Hoofddorp, Den Bosch and The Hague", "Haarlemmermeer,'s-Hertogenbosch,Den Haag")]
    public void Places_are_read_as_canonical_names(string text, string places)
    {
        Assert.That(Read(text).Locations.Select(l => l.Value), Is.EqualTo(places.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Test]
    public void A_place_label_value_needs_no_capital_and_no_cue()
    {
        var locations = Read("utrecht", LabelKind.Place).Locations;

        Assert.That(locations, Is.EqualTo(new[] { new StatedLocation(StatedLocation.City, "Utrecht") }));
    }
}
