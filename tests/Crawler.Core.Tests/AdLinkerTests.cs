using NUnit.Framework;
using Crawler.Core.Hits;
using Crawler.Core.Indicators;
using Crawler.Core.Linking;
using Crawler.Core.Policy;

namespace Crawler.Core.Tests;

public sealed class AdLinkerTests
{
    private static readonly LinkingPolicy Policy = LinkingPolicy.Default;

    // One template with slots, as an organised writer fills it in for several profiles.
    private static string Template(string name, int age, string city, string phone) =>
        $"Hoi schat, ik ben {name}, {age} jaar, en ik ontvang je graag in mijn discrete appartement in {city}. " +
        $"Ik ben lief, spontaan en hou van gezelligheid en een ontspannen sfeer. Bel of app me op {phone} voor een afspraak, " +
        "ook in het weekend ben ik er voor jou. Tot snel kusjes";

    private const string Other =
        "Welkom bij de fietsenmaker aan de gracht waar we al veertig jaar oude en nieuwe fietsen repareren, " +
        "banden plakken en remmen afstellen terwijl u wacht met een kop koffie en de krant van vandaag";

    private const string Third =
        "Professionele massage voor sporters met blessures aan rug schouders en knieen door een gediplomeerde " +
        "therapeut met twintig jaar ervaring in de praktijk aan het plein naast de bibliotheek";

    private static LinkableAd Ad(
        long id,
        string[]? contacts = null,
        string[]? handles = null,
        string[]? images = null,
        string text = "",
        string? name = null,
        int[]? ages = null,
        string? city = null) =>
        new(id, contacts ?? [], handles ?? [], images ?? [], text, name, ages ?? [], city);

    private static LinkResult Link(params LinkableAd[] ads) => AdLinker.Link(ads, Policy);

    // A readable form of a whole result, to compare results exactly.
    private static string Describe(LinkResult r) =>
        string.Join(" | ", r.Clusters.Select(c => $"{c.Number}:[{string.Join(",", c.HitIds)}] " +
            string.Join(";", c.Links.Select(l => $"{l.Kind}={l.Value}({string.Join(",", l.HitIds)})")))) +
        " hubs " + string.Join(";", r.Hubs.Select(h => $"{h.Kind}={h.Value}x{h.AdCount}")) +
        " signals " + string.Join(";", r.Signals.OrderBy(s => s.Key).Select(s =>
            $"{s.Key}:{string.Join(",", s.Value.SharedContacts.Select(c => c.Describe()))}/{string.Join(",", s.Value.TemplateTexts.Select(t => t.Describe()))}"));

    [Test]
    public void No_ads_give_no_clusters_no_hubs_and_no_signals()
    {
        var result = Link();

        Assert.Multiple(() =>
        {
            Assert.That(result.Clusters, Is.Empty);
            Assert.That(result.Hubs, Is.Empty);
            Assert.That(result.Signals, Is.Empty);
            Assert.That(result.SignalsFor(1), Is.SameAs(LinkSignals.None));
        });
    }

    [Test]
    public void An_ad_alone_is_in_no_cluster_and_has_no_signals()
    {
        var result = Link(Ad(1, ["p1"], ["h1"], ["i1"], Other));

        Assert.Multiple(() =>
        {
            Assert.That(result.Clusters, Is.Empty);
            Assert.That(result.SignalsFor(1).IsEmpty, Is.True);
            Assert.That(result.Signals.Keys, Is.EqualTo(TestData.Seq(1L)));
        });
    }

