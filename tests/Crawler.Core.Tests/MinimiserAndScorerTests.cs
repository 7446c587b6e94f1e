using System.Text;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class MinimiserAndScorerTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("pseudonym-key-one-0123456789abcdef");
    private static readonly byte[] OtherKey = Encoding.UTF8.GetBytes("pseudonym-key-two-0123456789abcdef");

    private const string AdText = "Nieuw! Twee vriendinnen, 24/7 beschikbaar voor hotelbezoek. Bel ons.";

    private static AdFeatures Ad() => new(
        IsAd: true,
        NotAdReason: "",
        Title: "Lisa en Eva",
        Text: AdText,
        Phones: [new FoundPhone("+31612345678", "06-12345678", "NL", "mobile"), new FoundPhone("+31612345678", "0612345678", "NL", "mobile")],
        Emails: ["Lisa@Example.nl", "lisa@example.nl"],
        RemovedThirdPartyRegions: 1);

    private static MandateSpec Spec(params (DataCategory Category, Treatment Treatment)[] categories) =>
        TestData.MandateSpec() with { DataCategories = categories.ToDictionary(c => c.Category, c => c.Treatment) };

    private static IndicatorScore Score(string text = AdText) => IndicatorScorer.Score(text, TestData.Policy.Indicators);

    [Test]
    public void Kept_phones_and_emails_are_stored_as_found_once_each()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec((DataCategory.Phone, Treatment.Keep), (DataCategory.Email, Treatment.Keep)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(m.Phones, Is.EqualTo(TestData.Seq(new ContactValue("+31612345678", "+31612345678", null))));
            Assert.That(m.Emails, Is.EqualTo(TestData.Seq(new ContactValue("lisa@example.nl", "lisa@example.nl", null))));
        });
    }

    [Test]
    public void Pseudonymised_phones_are_masked_and_keyed()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec((DataCategory.Phone, Treatment.Pseudonymise)), Key);

        Assert.That(m.Phones, Has.Count.EqualTo(1));
        var phone = m.Phones[0];
        Assert.Multiple(() =>
        {
            Assert.That(phone.Display, Is.EqualTo("+31 6 •••• 5678"));
            Assert.That(phone.Value, Is.Null, "the number itself is not stored");
            Assert.That(phone.Pseudonym, Is.EqualTo(Minimiser.Pseudonym(Key, "phone", "+31612345678")));
            Assert.That(phone.Pseudonym, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(phone.Pseudonym, Does.Not.Contain("12345678"));
        });
    }

    [Test]
    public void Pseudonymised_emails_are_masked_and_keyed_on_the_lower_cased_address()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec((DataCategory.Email, Treatment.Pseudonymise)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(m.Emails, Has.Count.EqualTo(1));
            Assert.That(m.Emails[0].Display, Is.EqualTo("L•••@•••.nl"));
            Assert.That(m.Emails[0].Value, Is.Null);
            Assert.That(m.Emails[0].Pseudonym, Is.EqualTo(Minimiser.Pseudonym(Key, "email", "lisa@example.nl")));
        });
    }

    [Test]
    public void A_pseudonym_is_equal_for_the_same_key_and_differs_with_another_key()
    {
        var spec = Spec((DataCategory.Phone, Treatment.Pseudonymise));

        var a = Minimiser.Apply(Ad(), Score(), spec, Key).Phones[0].Pseudonym;
        var b = Minimiser.Apply(Ad(), Score(), spec, Key).Phones[0].Pseudonym;
        var c = Minimiser.Apply(Ad(), Score(), spec, OtherKey).Phones[0].Pseudonym;

        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
        });
    }

    [Test]
    public void A_pseudonym_depends_on_the_kind_of_value()
    {
        Assert.That(Minimiser.Pseudonym(Key, "phone", "x"), Is.Not.EqualTo(Minimiser.Pseudonym(Key, "email", "x")));
    }

    [Test]
    public void Dropped_categories_are_not_stored()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec((DataCategory.Phone, Treatment.Drop), (DataCategory.Email, Treatment.Drop)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(m.Phones, Is.Empty);
            Assert.That(m.Emails, Is.Empty);
        });
    }

    [Test]
    public void Categories_the_mandate_does_not_name_are_dropped()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec(), Key);

        Assert.Multiple(() =>
        {
            Assert.That(m.Phones, Is.Empty);
            Assert.That(m.Emails, Is.Empty);
            Assert.That(m.Title, Is.Null);
            Assert.That(m.Text, Is.Null);
        });
    }

    [Test]
    public void Text_and_title_are_kept_only_when_the_mandate_keeps_text()
    {
        var m = Minimiser.Apply(Ad(), Score(), Spec((DataCategory.Text, Treatment.Keep)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(m.Text, Is.EqualTo(AdText));
            Assert.That(m.Title, Is.EqualTo("Lisa en Eva"));
            Assert.That(m.Snippets, Is.Empty);
        });
    }

    [Test]
    public void Without_text_keep_only_the_evidence_snippets_remain()
    {
        var score = Score();
        var m = Minimiser.Apply(Ad(), score, Spec((DataCategory.Text, Treatment.Drop)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired, Is.Not.Empty);
            Assert.That(m.Text, Is.Null);
            Assert.That(m.Title, Is.Null);
            Assert.That(m.Snippets, Is.EqualTo(score.Fired.Select(f => f.Evidence).Distinct().ToList()));
            Assert.That(m.Snippets, Has.None.EqualTo(AdText));
        });
    }

    private static MinimisedContent SnippetsOf(string text, FoundPhone phone, params (DataCategory, Treatment)[] categories)
    {
        var ad = Ad() with { Text = text, Phones = [phone], Emails = ["lisa@example.nl"] };
        return Minimiser.Apply(ad, IndicatorScorer.Score(ad, TestData.Policy.Indicators), Spec(categories), Key);
    }

    [Test]
    public void A_hidden_phone_in_the_evidence_is_masked_when_phones_are_pseudonymised()
    {
        const string raw = "nul zes een twee drie vier vijf zes zeven acht";
        var phone = new FoundPhone("+31612345678", raw, "NL", "mobile", Obfuscated: true);

        var m = SnippetsOf("Bel " + raw + " dag en nacht", phone, (DataCategory.Phone, Treatment.Pseudonymise));

        Assert.Multiple(() =>
        {
            Assert.That(m.Snippets, Is.Not.Empty);
            Assert.That(m.Snippets, Has.None.Contains(raw));
            Assert.That(m.Snippets, Has.Some.Contains("+31 6 •••• 5678"), "masked as in the contact list");
        });
    }

    [Test]
    public void A_phone_or_address_in_the_context_of_a_snippet_is_masked_unless_kept()
    {
        var phone = new FoundPhone("+31612345678", "06-12345678", "NL", "mobile");
        const string text = "Lisa 24/7 bereikbaar op 06-12345678, mail lisa@example.nl voor hotel. Ook 06 98 76 54 32.";

        var masked = SnippetsOf(text, phone, (DataCategory.Phone, Treatment.Pseudonymise), (DataCategory.Email, Treatment.Drop));
        var kept = SnippetsOf(text, phone, (DataCategory.Phone, Treatment.Keep), (DataCategory.Email, Treatment.Keep));

        Assert.Multiple(() =>
        {
            Assert.That(masked.Snippets, Has.Some.Contains("24/7"));
            Assert.That(masked.Snippets, Has.None.Contains("12345678").And.None.Contains("lisa@example.nl").And.None.Contains("98 76 54"));
            Assert.That(kept.Snippets, Has.Some.Contains("06-12345678").And.Some.Contains("lisa@example.nl"));
        });
    }

    [Test]
    public void A_phone_cut_in_half_by_the_edge_of_a_snippet_is_masked()
    {
        var phone = new FoundPhone("+31612345678", "06-12345678", "NL", "mobile");
        var ad = Ad() with { Text = "Ik ben 24/7 bereikbaar op 06-12345678 voor een afspraak.", Phones = [phone] };

        var masked = Minimiser.MaskContacts("…bereikbaar op 06-1234", ad, Spec((DataCategory.Phone, Treatment.Pseudonymise)));
        var kept = Minimiser.MaskContacts("…bereikbaar op 06-1234", ad, Spec((DataCategory.Phone, Treatment.Keep)));

        Assert.Multiple(() =>
        {
            Assert.That(masked, Is.EqualTo("…bereikbaar op •••"));
            Assert.That(kept, Is.EqualTo("…bereikbaar op 06-1234"));
        });
    }

    [Test]
    public void A_hidden_address_as_written_is_masked_and_fires_hidden_contact()
    {
        const string written = "lisa (at) example (punt) nl";
        var ad = Ad() with
        {
            Text = "Hotelbezoek mogelijk, mail " + written + " voor een afspraak.",
            Phones = [],
            Emails = ["lisa@example.nl"],
            Hidden = [new HiddenContact(HiddenContact.Email, "lisa@example.nl", written)],
        };
        var score = IndicatorScorer.Score(ad, TestData.Policy.Indicators);

        var m = Minimiser.Apply(ad, score, Spec((DataCategory.Email, Treatment.Pseudonymise)), Key);

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired.Single(f => f.Id == IndicatorIds.HiddenContact).Evidence, Does.Contain(written));
            Assert.That(m.Snippets, Has.Some.Contains("l•••@•••.nl"));
            Assert.That(m.Snippets, Has.None.Contains("lisa").And.None.Contains("example"));
        });
    }

    [Test]
    public void Evidence_that_is_not_in_the_text_is_masked_where_it_stands()
    {
        var ad = Ad() with { Phones = [new FoundPhone("+31612345678", "0612345678", "NL", "mobile", Obfuscated: true)] };

        var masked = Minimiser.MaskContacts("0612345678", ad, Spec((DataCategory.Phone, Treatment.Drop)));

        Assert.That(masked, Is.EqualTo("+31 6 •••• 5678"));
    }

    [TestCase("+31612345678", "+31 6 •••• 5678")]
    [TestCase("+3212345678", "+32 •••• 5678")]
    [TestCase("+3112", "••••")]
    public void MaskPhone_hides_all_but_the_last_four_digits(string e164, string masked)
    {
        Assert.That(Minimiser.MaskPhone(e164), Is.EqualTo(masked));
    }

    [TestCase("lisa@example.nl", "l•••@•••.nl")]
    [TestCase("not-an-address", "•••")]
    public void MaskEmail_hides_the_address(string email, string masked)
    {
        Assert.That(Minimiser.MaskEmail(email), Is.EqualTo(masked));
    }

    private static IndicatorPolicy Lexicon(params IndicatorDefinition[] indicators) => new(0, indicators);

    [Test]
    public void A_term_fires_only_as_a_whole_word()
    {
        var policy = Lexicon(new IndicatorDefinition("venue", 1, ["hotel"], false));

        var inside = IndicatorScorer.Score("Alleen hotelbezoek mogelijk", policy);
        var whole = IndicatorScorer.Score("Alleen hotel mogelijk", policy);

        Assert.Multiple(() =>
        {
            Assert.That(inside.Fired, Is.Empty);
            Assert.That(inside.Score, Is.Zero);
            Assert.That(whole.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("venue")));
            Assert.That(whole.Score, Is.EqualTo(1));
        });
    }

    [TestCase("Hotel, of thuis.", true)]
    [TestCase("(hotel)", true)]
    [TestCase("HOTEL", true)]
    [TestCase("tophotel", false)]
    [TestCase("hotels", false)]
    [TestCase("hotel2", false)]
    public void Whole_word_boundaries_are_letters_and_digits(string text, bool fires)
    {
        Assert.That(IndicatorScorer.FindWholeWord(text, "hotel") >= 0, Is.EqualTo(fires));
    }

    [Test]
    public void A_later_whole_word_occurrence_is_found_after_a_partial_one()
    {
        Assert.That(IndicatorScorer.FindWholeWord("hotelbezoek of hotel", "hotel"), Is.EqualTo(15));
    }

    [Test]
    public void Weights_of_fired_indicators_are_summed_and_each_indicator_counts_once()
    {
        var policy = Lexicon(
            new IndicatorDefinition("a", 1.5, ["zonder condoom", "alles mogelijk"], false),
            new IndicatorDefinition("b", 0.5, ["goedkoop"], false),
            new IndicatorDefinition("c", 2, ["tiener"], false));

        var score = IndicatorScorer.Score("Alles mogelijk, zonder condoom en goedkoop.", policy);

        Assert.Multiple(() =>
        {
            Assert.That(score.Score, Is.EqualTo(2.0));
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("a", "b")));
            Assert.That(score.Fired.Select(f => f.Weight), Is.EqualTo(TestData.Seq(1.5, 0.5)));
            Assert.That(score.Escalated, Is.False);
        });
    }

    [Test]
    public void Evidence_contains_the_term_that_fired()
    {
        var policy = Lexicon(new IndicatorDefinition("always", 1, ["24/7"], false));
        var text = "Welkom in mijn mooie appartement in het centrum van de stad, ik ben 24/7 beschikbaar voor jou en je vrienden die langs willen komen.";

        var score = IndicatorScorer.Score(text, policy);

        Assert.That(score.Fired, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(score.Fired[0].Evidence, Does.Contain("24/7"));
            Assert.That(score.Fired[0].Evidence, Does.StartWith("…"));
            Assert.That(score.Fired[0].Evidence, Does.EndWith("…"));
            Assert.That(score.Fired[0].Evidence.Length, Is.LessThan(text.Length));
        });
    }

    [Test]
    public void An_escalating_indicator_sets_escalated_even_with_weight_zero()
    {
        var policy = Lexicon(
            new IndicatorDefinition("minor-age", 0, ["17 jaar"], true),
            new IndicatorDefinition("venue", 1, ["hotel"], false));

        var score = IndicatorScorer.Score("Ik ben 17 jaar, hotel mogelijk", policy);

        Assert.Multiple(() =>
        {
            Assert.That(score.Escalated, Is.True);
            Assert.That(score.Score, Is.EqualTo(1));
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("minor-age", "venue")));
        });
    }

    [Test]
    public void The_real_lexicon_scores_the_sample_ad()
    {
        var score = Score();

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("multiple-persons", "always-available", "venue-hotel-park-car")));
            Assert.That(score.Score, Is.EqualTo(1.5 + 1.5 + 1));
            Assert.That(score.Escalated, Is.False);
        });
    }

    [Test]
    public void Text_without_any_term_scores_zero()
    {
        var score = Score("Een gewone tekst over fietsen.");

        Assert.Multiple(() =>
        {
            Assert.That(score.Score, Is.Zero);
            Assert.That(score.Fired, Is.Empty);
            Assert.That(score.Escalated, Is.False);
        });
    }
}

