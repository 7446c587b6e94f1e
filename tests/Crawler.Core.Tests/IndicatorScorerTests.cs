using NUnit.Framework;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Linking;
using Crawler.Core.Policy;

namespace Crawler.Core.Tests;

public sealed class IndicatorScorerTests
{
    private static IndicatorPolicy Real => TestData.Policy.Indicators;

    private static readonly NegationRules Negations = new(["geen", "niet", "nooit", "no", "not", "never"], ["without", "zonder"], 3);

    private static IndicatorPolicy Lexicon(params IndicatorDefinition[] indicators) => new(0, indicators) { Negation = Negations };

    private static AdFeatures Ad(
        string text,
        string? title = null,
        IReadOnlyList<FoundPhone>? phones = null,
        IReadOnlyList<int>? ages = null,
        IReadOnlyList<StatedPrice>? prices = null) =>
        new(true, "", title, text, phones ?? [], [], 0, ages, prices);

    private static IndicatorHit? Fired(IndicatorScore score, string id) => score.Fired.SingleOrDefault(f => f.Id == id);

    private static IndicatorHit FiredOnce(IndicatorScore score, string id)
    {
        var hit = Fired(score, id);
        Assert.That(hit, Is.Not.Null, $"{id} did not fire; fired: {string.Join(", ", score.Fired.Select(f => f.Id))}");
        return hit!;
    }

    // Each indicator on a Dutch and an English example, with the words that must be in its evidence.
    private static readonly object[] Examples =
    [
        new object[] { "minor-age", "Hoi lieverd, ik ben 16 en nieuw hier", "ik ben 16" },
        new object[] { "minor-age", "Sweet and shy, I am 17, call me", "I am 17" },
        new object[] { "minor-age", "Echt een 17-jarige schoonheid", "17-jarige" },
        new object[] { "youth-emphasis", "Net 18 geworden en heel lief", "Net 18" },
        new object[] { "youth-emphasis", "Barely legal and very sweet", "Barely legal" },
        new object[] { "hidden-contact", "Mijn nummer staat op de foto, bel snel", "nummer staat op de foto" },
        new object[] { "hidden-contact", "Discreet. See pic for number", "See pic for number" },
        new object[] { "professional-language", "Alleen 100% echte foto's hier", "100% echte foto's" },
        new object[] { "professional-language", "Real pics, come and see", "Real pics" },
        new object[] { "foreign-origin", "Mooie Roemeense dame in Utrecht", "Roemeense" },
        new object[] { "foreign-origin", "Hot Latina waiting for you", "Latina" },
        new object[] { "third-party-language", "Bel voor info over de dames van vandaag", "Bel voor info over de dames" },
        new object[] { "third-party-language", "Our girls are waiting", "Our girls" },
        new object[] { "multiple-persons", "Twee vriendinnen samen voor jou", "Twee vriendinnen" },
        new object[] { "multiple-persons", "We are two girls from the south", "We are two girls" },
        new object[] { "unprotected-services", "Bij mij is alles mogelijk", "alles mogelijk" },
        new object[] { "unprotected-services", "Bareback possible for extra", "Bareback" },
        new object[] { "always-available", "Dag en nacht bereikbaar", "Dag en nacht" },
        new object[] { "always-available", "Available 24/7 for you", "24/7" },
        new object[] { "venue-hotel-park-car", "Ontvangst in een vakantiepark bij Arnhem", "vakantiepark" },
        new object[] { "venue-hotel-park-car", "Hotel visits only", "Hotel visits" },
        new object[] { "language-barrier", "Ik spreek geen Nederlands", "geen Nederlands" },
        new object[] { "language-barrier", "I speak only a little English", "only a little English" },
        new object[] { "low-price", "Vandaag extra goedkoop", "goedkoop" },
        new object[] { "low-price", "Cheap and discreet", "Cheap" },
        new object[] { "new-in-town", "Nieuw in de stad!", "Nieuw in de stad" },
        new object[] { "new-in-town", "New in town this week", "New in town" },

        // French and German, and a Flemish form, written for these tests.
        new object[] { "minor-age", "Coucou, j'ai 17 ans et je découvre", "j'ai 17 ans" },
        new object[] { "minor-age", "Hallo, ich bin 16 und neu hier", "ich bin 16" },
        new object[] { "youth-emphasis", "Toute jeune et timide", "Toute jeune" },
        new object[] { "youth-emphasis", "Gerade 18 geworden, sehr süß", "Gerade 18" },
        new object[] { "youth-emphasis", "Een jong meiske uit Gent", "jong meiske" },
        new object[] { "hidden-contact", "Mon numéro sur la photo", "numéro sur la photo" },
        new object[] { "hidden-contact", "Meine Nummer im Bild, ruf an", "Nummer im Bild" },
        new object[] { "professional-language", "Vraies photos, femme sérieuse", "Vraies photos" },
        new object[] { "professional-language", "Echte Fotos, kein Fake", "Echte Fotos" },
        new object[] { "foreign-origin", "Belle Roumaine à Liège", "Roumaine" },
        new object[] { "foreign-origin", "Süße Ungarin in Köln", "Ungarin" },
        new object[] { "third-party-language", "Nos filles vous attendent", "Nos filles" },
        new object[] { "third-party-language", "Unsere Damen freuen sich", "Unsere Damen" },
        new object[] { "multiple-persons", "Deux copines pour vous", "Deux copines" },
        new object[] { "multiple-persons", "Zwei Freundinnen zusammen", "Zwei Freundinnen" },
        new object[] { "unprotected-services", "Tout est possible chez moi", "Tout est possible" },
        new object[] { "unprotected-services", "Alles ohne, auch AO", "Alles ohne" },
        new object[] { "always-available", "Disponible 24h/24", "24h/24" },
        new object[] { "always-available", "Rund um die Uhr für dich da", "Rund um die Uhr" },
        new object[] { "venue-hotel-park-car", "Je me déplace à l'hôtel", "à l'hôtel" },
        new object[] { "venue-hotel-park-car", "Treffen im Auto möglich", "im Auto" },
        new object[] { "language-barrier", "Je parle un peu d'anglais", "un peu d'anglais" },
        new object[] { "language-barrier", "Spreche kein Deutsch", "kein Deutsch" },
        new object[] { "low-price", "Massage pas cher", "pas cher" },
        new object[] { "low-price", "Heute günstig", "günstig" },
        new object[] { "new-in-town", "Nouvelle en ville !", "Nouvelle en ville" },
        new object[] { "new-in-town", "Neu in der Stadt", "Neu in der Stadt" },
    ];

