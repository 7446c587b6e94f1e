using NUnit.Framework;

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

    [TestCase("I have been new in Breda since 04-10-2026; my place is in a quiet street", "incall")]
    [TestCase("Outcall to your hotel or at your home, no incall.", "outcall hotel home")]
    public void Venues_are_read(string text, string venues)
    {
        Assert.That(Read(text).Venues, Is.EqualTo(venues.Split(' ')));
    }
}
