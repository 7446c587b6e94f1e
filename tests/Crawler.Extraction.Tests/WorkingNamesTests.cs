using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>The advertised working name from the ad's own words and its title.</summary>
public sealed class WorkingNamesTests
{
    private static readonly PhraseTable<Term[]> Lexicon = Vocabulary.Build(PlaceNames.All);

    private static bool IsLexiconWord(string word)
    {
        var t = TokenizedText.Of(word);
        return Lexicon.TryMatch(t, 0, out _, out _);
    }

    [TestCase("Hoi, ik ben Bianca (22) en nieuw hier", "Bianca")]
    [TestCase("My name is Marit (34).", "Marit")]
    [TestCase("Mijn naam is Anna-Maria", "Anna-Maria")]
    [TestCase("Hi, I'm Lisa from Utrecht", "Lisa")]
    [TestCase("Ik ben Roemeense en ik ben Lara", "Lara")]
    public void Self_introductions_name_the_advertiser(string text, string name)
    {
        Assert.That(WorkingNames.FromProse(text, IsLexiconWord), Is.EqualTo(name));
    }

    [TestCase("Ik ben Nieuw in Utrecht")]
    [TestCase("I am Available 24/7")]
    [TestCase("Ik ben 24 jaar")]
    [TestCase("I am Romanian")]
    [TestCase("ik ben lisa")]
    public void Capitalised_adjectives_origins_and_numbers_are_no_names(string text)
    {
        Assert.That(WorkingNames.FromProse(text, IsLexiconWord), Is.Null);
    }

    [TestCase("Lisa, nieuw in Utrecht", "Lisa")]
    [TestCase("Noor (21) – rustige ontvangst in Arnhem", "Noor")]
    [TestCase("Ontspannende massage door Eva in Rotterdam", "Eva")]
    [TestCase("Gezelschap in Eindhoven: Fleur", "Fleur")]
    [TestCase("Maud deze weken in Zwolle", "Maud")]
    [TestCase("Nieuw in Utrecht", null)]
    [TestCase("Massage in Breda", null)]
    public void Titles_name_the_advertiser_in_their_usual_places(string title, string? name)
    {
        Assert.That(WorkingNames.FromTitle(title, IsLexiconWord), Is.EqualTo(name));
    }
}