    [TestCaseSource(nameof(Examples))]
    public void Each_indicator_fires_on_its_Dutch_and_English_terms_with_the_text_as_evidence(string id, string text, string span)
    {
        var hit = FiredOnce(IndicatorScorer.Score(Ad(text), Real), id);

        Assert.Multiple(() =>
        {
            Assert.That(hit.Evidence, Does.Contain(span), "the exact words that fired, as written");
            Assert.That(hit.Weight, Is.EqualTo(Real.Indicators.Single(i => i.Id == id).Weight));
        });
    }

    private static IEnumerable<TestCaseData> EveryRealTerm() =>
        TestData.Policy.Indicators.Indicators.SelectMany(i => i.Terms.Select(t => new TestCaseData(i.Id, t).SetName($"Term {i.Id}: {t}")));

    [TestCaseSource(nameof(EveryRealTerm))]
    public void Every_term_of_the_real_lexicon_fires_its_indicator(string id, string term)
    {
        var hit = FiredOnce(IndicatorScorer.Score(Ad("Hallo. " + term + ". Tot ziens"), Real), id);

        Assert.That(hit.Evidence, Does.Contain(term));
    }

    [Test]
    public void Every_lexicon_indicator_of_the_real_policy_has_a_reasonably_rich_lexicon()
    {
        var lexical = Real.Indicators.Where(i => i.Id is not (IndicatorIds.SharedContact or IndicatorIds.TemplateText));

        Assert.That(lexical.Select(i => (i.Id, i.Terms.Count)), Has.All.Matches<(string Id, int Count)>(x => x.Count >= 8));
    }

    [Test]
    public void The_real_policy_has_every_indicator_of_the_issue()
    {
        Assert.That(Real.Indicators.Select(i => i.Id), Is.EquivalentTo(TestData.Seq(
            "minor-age", "youth-emphasis", "hidden-contact", "professional-language", "foreign-origin", "third-party-language",
            "multiple-persons", "unprotected-services", "always-available", "venue-hotel-park-car", "language-barrier", "low-price",
            "new-in-town", "shared-contact", "template-text")));
    }