    [Test]
    public void Ads_sharing_a_contact_key_are_one_cluster_with_the_link_that_joined_them()
    {
        var result = Link(Ad(1, ["pseudo-a"]), Ad(2, ["pseudo-a", "pseudo-b"]), Ad(3, ["pseudo-c"]));

        var cluster = result.Clusters.Single();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.Number, Is.EqualTo(1));
            Assert.That(cluster.HitIds, Is.EqualTo(TestData.Seq(1L, 2L)));
            Assert.That(cluster.Links, Is.EqualTo(TestData.Seq(new ClusterLink(LinkKind.Contact, "pseudo-a", [1, 2]))).Using<ClusterLink>(SameLink));
        });
    }

    private static bool SameLink(ClusterLink a, ClusterLink b) => a.Kind == b.Kind && a.Value == b.Value && a.HitIds.SequenceEqual(b.HitIds);

    [Test]
    public void Handles_are_compared_without_case_and_leading_at_sign()
    {
        var result = Link(Ad(1, handles: ["@Lisa_XO"]), Ad(2, handles: ["lisa_xo"]));

        Assert.That(result.Clusters.Single().Links.Single(), Is.EqualTo(new ClusterLink(LinkKind.Handle, "lisa_xo", [1, 2])).Using<ClusterLink>(SameLink));
    }

    [Test]
    public void Ads_sharing_an_image_digest_are_linked()
    {
        var result = Link(Ad(1, images: ["ABCDEF"]), Ad(2, images: ["abcdef"]));

        Assert.That(result.Clusters.Single().Links.Single().Kind, Is.EqualTo(LinkKind.Image));
    }

    [Test]
    public void The_same_value_as_contact_and_as_handle_does_not_link()
    {
        var result = Link(Ad(1, contacts: ["lisa"]), Ad(2, handles: ["lisa"]));

        Assert.That(result.Clusters, Is.Empty);
    }

    [Test]
    public void Links_are_transitive_and_every_link_is_named()
    {
        var result = Link(
            Ad(1, contacts: ["phone-1"]),
            Ad(2, contacts: ["phone-1"], handles: ["snap:anna"]),
            Ad(3, handles: ["snap:anna"], images: ["img-9"]),
            Ad(4, images: ["img-9"]),
            Ad(5, contacts: ["phone-5"]));

        var cluster = result.Clusters.Single();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.HitIds, Is.EqualTo(TestData.Seq(1L, 2L, 3L, 4L)));
            Assert.That(cluster.Links.Select(l => (l.Kind, l.Value)), Is.EqualTo(TestData.Seq(
                (LinkKind.Contact, "phone-1"), (LinkKind.Handle, "snap:anna"), (LinkKind.Image, "img-9"))));
        });
    }

    [Test]
    public void Clusters_are_numbered_by_their_lowest_hit_id_whatever_the_input_order()
    {
        var result = Link(Ad(40, ["b"]), Ad(7, ["a"]), Ad(30, ["b"]), Ad(12, ["a"]));

        Assert.That(result.Clusters.Select(c => (c.Number, c.HitIds[0], c.HitIds[1])), Is.EqualTo(TestData.Seq((1, 7L, 12L), (2, 30L, 40L))));
    }

    [Test]
    public void A_hit_given_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Link(Ad(1), Ad(1)));
    }

    // Hubs.

    private static LinkableAd[] Sharing(int count, string key) =>
        Enumerable.Range(1, count).Select(i => Ad(i, contacts: [key, $"own-{i}"])).ToArray();

    [Test]
    public void An_identifier_in_exactly_hub_threshold_ads_is_a_hub_and_links_nothing()
    {
        var result = AdLinker.Link(Sharing(Policy.HubThreshold, "site-number"), Policy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Hubs, Is.EqualTo(TestData.Seq(new LinkHub(LinkKind.Contact, "site-number", 25))));
            Assert.That(result.Clusters, Is.Empty);
        });
    }

    [Test]
    public void An_identifier_in_one_ad_fewer_than_the_hub_threshold_links()
    {
        var result = AdLinker.Link(Sharing(Policy.HubThreshold - 1, "agency"), Policy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Hubs, Is.Empty);
            Assert.That(result.Clusters.Single().HitIds, Has.Count.EqualTo(24));
        });
    }

    [Test]
    public void The_threshold_comes_from_the_policy()
    {
        var small = Policy with { HubThreshold = 3 };

        var atThree = AdLinker.Link(Sharing(3, "x"), small);
        var atTwo = AdLinker.Link(Sharing(2, "x"), small);

        Assert.Multiple(() =>
        {
            Assert.That(atThree.Hubs.Single().AdCount, Is.EqualTo(3));
            Assert.That(atTwo.Hubs, Is.Empty);
            Assert.That(atTwo.Clusters, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void A_hub_does_not_hide_the_other_links_of_its_ads()
    {
        var small = Policy with { HubThreshold = 3 };
        LinkableAd[] ads = [Ad(1, ["hub", "p1"]), Ad(2, ["hub", "p1"]), Ad(3, ["hub", "p3"]), Ad(4, ["hub", "p4"])];

        var result = AdLinker.Link(ads, small);

        Assert.Multiple(() =>
        {
            Assert.That(result.Hubs.Single(), Is.EqualTo(new LinkHub(LinkKind.Contact, "hub", 4)));
            Assert.That(result.Clusters.Single().HitIds, Is.EqualTo(TestData.Seq(1L, 2L)));
        });
    }

    [Test]
    public void An_identifier_listed_twice_in_one_ad_counts_once()
    {
        var small = Policy with { HubThreshold = 3 };

        var result = AdLinker.Link([Ad(1, ["x", "x", "x"]), Ad(2, ["x"])], small);

        Assert.Multiple(() =>
        {
            Assert.That(result.Hubs, Is.Empty);
            Assert.That(result.Clusters.Single().Links.Single().HitIds, Is.EqualTo(TestData.Seq(1L, 2L)));
        });
    }

    [Test]
    public void Handles_and_images_have_hubs_too()
    {
        var small = Policy with { HubThreshold = 2 };

        var result = AdLinker.Link([Ad(1, handles: ["site"], images: ["logo"]), Ad(2, handles: ["site"], images: ["logo"])], small);

        Assert.Multiple(() =>
        {
            Assert.That(result.Hubs.Select(h => h.Kind), Is.EqualTo(TestData.Seq(LinkKind.Handle, LinkKind.Image)));
            Assert.That(result.Clusters, Is.Empty);
        });
    }

    // Text.

    [Test]
    public void Template_ads_with_other_names_ages_cities_and_phones_are_near_duplicates()
    {
        var result = Link(
            Ad(1, text: Template("Anna", 21, "Utrecht", "06-12345678"), name: "Anna", city: "Utrecht"),
            Ad(2, text: Template("Mia", 23, "Arnhem", "06 98 76 54 32"), name: "Mia", city: "Arnhem"),
            Ad(3, text: Other));

        var cluster = result.Clusters.Single();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.HitIds, Is.EqualTo(TestData.Seq(1L, 2L)));
            Assert.That(cluster.Links.Single().Kind, Is.EqualTo(LinkKind.Text));
            Assert.That(cluster.Links.Single().Value, Is.EqualTo("similarity 1.00"), "slots and contacts are masked, so the texts are the same");
        });
    }

    [Test]
    public void A_lightly_edited_text_is_a_near_duplicate_with_its_estimated_similarity()
    {
        var original = Template("Anna", 21, "Utrecht", "06-12345678");
        var edited = original.Replace("gezelligheid", "lekker eten", StringComparison.Ordinal);

        var result = Link(Ad(1, text: original), Ad(2, text: edited));

        var link = result.Clusters.Single().Links.Single();
        Assert.Multiple(() =>
        {
            Assert.That(link.Kind, Is.EqualTo(LinkKind.Text));
            Assert.That(link.Value, Does.Match(@"^similarity 0\.[89]\d$"));
            Assert.That(link.HitIds, Is.EqualTo(TestData.Seq(1L, 2L)));
        });
    }

    [Test]
    public void Different_texts_are_not_linked()
    {
        var result = Link(Ad(1, text: Template("Anna", 21, "Utrecht", "06-12345678")), Ad(2, text: Other), Ad(3, text: Third));

        Assert.That(result.Clusters, Is.Empty);
    }

    [Test]
    public void A_text_that_shares_only_half_its_words_is_not_a_near_duplicate()
    {
        var words = Other.Split(' ');
        var half = string.Join(' ', words.Take(words.Length / 2)) + " " + string.Join(' ', Third.Split(' ').Skip(words.Length / 2));

        var result = Link(Ad(1, text: Other), Ad(2, text: half));

        Assert.That(result.Clusters, Is.Empty);
    }

    [Test]
    public void Texts_shorter_than_the_minimum_are_not_compared()
    {
        var result = Link(Ad(1, text: "Bel me snel schat"), Ad(2, text: "Bel me snel schat"));

        Assert.That(result.Clusters, Is.Empty);
    }

    [Test]
    public void Contacts_are_masked_before_texts_are_compared_and_never_appear_in_a_link()
    {
        var a = Other + " bel 0612345678 of mail anna@example.nl of snap @anna_xo of kijk op www.anna.nl";
        var b = Other + " bel +31 6 98765432 of mail mia@example.com of snap @mia.nl of kijk op https://mia.example/";

        var result = Link(Ad(1, text: a), Ad(2, text: b));

        var link = result.Clusters.Single().Links.Single();
        Assert.Multiple(() =>
        {
            Assert.That(link.Value, Is.EqualTo("similarity 1.00"));
            Assert.That(Describe(result), Does.Not.Contain("0612345678").And.Not.Contain("anna@").And.Not.Contain("98765432"));
        });
    }

    [Test]
    public void Normalise_folds_and_masks_contacts_numbers_name_and_city()
    {
        var text = LinkText.Normalise(
            "Hoi! Ik ben Anna-Lena uit Den Haag, 21 jaar. Bel 06-12 34 56 78, nul zes een twee drie vier, of mail anna@example.nl, www.anna.nl 💋 Privé",
            "Anna-Lena",
            "Den Haag");

        Assert.That(text, Is.EqualTo("hoi ik ben #name #name uit #city #city #num jaar bel #num of mail #contact #url prive"));
    }

    [Test]
    public void Normalise_keeps_een_as_a_word_outside_a_run_of_number_words()
    {
        Assert.That(LinkText.Normalise("een leuke meid van twee en twintig"), Is.EqualTo("een leuke meid van twee en twintig"));
    }

    [Test]
    public void Normalise_applied_twice_gives_the_same_text()
    {
        var once = LinkText.Normalise(Template("Anna", 21, "Utrecht", "06-12345678") + " anna@example.nl", "Anna", "Utrecht");

        Assert.That(LinkText.Normalise(once, "Anna", "Utrecht"), Is.EqualTo(once));
    }

    [Test]
    public void The_MinHash_estimate_is_close_to_the_exact_Jaccard_similarity()
    {
        var hasher = new MinHasher(Policy);
        var a = LinkText.Normalise(Template("Anna", 21, "Utrecht", "06-12345678"));
        var b = LinkText.Normalise(Template("Anna", 21, "Utrecht", "06-12345678")
            .Replace("gezelligheid", "lekker eten", StringComparison.Ordinal));

        var estimate = MinHasher.Similarity(hasher.Signature(a)!, hasher.Signature(b)!);

        Assert.That(estimate, Is.EqualTo(ExactJaccard(a, b, Policy.ShingleWords)).Within(0.12));
    }

    private static double ExactJaccard(string a, string b, int k)
    {
        static HashSet<string> Shingles(string s, int k)
        {
            var w = s.Split(' ');
            return Enumerable.Range(0, w.Length - k + 1).Select(i => string.Join(' ', w.Skip(i).Take(k))).ToHashSet();
        }

        var sa = Shingles(a, k);
        var sb = Shingles(b, k);
        return (double)sa.Intersect(sb).Count() / sa.Union(sb).Count();
    }

    [Test]
    public void Signatures_are_the_same_for_the_same_seed_and_differ_for_another()
    {
        var text = LinkText.Normalise(Other);

        var a = new MinHasher(Policy).Signature(text)!;
        var b = new MinHasher(Policy).Signature(text)!;
        var c = new MinHasher(Policy with { Seed = Policy.Seed + 1 }).Signature(text)!;

        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
            Assert.That(a, Has.Length.EqualTo(Policy.MinHashes));
        });
    }

    [Test]
    public void The_signature_of_a_fixed_text_under_the_fixed_seed_does_not_change_between_releases()
    {
        var signature = new MinHasher(Policy).Signature("een twee drie vier vijf zes zeven acht negen tien elf twaalf")!;

        // Pinned: a change here would silently change every stored cluster.
        Assert.That(signature[0].ToString("x16", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(PinnedFirstHash));
    }

    private const string PinnedFirstHash = "1ff99522e9e8eb60";

    [Test]
    public void Many_different_texts_with_one_template_among_them_give_one_cluster()
    {
        var random = new Random(20261201);
        string[] vocabulary = [.. Other.Split(' '), .. Third.Split(' '), "zon", "zee", "strand", "bos", "hei", "berg", "dal", "rivier", "stad", "dorp"];
        var ads = Enumerable.Range(1, 1500)
            .Select(i => Ad(i, contacts: [$"p{i}"], text: string.Join(' ', Enumerable.Range(0, 30).Select(_ => vocabulary[random.Next(vocabulary.Length)]))))
            .Concat([
                Ad(2001, ["t1"], text: Template("Anna", 21, "Utrecht", "06-12345678"), name: "Anna", city: "Utrecht"),
                Ad(2002, ["t2"], text: Template("Mia", 22, "Ede", "06-12345679"), name: "Mia", city: "Ede"),
                Ad(2003, ["t3"], text: Template("Eva", 23, "Zeist", "06-12345670"), name: "Eva", city: "Zeist"),
            ])
            .ToArray();

        var result = AdLinker.Link(ads, Policy);

        Assert.That(result.Clusters.Select(c => string.Join(",", c.HitIds)), Is.EqualTo(TestData.Seq("2001,2002,2003")));
    }

    // Signals for the scorer.

    [Test]
    public void A_contact_under_several_names_fires_shared_contact_for_each_of_its_ads()
    {
        var result = Link(Ad(1, ["key"], name: "Anna", ages: [21], city: "Utrecht"), Ad(2, ["key"], name: "Mia", ages: [21], city: "Utrecht"));

        var expected = "contact key is in hits 1, 2 under 2 names, 1 ages, 1 cities";
        Assert.Multiple(() =>
        {
            Assert.That(result.SignalsFor(1).SharedContacts.Single().Describe(), Is.EqualTo(expected));
            Assert.That(result.SignalsFor(2).SharedContacts.Single().Describe(), Is.EqualTo(expected));
        });
    }

    [TestCase("Anna", 21, "Utrecht", "Anna", 21, "Utrecht", false)]
    [TestCase("Anna", 21, "Utrecht", "ANNA", 21, "utrecht", false)]
    [TestCase("Anna", 21, "Utrecht", "Anna", 24, "Utrecht", true)]
    [TestCase("Anna", 21, "Utrecht", "Anna", 21, "Arnhem", true)]
    [TestCase("Anna", 21, "Utrecht", "Mia", 21, "Utrecht", true)]
    [TestCase(null, 21, null, null, 21, null, false)]
    public void Shared_contact_needs_several_names_ages_or_cities(string? name1, int age1, string? city1, string? name2, int age2, string? city2, bool fires)
    {
        var result = Link(Ad(1, ["key"], name: name1, ages: [age1], city: city1), Ad(2, ["key"], name: name2, ages: [age2], city: city2));

        Assert.Multiple(() =>
        {
            Assert.That(result.Clusters, Has.Count.EqualTo(1), "linked either way");
            Assert.That(result.SignalsFor(1).SharedContacts, fires ? Is.Not.Empty : Is.Empty);
        });
    }

    [Test]
    public void A_hub_contact_fires_no_shared_contact()
    {
        var ads = Enumerable.Range(1, 3).Select(i => Ad(i, ["site"], name: "Name" + (char)('A' + i))).ToArray();

        var result = AdLinker.Link(ads, Policy with { HubThreshold = 3 });

        Assert.That(result.Signals.Values, Has.All.Property(nameof(LinkSignals.IsEmpty)).True);
    }

    [Test]
    public void A_near_duplicate_text_with_another_contact_fires_template_text_for_both()
    {
        var result = Link(
            Ad(1, ["p1"], text: Template("Anna", 21, "Utrecht", "06-12345678"), name: "Anna", city: "Utrecht"),
            Ad(2, ["p2"], text: Template("Mia", 23, "Arnhem", "06-98765432"), name: "Mia", city: "Arnhem"));

        Assert.Multiple(() =>
        {
            Assert.That(result.SignalsFor(1).TemplateTexts, Is.EqualTo(TestData.Seq(new TemplateTextSignal(2, 1.0))));
            Assert.That(result.SignalsFor(2).TemplateTexts, Is.EqualTo(TestData.Seq(new TemplateTextSignal(1, 1.0))));
        });
    }

    [Test]
    public void A_near_duplicate_text_with_the_same_contact_or_without_a_contact_fires_no_template_text()
    {
        var text = Template("Anna", 21, "Utrecht", "06-12345678");

        var same = Link(Ad(1, ["p1"], text: text), Ad(2, ["p1", "p9"], text: text));
        var without = Link(Ad(1, ["p1"], text: text), Ad(2, text: text));

        Assert.Multiple(() =>
        {
            Assert.That(same.Clusters, Has.Count.EqualTo(1));
            Assert.That(same.SignalsFor(1).TemplateTexts, Is.Empty);
            Assert.That(same.SignalsFor(2).TemplateTexts, Is.Empty);
            Assert.That(without.Clusters, Has.Count.EqualTo(1));
            Assert.That(without.SignalsFor(1).TemplateTexts, Is.Empty);
        });
    }

    [Test]
    public void Signals_flow_into_the_scorer()
    {
        var result = Link(
            Ad(1, ["p1"], text: Template("Anna", 21, "Utrecht", "06-12345678"), name: "Anna", city: "Utrecht"),
            Ad(2, ["p2"], text: Template("Mia", 23, "Arnhem", "06-98765432"), name: "Mia", city: "Arnhem"),
            Ad(3, ["p2"], name: "Eva"));
        var ad = new AdFeatures(true, "", null, "Hallo", [], [], 0);

        var score = IndicatorScorer.Score(ad, TestData.Policy.Indicators, result.SignalsFor(2));

        Assert.Multiple(() =>
        {
            Assert.That(score.Fired.Select(f => f.Id), Is.EqualTo(TestData.Seq("shared-contact", "template-text")));
            Assert.That(score.Fired[0].Evidence, Is.EqualTo("contact p2 is in hits 2, 3 under 2 names, 0 ages, 1 cities"));
            Assert.That(score.Fired[1].Evidence, Is.EqualTo("near-duplicate text (similarity 1.00) in hit 1 with another contact"));
        });
    }

    [Test]
    public void A_stored_hit_links_by_its_pseudonyms_and_its_text()
    {
        var hit = new Hit(5, 1, 1, "C-1", 7, 3, "https://ads.example.nl/1", TestData.InWindow, "sha", null, Other + " bel 0612345678",
            [], [new ContactValue("+31 6 •••• 5678", null, "pseudo-phone")], [new ContactValue("lisa@example.nl", "lisa@example.nl", null)],
            1, [], false, 0, "v", "unreviewed", null, [21]);

        var ad = LinkableAd.FromHit(hit);

        Assert.Multiple(() =>
        {
            Assert.That(ad.HitId, Is.EqualTo(5));
            Assert.That(ad.ContactKeys, Is.EqualTo(TestData.Seq("pseudo-phone", "lisa@example.nl")));
            Assert.That(ad.NormalisedText, Does.EndWith("bel #num").And.Not.Contain("0612345678"));
            Assert.That(ad.Ages, Is.EqualTo(TestData.Seq(21)));
        });
    }

    [Test]
    public void A_stored_hit_without_its_text_links_by_its_snippets()
    {
        var hit = new Hit(5, 1, 1, "C-1", 7, 3, "u", TestData.InWindow, "sha", null, null, ["…24/7 bereikbaar…", "…in een hotel…"],
            [], [], 1, [], false, 0, "v", "unreviewed");

        Assert.That(LinkableAd.FromHit(hit).NormalisedText, Is.EqualTo("#num bereikbaar in een hotel"));
    }

    // Determinism.

    [Test]
    public void The_result_is_the_same_in_any_input_order_and_on_every_run()
    {
        var random = new Random(7);
        var ads = new List<LinkableAd>
        {
            Ad(1, ["a"], ["h1"], text: Template("Anna", 21, "Utrecht", "06-1"), name: "Anna"),
            Ad(2, ["a"], text: Other, name: "Mia"),
            Ad(3, ["b"], ["h1"], ["i"], name: "Eva"),
            Ad(4, ["c"], images: ["i"], text: Template("Zoe", 22, "Ede", "06-2"), name: "Zoe"),
            Ad(5, ["d"], text: Third),
            Ad(6, ["e"], text: Third + " extra woorden hier"),
        };

        var first = Describe(AdLinker.Link(ads, Policy));
        var shuffled = Describe(AdLinker.Link(ads.OrderBy(_ => random.Next()).ToList(), Policy));
        var again = Describe(AdLinker.Link(ads, Policy));

        Assert.Multiple(() =>
        {
            Assert.That(shuffled, Is.EqualTo(first));
            Assert.That(again, Is.EqualTo(first));
            Assert.That(first, Does.StartWith("1:[1,2,3,4] "));
        });
    }
}