public sealed class ContactSealTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void A_sealed_value_opens_only_under_its_key_and_kind()
    {
        var sealedText = ContactSeal.Seal(Key, "phone", "+31612345678");

        Assert.Multiple(() =>
        {
            Assert.That(ContactSeal.Open(Key, "phone", sealedText), Is.EqualTo("+31612345678"));
            Assert.That(ContactSeal.Open(new byte[32], "phone", sealedText), Is.Null, "another installation's key");
            Assert.That(ContactSeal.Open(Key, "email", sealedText), Is.Null, "the kind is bound to the seal");
            Assert.That(sealedText, Does.Not.Contain("12345678"));
        });
    }

    [Test]
    public void An_altered_seal_does_not_open()
    {
        var bytes = Convert.FromBase64String(ContactSeal.Seal(Key, "email", "lisa@example.nl"));
        bytes[^1] ^= 1;

        Assert.That(ContactSeal.Open(Key, "email", Convert.ToBase64String(bytes)), Is.Null);
        Assert.That(ContactSeal.Open(Key, "email", "not base64!"), Is.Null);
    }
}

public sealed class DescriptionMinimisationTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static readonly AdFeatures Ad = new(true, "", "Lisa", "Lisa, nieuw in Utrecht. Roemeense, spreekt Engels.",
        [new FoundPhone("+31612345678", "06-12345678", "NL", "mobile")], [], 0,
        Locations: [new StatedLocation(StatedLocation.City, "Utrecht")],
        Messengers: [new MessengerContact("telegram", "lisa_utrecht", "t.me/lisa_utrecht")],
        Name: "Lisa",
        Nationalities: ["romanian"],
        Languages: ["en"],
        Venues: ["incall"],
        Services: ["massage"],
        PostedAt: new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero),
        AdId: "A-123",
        Images: [new Uri("https://ads.example.nl/img/1.jpg")]);

    private static MandateSpec Mandate(params (DataCategory Category, Treatment Treatment)[] categories) =>
        TestData.MandateSpec() with { DataCategories = categories.ToDictionary(c => c.Category, c => c.Treatment) };

    [Test]
    public void Each_feature_follows_its_data_category()
    {
        var content = Minimiser.Apply(Ad, new Crawler.Core.Indicators.IndicatorScore(0, [], false),
            Mandate((DataCategory.Phone, Treatment.Pseudonymise), (DataCategory.Name, Treatment.Pseudonymise), (DataCategory.Location, Treatment.Keep)), Key);
        var d = content.Description!;

        Assert.Multiple(() =>
        {
            Assert.That(d.Handles.Single().Display, Is.EqualTo("telegram:l•••t"), "a handle is a contact identifier and follows 'phone'");
            Assert.That(d.Handles.Single().Value, Is.Null);
            Assert.That(ContactSeal.Open(Key, "handle", d.Handles.Single().Sealed!), Is.EqualTo("telegram:lisa_utrecht"));
            Assert.That(d.Name!.Display, Is.EqualTo("L•••"));
            Assert.That(d.Name.Pseudonym, Is.EqualTo(Minimiser.Pseudonym(Key, "name", "Lisa")));
            Assert.That(d.Locations.Single().Value, Is.EqualTo("city:Utrecht"));
            Assert.That(d.Images, Is.Empty, "images are dropped unless the mandate names them");
            Assert.That(d.Nationalities, Is.Null, "origin is kept only with the full text");
            Assert.That(d.Languages, Is.Null);
            Assert.That(d.Venues, Is.EqualTo(new[] { "incall" }));
            Assert.That(d.AdId, Is.EqualTo("A-123"));
        });
    }

    [Test]
    public void Nothing_of_a_dropped_category_is_stored()
    {
        var content = Minimiser.Apply(Ad, new Crawler.Core.Indicators.IndicatorScore(0, [], false), Mandate(), Key);
        var d = content.Description!;

        Assert.Multiple(() =>
        {
            Assert.That(d.Handles, Is.Empty);
            Assert.That(d.Name, Is.Null);
            Assert.That(d.Locations, Is.Empty);
            Assert.That(d.Images, Is.Empty);
            Assert.That(content.Phones, Is.Empty);
        });
    }
}