    [Test]
    public void New_in_town_has_weight_zero_and_a_movement_only_ad_scores_nothing()
    {
        var score = IndicatorScorer.Score(Ad("Nieuw in Utrecht, alleen deze week, op doorreis"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(Real.Indicators.Single(i => i.Id == "new-in-town").Weight, Is.Zero);
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("new-in-town")), "shown as context");
            Assert.That(score.Score, Is.Zero);
        });
    }

    [Test]
    public void Client_screening_language_scores_nothing()
    {
        var score = IndicatorScorer.Score(Ad("Geen anonieme nummers, alleen op afspraak, bel vóór 22u"), Real);

        Assert.That(score.Score, Is.Zero);
    }

    [Test]
    public void An_agency_ad_fires_each_of_its_indicators_once_and_sums_their_weights()
    {
        const string text = "Nieuwe meiden bij ons! Wij hebben 3 dames: Anna (20, Roemeense), Mia (19, Bulgaarse). " +
                            "Bel voor info over de dames, 24/7, alles mogelijk zonder condoom.";

        var score = IndicatorScorer.Score(Ad(text), Real);

        var ids = score.Fired.Select(f => f.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.EqualTo(TestData.Seq("foreign-origin", "third-party-language", "multiple-persons", "unprotected-services", "always-available")),
                "policy order, each once");
            Assert.That(score.Score, Is.EqualTo(1.5 + 1.5 + 1.5 + 2 + 1.5));
            Assert.That(FiredOnce(score, "third-party-language").Evidence, Does.Contain("Nieuwe meiden"), "the first occurrence");
            Assert.That(score.Escalated, Is.False);
        });
    }

    [Test]
    public void The_old_text_entry_point_gives_the_same_as_an_ad_with_only_that_text()
    {
        const string text = "Twee vriendinnen, 24/7, hotel. Real pics!";

        var old = IndicatorScorer.Score(text, Real);
        var ad = IndicatorScorer.Score(Ad(text), Real);

        Assert.Multiple(() =>
        {
            Assert.That(old.Fired, Is.EqualTo(ad.Fired));
            Assert.That(old.Score, Is.EqualTo(ad.Score));
        });
    }

    [Test]
    public void The_title_is_scored_too()
    {
        var score = IndicatorScorer.Score(Ad("Bel me", title: "Jonge Roemeense, net 18"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(FiredOnce(score, "foreign-origin").Evidence, Does.Contain("Roemeense"));
            Assert.That(FiredOnce(score, "youth-emphasis").Evidence, Does.Contain("net 18"));
        });
    }

    // Negation.

    [TestCase("Geen anaal", false)]
    [TestCase("geen anaal en geen zoenen", false)]
    [TestCase("Niet anaal", false)]
    [TestCase("No anal please", false)]
    [TestCase("Not anal", false)]
    [TestCase("Never anal", false)]
    [TestCase("Anaal mogelijk", true)]
    [TestCase("Geen zoenen, anaal wel", true)]
    [TestCase("No kissing. Anal yes", true)]
    [TestCase("geen stress (anaal)", true)]
    public void A_negation_before_a_term_in_the_same_clause_suppresses_it(string text, bool fires)
    {
        var policy = Lexicon(new IndicatorDefinition("services", 1, ["anaal", "anal"], false));

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [TestCase("no anal or kissing", "kissing", false)]
    [TestCase("no anal, or kissing", "kissing", true)]
    [TestCase("no anal or oral kissing", "kissing", true)]
    public void Negation_looks_back_as_many_words_as_the_window(string text, string term, bool fires)
    {
        var policy = Lexicon(new IndicatorDefinition("x", 1, [term], false));

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [Test]
    public void A_window_of_zero_still_honours_adjacent_negations_only()
    {
        var policy = new IndicatorPolicy(0, [new IndicatorDefinition("x", 1, ["hotel"], false)]) { Negation = new(["geen"], ["zonder"], 0) };

        Assert.Multiple(() =>
        {
            Assert.That(IndicatorScorer.Score(Ad("geen hotel"), policy).Fired, Is.Not.Empty, "window 0: 'geen' is not looked at");
            Assert.That(IndicatorScorer.Score(Ad("zonder hotel"), policy).Fired, Is.Empty);
        });
    }

    [Test]
    public void Without_no_negation_rules_every_term_fires()
    {
        var policy = new IndicatorPolicy(0, [new IndicatorDefinition("x", 1, ["hotel"], false)]);

        Assert.That(IndicatorScorer.Score(Ad("geen hotel"), policy).Fired, Is.Not.Empty);
    }

    [TestCase("No bareback, safe only", false)]
    [TestCase("Nooit zonder condoom", false)]
    [TestCase("Geen zonder condoom!", false)]
    [TestCase("No sex without a condom", false)]
    [TestCase("Never without condom", false)]
    [TestCase("Altijd zonder condoom", true)]
    [TestCase("Without condom possible", true)]
    [TestCase("Pijpen zonder condoom", true)]
    [TestCase("Geen taboes", true)]
    [TestCase("No limits", true)]
    public void Unprotected_services_honour_negation_but_terms_that_contain_a_negation_fire(string text, bool fires)
    {
        var score = IndicatorScorer.Score(Ad(text), Real);

        Assert.That(Fired(score, "unprotected-services"), fires ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void A_term_that_holds_a_negation_fires_and_its_negation_does_not_suppress_the_next_term()
    {
        var score = IndicatorScorer.Score(Ad("Geen nep hotel"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(FiredOnce(score, "professional-language").Evidence, Does.Contain("Geen nep"));
            Assert.That(FiredOnce(score, "venue-hotel-park-car").Evidence, Does.Contain("hotel"));
        });
    }

    [Test]
    public void An_adjacent_only_negation_does_not_reach_further()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fired(IndicatorScorer.Score(Ad("zonder afspraak 24/7 bereikbaar"), Real), "always-available"), Is.Not.Null);
            Assert.That(Fired(IndicatorScorer.Score(Ad("without appointment hotel visits"), Real), "venue-hotel-park-car"), Is.Not.Null);
            Assert.That(Fired(IndicatorScorer.Score(Ad("zonder hotel"), Real), "venue-hotel-park-car"), Is.Null);
        });
    }

    [Test]
    public void A_negated_occurrence_is_skipped_and_a_later_one_fires_with_its_own_evidence()
    {
        var score = IndicatorScorer.Score(Ad("Geen hotel, helaas. Maar wel ontvangst op een mooie en rustige camping bij de zee"), Real);

        Assert.That(FiredOnce(score, "venue-hotel-park-car").Evidence, Does.Contain("camping").And.Not.Contain("hotel"));
    }

    [Test]
    public void A_negated_minor_term_does_not_escalate()
    {
        var score = IndicatorScorer.Score(Ad("Ik ben niet minderjarig, gewoon jong van geest"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(Fired(score, "minor-age"), Is.Null);
            Assert.That(score.Escalated, Is.False);
        });
    }

    // Negation after a term: the rule of the shipped file's negation.after block.

    private static IndicatorPolicy WithShippedNegation(params IndicatorDefinition[] indicators) => new(0, indicators) { Negation = Real.Negation };

    private static readonly IndicatorDefinition Services =
        new("services", 1, ["anaal", "anal", "bareback", "zonder condoom", "kussen", "gfe", "hotelbezoek", "24/7"], false);

    [TestCase("anaal doe ik niet")]
    [TestCase("anaal doe ik niet.")]
    [TestCase("Anaal: nee")]
    [TestCase("Anaal? Niet mogelijk!")]
    [TestCase("anal is not possible")]
    [TestCase("bareback no")]
    [TestCase("zonder condoom doe ik niet")]
    [TestCase("kussen bied ik niet aan")]
    [TestCase("GFE is niet mogelijk")]
    [TestCase("hotelbezoek nooit")]
    [TestCase("Hotelbezoek never, anal is not allowed")]
    [TestCase("Ik ben lief. Anaal doe ik niet\nKussen nee")]
    public void A_negation_that_closes_the_clause_after_a_term_suppresses_it(string text)
    {
        var score = IndicatorScorer.Score(Ad(text), WithShippedNegation(Services));

        Assert.That(score.Fired, Is.Empty, string.Join(", ", score.Fired.Select(f => f.Evidence)));
    }

    [TestCase("hotelbezoek is niet duur", "hotelbezoek", Description = "not a completion word")]
    [TestCase("GFE, niet gehaast", "GFE", Description = "a comma between")]
    [TestCase("anaal doe ik niet graag met haast", "anaal", Description = "more than one word after the negation")]
    [TestCase("24/7 bereikbaar, niet op zondag", "24/7", Description = "a comma between")]
    [TestCase("anaal en nog veel meer dingen die ik niet doe", "anaal", Description = "more words between than the window")]
    [TestCase("Anaal: niet graag", "Anaal", Description = "an answer across the boundary must be bare")]
    [TestCase("Anaal. Ik doe niet", "Anaal", Description = "words after the boundary begin another statement")]
    [TestCase("bareback no anal", "bareback", Description = "the negation belongs to the next term")]
    [TestCase("bareback en ik rook niet", "bareback", Description = "a word between that is not in negation.after.between")]
    [TestCase("kussen, lekker lang niet gehaast", "kussen", Description = "a comma between")]
    public void A_negation_after_a_term_that_does_not_close_its_clause_leaves_it_firing(string text, string evidence)
    {
        var score = IndicatorScorer.Score(Ad(text), WithShippedNegation(Services));

        Assert.That(FiredOnce(score, "services").Evidence, Does.Contain(evidence));
    }

    [Test]
    public void A_term_that_holds_a_negation_fires_and_its_words_do_not_negate_the_term_before_it()
    {
        // "nooit nee" (never says no): without it being a term, its "nee" would close the clause after "anaal".
        var policy = WithShippedNegation(
            new IndicatorDefinition("services", 1, ["anaal"], false),
            new IndicatorDefinition("anything", 1, ["nooit nee"], false));

        var score = IndicatorScorer.Score(Ad("anaal zeg ik nooit nee"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(FiredOnce(score, "services").Evidence, Does.Contain("anaal"));
            Assert.That(FiredOnce(score, "anything").Evidence, Does.Contain("nooit nee"));
            Assert.That(Fired(IndicatorScorer.Score(Ad("anaal zeg ik nee"), policy), "services"), Is.Null, "a bare nee does negate");
        });
    }

    [TestCase("ik ben 17 en rook niet")]
    [TestCase("ik ben 17 doe ik niet")]
    public void A_negation_after_an_escalating_term_never_silences_it(string text)
    {
        var score = IndicatorScorer.Score(Ad(text), Real);

        Assert.Multiple(() =>
        {
            Assert.That(Fired(score, IndicatorIds.MinorAge), Is.Not.Null);
            Assert.That(score.Escalated, Is.True);
        });
    }

    [TestCase("No limits", "unprotected-services")]
    [TestCase("Geen nep", "professional-language")]
    [TestCase("Pas de fake, photos réelles", "professional-language")]
    [TestCase("Kein Fake", "professional-language")]
    [TestCase("Ohne Gummi", "unprotected-services")]
    [TestCase("Real pics, not fake", "professional-language")]
    public void A_real_term_that_holds_a_negation_is_not_negated_by_it(string text, string id)
    {
        Assert.That(Fired(IndicatorScorer.Score(Ad(text), Real), id), Is.Not.Null);
    }

    [TestCase("Keine Hotelbesuche, nur privat", "venue-hotel-park-car", false)]
    [TestCase("Je ne me déplace pas à l'hôtel", "venue-hotel-park-car", false)]
    [TestCase("Pas de rapport sans préservatif", "unprotected-services", false)]
    [TestCase("Niemals ohne Gummi", "unprotected-services", false)]
    [TestCase("Aucune photo réelle? Si: photos réelles", "professional-language", true)]
    [TestCase("Zonder condoom doe ik niet", "unprotected-services", false)]
    [TestCase("Bareback no", "unprotected-services", false)]
    [TestCase("Hotelbezoek nooit", "venue-hotel-park-car", false)]
    [TestCase("Hotelbezoek is niet duur", "venue-hotel-park-car", true)]
    [TestCase("24/7 bereikbaar, niet op zondag", "always-available", true)]
    [TestCase("Hotel: nee. Camping: niet mogelijk", "venue-hotel-park-car", false)]
    [TestCase("Sans capote ? Non, jamais.", "unprotected-services", false)]
    [TestCase("Hôtel : pas possible", "venue-hotel-park-car", false)]
    [TestCase("Ohne Gummi? Nein!", "unprotected-services", false)]
    [TestCase("Hotelbesuche mache ich nicht", "venue-hotel-park-car", false)]
    [TestCase("Hotelbesuche sind nicht teuer", "venue-hotel-park-car", true)]
    [TestCase("Hotel, nie op zondag", "venue-hotel-park-car", true)]
    public void The_real_policy_sees_negations_after_a_term(string text, string id, bool fires)
    {
        Assert.That(Fired(IndicatorScorer.Score(Ad(text), Real), id), fires ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void Without_an_after_block_a_negation_after_a_term_is_not_seen()
    {
        var policy = Lexicon(Services);

        Assert.That(IndicatorScorer.Score(Ad("anaal doe ik niet"), policy).Fired, Is.Not.Empty);
    }

    [TestCase(0, "bareback no", false)]
    [TestCase(0, "GFE niet mogelijk", false)]
    [TestCase(0, "anal is not possible", true)]
    [TestCase(1, "anal is not possible", false)]
    [TestCase(1, "anaal doe ik niet", true)]
    [TestCase(2, "anaal doe ik niet", false)]
    public void The_after_window_counts_the_words_between_the_term_and_the_negation(int window, string text, bool fires)
    {
        var policy = new IndicatorPolicy(0, [Services])
        {
            Negation = NegationRules.None with { After = new TrailingNegation(["niet", "nee", "no", "not"], ["mogelijk", "possible"], window) },
        };

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [Test]
    public void A_refused_occurrence_is_skipped_and_a_later_one_fires_with_its_own_evidence()
    {
        var score = IndicatorScorer.Score(Ad("Anaal doe ik niet, sorry lieverd. Maar wel bareback voor extra"), WithShippedNegation(Services));

        Assert.That(FiredOnce(score, "services").Evidence, Does.Contain("bareback").And.Not.Contain("Anaal"));
    }

    // Whole words, case and diacritics.

    [TestCase("De hotelier was vriendelijk", false)]
    [TestCase("Motels and hoteliers", false)]
    [TestCase("HOTEL mogelijk", true)]
    [TestCase("(hotel)", true)]
    [TestCase("hotel-bezoek", true)]
    [TestCase("ho\u200Btel", true)]
    [TestCase("ＨＯＴＥＬ", true)]
    public void Venue_matches_whole_words_only(string text, bool fires)
    {
        Assert.That(Fired(IndicatorScorer.Score(Ad(text), Real), "venue-hotel-park-car"), fires ? Is.Not.Null : Is.Null);
    }

    [TestCase("Mooie Oekraïense dame", "Oekraïense")]
    [TestCase("Mooie OEKRAIENSE dame", "OEKRAIENSE")]
    [TestCase("Mooie oekraiense dame", "oekraiense")]
    public void Matching_ignores_case_and_diacritics_and_the_evidence_keeps_them(string text, string span)
    {
        Assert.That(FiredOnce(IndicatorScorer.Score(Ad(text), Real), "foreign-origin").Evidence, Does.Contain(span));
    }

    [Test]
    public void A_term_written_with_diacritics_matches_text_without_them()
    {
        var policy = Lexicon(new IndicatorDefinition("x", 1, ["privé ontvangst"], false));

        Assert.That(IndicatorScorer.Score(Ad("PRIVE ONTVANGST in Ede"), policy).Fired, Is.Not.Empty);
    }

    [TestCase("24/7", true)]
    [TestCase("24 / 7", true)]
    [TestCase("24/70", false)]
    [TestCase("124/7", false)]
    [TestCase("24/7/365", true)]
    public void Symbols_are_words_so_24_7_matches_exactly(string text, bool fires)
    {
        var policy = Lexicon(new IndicatorDefinition("always", 1, ["24/7"], false));

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [TestCase("Nieuw 🍒 meisje", true)]
    [TestCase("Nieuw🍒meisje", true)]
    [TestCase("Nieuw 🌸 meisje", false)]
    public void An_emoji_is_a_word_of_its_own(string text, bool fires)
    {
        var policy = Lexicon(new IndicatorDefinition("emoji", 0.5, ["🍒"], false));

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [TestCase("𝐡𝐨𝐭𝐞𝐥", "hotel")]
    [TestCase("ho\u00ADtel", "hotel")]
    [TestCase("prive\u0301 ontvangst", "privé ontvangst")]
    [TestCase("ﬁets", "fiets")]
    [TestCase("alles\u00A0mogelijk", "alles mogelijk")]
    [TestCase("echte foto’s", "echte foto's")]
    [TestCase("Ｎｅｔ １８", "net 18")]
    public void Look_alike_forms_of_letters_and_invisible_characters_are_folded(string text, string term)
    {
        var policy = Lexicon(new IndicatorDefinition("x", 1, [term], false));

        var score = IndicatorScorer.Score(Ad("💋 " + text + " 💋"), policy);

        Assert.That(score.Fired.Single().Evidence, Does.Contain(text), "the evidence is the original text, whatever the folding");
    }

    [TestCase("alles mogelijk", true)]
    [TestCase("Alles   mogelijk", true)]
    [TestCase("alles\nmogelijk", false)]
    [TestCase("alles, mogelijk", false)]
    public void A_phrase_does_not_match_across_a_clause_boundary(string text, bool fires)
    {
        var policy = Lexicon(new IndicatorDefinition("x", 1, ["alles mogelijk"], false));

        Assert.That(IndicatorScorer.Score(Ad(text), policy).Fired, fires ? Is.Not.Empty : Is.Empty);
    }

    [Test]
    public void Cheaper_does_not_fire_cheap_and_fresher_does_not_fire_fresh()
    {
        var score = IndicatorScorer.Score(Ad("Cheaper than fresher girls"), Real);

        Assert.That(score.Fired.Select(f => f.Id), Has.None.EqualTo("low-price").And.None.EqualTo("youth-emphasis"));
    }

    [Test]
    public void Two_indicators_sharing_a_term_both_fire()
    {
        var policy = Lexicon(new IndicatorDefinition("a", 1, ["onze meiden"], false), new IndicatorDefinition("b", 2, ["duo", "onze meiden"], false));

        var score = IndicatorScorer.Score(Ad("Onze meiden wachten"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("a", "b")));
            Assert.That(score.Score, Is.EqualTo(3));
        });
    }

    [Test]
    public void The_longer_of_two_overlapping_terms_is_the_evidence_when_it_starts_first()
    {
        var policy = Lexicon(new IndicatorDefinition("x", 1, ["nummer op de foto", "foto"], false));

        var score = IndicatorScorer.Score(Ad("Het nummer op de foto"), policy);

        Assert.That(score.Fired.Single().Evidence, Is.EqualTo("Het nummer op de foto"));
    }

    // Minor age: escalation outside the score.

    [Test]
    public void A_stated_age_under_18_escalates_with_the_text_where_the_age_stands()
    {
        var score = IndicatorScorer.Score(Ad("Leeftijd: 16. Lief en spontaan.", ages: [16]), Real);

        var hit = FiredOnce(score, "minor-age");
        Assert.Multiple(() =>
        {
            Assert.That(score.Escalated, Is.True);
            Assert.That(hit.Evidence, Does.Contain("Leeftijd: 16"));
            Assert.That(hit.Weight, Is.Zero);
            Assert.That(score.Score, Is.Zero, "escalation is outside the score");
        });
    }

    [Test]
    public void The_youngest_stated_minor_age_is_the_evidence()
    {
        var score = IndicatorScorer.Score(Ad("Anna 17 jaar en Mia 15 jaar", ages: [17, 15, 22]), Real);

        Assert.That(FiredOnce(score, "minor-age").Evidence, Does.Contain("15 jaar"));
    }

    [Test]
    public void A_stated_age_written_as_one_word_is_found()
    {
        var score = IndicatorScorer.Score(Ad("Cute 16yo girl", ages: [16]), Real);

        Assert.That(FiredOnce(score, "minor-age").Evidence, Does.Contain("16yo"));
    }

    [Test]
    public void A_stated_age_not_found_in_the_text_is_described()
    {
        var score = IndicatorScorer.Score(Ad("Lief en spontaan, €150 per uur", ages: [16]), Real);

        Assert.Multiple(() =>
        {
            Assert.That(FiredOnce(score, "minor-age").Evidence, Is.EqualTo("stated age 16"));
            Assert.That(score.Escalated, Is.True);
        });
    }

    [Test]
    public void A_number_without_an_age_word_is_not_taken_for_the_stated_age()
    {
        var score = IndicatorScorer.Score(Ad("Open tot 16 uur. Ik ben Lisa, 16 jaar", ages: [16]), Real);

        Assert.That(FiredOnce(score, "minor-age").Evidence, Does.Contain("16 jaar"));
    }

    [TestCase(18)]
    [TestCase(19)]
    [TestCase(45)]
    public void A_stated_adult_age_does_not_escalate(int age)
    {
        var score = IndicatorScorer.Score(Ad("Leeftijd: " + age, ages: [age]), Real);

        Assert.Multiple(() =>
        {
            Assert.That(score.Escalated, Is.False);
            Assert.That(Fired(score, "minor-age"), Is.Null);
        });
    }

    [Test]
    public void A_minor_term_escalates_without_a_stated_age()
    {
        var score = IndicatorScorer.Score(Ad("Underage and new"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(score.Escalated, Is.True);
            Assert.That(FiredOnce(score, "minor-age").Evidence, Does.Contain("Underage"));
        });
    }

    [Test]
    public void A_stated_minor_age_escalates_even_under_a_policy_without_minor_age()
    {
        var policy = Lexicon(new IndicatorDefinition("venue", 1, ["hotel"], false));

        var score = IndicatorScorer.Score(Ad("hotel, 16 jaar", ages: [16]), policy);

        Assert.Multiple(() =>
        {
            Assert.That(score.Escalated, Is.True);
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("venue", "minor-age")));
            Assert.That(score.Score, Is.EqualTo(1));
        });
    }

    // Hidden contact.

    [Test]
    public void A_phone_found_only_after_de_obfuscation_fires_hidden_contact_with_its_raw_form()
    {
        const string raw = "nul zes een twee drie vier vijf zes zeven acht";
        var phone = new FoundPhone("+31612345678", raw, "NL", "mobile", Obfuscated: true);

        var score = IndicatorScorer.Score(Ad("Bel me: " + raw + " na 18 uur", phones: [phone]), Real);

        var hit = FiredOnce(score, "hidden-contact");
        Assert.Multiple(() =>
        {
            Assert.That(hit.Evidence, Does.Contain(raw));
            Assert.That(hit.Weight, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_hidden_phone_not_in_the_text_is_shown_as_found()
    {
        var phone = new FoundPhone("+31612345678", "O6-l2345678", "NL", "mobile", Obfuscated: true);

        var score = IndicatorScorer.Score(Ad("Bel me", title: "Lisa O6-l2345678", phones: [phone]), Real);

        Assert.That(FiredOnce(score, "hidden-contact").Evidence, Is.EqualTo("O6-l2345678"));
    }

    [Test]
    public void A_phone_in_plain_sight_does_not_fire_hidden_contact()
    {
        var phone = new FoundPhone("+31612345678", "06-12345678", "NL", "mobile");

        var score = IndicatorScorer.Score(Ad("Bel 06-12345678", phones: [phone]), Real);

        Assert.That(Fired(score, "hidden-contact"), Is.Null);
    }

    // Low price.

    [TestCase(59.99, true)]
    [TestCase(40, true)]
    [TestCase(60, false)]
    [TestCase(150, false)]
    public void A_price_per_hour_below_the_policy_threshold_fires_low_price(double perHour, bool fires)
    {
        var price = new StatedPrice((decimal)perHour / 2, "EUR", "half uur", (decimal)perHour, "½ uur " + (perHour / 2) + ",-");

        var score = IndicatorScorer.Score(Ad("Mijn tarieven", prices: [price]), Real);

        Assert.That(Fired(score, "low-price"), fires ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void Low_price_evidence_is_the_stated_rate_with_its_price_per_hour()
    {
        var price = new StatedPrice(25, "EUR", "half uur", 50, "½ uur 25,-");

        var score = IndicatorScorer.Score(Ad("Tarief: ½ uur 25,-", prices: [price]), Real);

        Assert.That(FiredOnce(score, "low-price").Evidence, Is.EqualTo("½ uur 25,- (= 50 EUR per hour)"));
    }

    [Test]
    public void A_price_without_a_duration_or_in_another_currency_is_not_compared()
    {
        var noDuration = new StatedPrice(20, "EUR", "", null, "20 euro");
        var dollars = new StatedPrice(20, "USD", "uur", 20, "$20/h");

        var score = IndicatorScorer.Score(Ad("Prijzen", prices: [noDuration, dollars]), Real);

        Assert.That(Fired(score, "low-price"), Is.Null);
    }

    [Test]
    public void Low_price_without_a_threshold_fires_on_its_lexicon_only()
    {
        var policy = Lexicon(new IndicatorDefinition("low-price", 0.5, ["goedkoop"], false));
        var price = new StatedPrice(10, "EUR", "uur", 10, "10 per uur");

        Assert.Multiple(() =>
        {
            Assert.That(IndicatorScorer.Score(Ad("Prijzen", prices: [price]), policy).Fired, Is.Empty);
            Assert.That(IndicatorScorer.Score(Ad("goedkoop", prices: [price]), policy).Fired, Is.Not.Empty);
        });
    }

    // Linking signals.

    private static readonly SharedContactSignal Shared = new("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", [3, 8], 2, 1, 2);

    [Test]
    public void Shared_contact_fires_from_linking_with_its_description()
    {
        var score = IndicatorScorer.Score(Ad("Hallo"), Real, new LinkSignals([Shared], []));

        var hit = FiredOnce(score, "shared-contact");
        Assert.Multiple(() =>
        {
            Assert.That(hit.Evidence, Is.EqualTo("contact a1b2c3d4e5f6… is in hits 3, 8 under 2 names, 1 ages, 2 cities"));
            Assert.That(score.Score, Is.EqualTo(3));
        });
    }

    [Test]
    public void Template_text_fires_from_linking_and_counts_the_other_hits()
    {
        var links = new LinkSignals([], [new TemplateTextSignal(17, 0.921875), new TemplateTextSignal(21, 0.85), new TemplateTextSignal(30, 0.8)]);

        var score = IndicatorScorer.Score(Ad("Hallo"), Real, links);

        Assert.That(FiredOnce(score, "template-text").Evidence,
            Is.EqualTo("near-duplicate text (similarity 0.92) in hit 17 with another contact (and 2 more hits)"));
    }

    [Test]
    public void Without_link_signals_the_linking_indicators_do_not_fire()
    {
        var none = IndicatorScorer.Score(Ad("Hallo"), Real, LinkSignals.None);
        var missing = IndicatorScorer.Score(Ad("Hallo"), Real);

        Assert.Multiple(() =>
        {
            Assert.That(none.Fired, Is.Empty);
            Assert.That(missing.Fired, Is.Empty);
        });
    }

    [Test]
    public void Link_signals_can_be_added_to_a_score_afterwards_and_adding_them_again_changes_nothing()
    {
        var before = IndicatorScorer.Score(Ad("Twee vriendinnen in een hotel"), Real);
        var links = new LinkSignals([Shared], [new TemplateTextSignal(9, 0.9)]);

        var once = IndicatorScorer.WithLinks(before, Real, links);
        var twice = IndicatorScorer.WithLinks(once, Real, links);
        var direct = IndicatorScorer.Score(Ad("Twee vriendinnen in een hotel"), Real, links);

        Assert.Multiple(() =>
        {
            Assert.That(once.Fired, Is.EqualTo(direct.Fired));
            Assert.That(once.Score, Is.EqualTo(direct.Score).And.EqualTo(1.5 + 1 + 3 + 2.5));
            Assert.That(twice.Fired, Is.EqualTo(once.Fired));
            Assert.That(twice.Score, Is.EqualTo(once.Score));
            Assert.That(IndicatorScorer.WithLinks(once, Real, LinkSignals.None).Fired, Is.EqualTo(before.Fired), "links that are gone are removed");
        });
    }

    [Test]
    public void Scoring_is_deterministic_and_the_compiled_lexicon_is_reused()
    {
        const string text = "Net 18, Roemeense, 24/7, hotel, geen nep, zonder condoom, goedkoop. Nieuw in de stad.";

        var a = IndicatorScorer.Score(Ad(text), Real);
        var b = IndicatorScorer.Score(Ad(text), Real);
        var first = CompiledLexicon.For(Real);
        var second = CompiledLexicon.For(Real);

        Assert.Multiple(() =>
        {
            Assert.That(b.Fired, Is.EqualTo(a.Fired));
            Assert.That(second, Is.SameAs(first));
        });
    }

    [Test]
    public void An_empty_ad_scores_nothing()
    {
        var score = IndicatorScorer.Score(Ad(""), Real);

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired, Is.Empty);
            Assert.That(score.Score, Is.Zero);
            Assert.That(score.Escalated, Is.False);
        });
    }

    [Test]
    public void A_long_text_is_scored_whole()
    {
        var text = string.Concat(Enumerable.Repeat("Welkom in mijn discrete woning, ontspannen afspraak. ", 2000)) + "Bareback.";

        Assert.That(Fired(IndicatorScorer.Score(Ad(text), Real), "unprotected-services"), Is.Not.Null);
    }
}
