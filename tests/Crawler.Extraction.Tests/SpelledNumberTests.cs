using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>Numbers written as words in the four languages, and numbers broken up by separators or words.</summary>
public sealed class SpelledNumberTests
{
    private static Core.Hits.AdFeatures Extract(string text, string host = "ads.example", string lang = "nl") =>
        new AdExtractor().Extract($"<html lang=\"{lang}\"><body><main><p>Afspraak? Escort.</p><p>{text}</p></main></body></html>",
            new Uri($"https://{host}/ad/1")).Ad;

    [TestCase("vijfentwintig", 25)]
    [TestCase("tweeëntwintig", 22)]
    [TestCase("eenenveertig", 41)]
    [TestCase("achtentachtig", 88)]
    [TestCase("Siebzehn", 17)]
    [TestCase("fünfundvierzig", 45)]
    [TestCase("einundneunzig", 91)]
    [TestCase("dreißig", 30)]
    [TestCase("septante", 70)]
    [TestCase("quatorze", 14)]
    [TestCase("nineteen", 19)]
    [TestCase("Zéro", 0)]
    public void One_word_numbers_of_each_language_are_read(string word, int value)
    {
        Assert.That(SpelledNumbers.Value(word), Is.EqualTo(value));
    }

    [TestCase("geen")]
    [TestCase("teen")]
    [TestCase("vijfenzestigplus")]
    [TestCase("Tiener")]
    [TestCase("ein")]
    [TestCase("und")]
    public void Words_that_only_look_like_numbers_are_not_read(string word)
    {
        Assert.That(SpelledNumbers.Value(word), Is.Null);
    }

    [TestCase("vingt-cinq", "25", 2)]
    [TestCase("vingt et un", "21", 3)]
    [TestCase("soixante-dix-huit", "78", 3)]
    [TestCase("quatre-vingt-douze", "92", 3)]
    [TestCase("quatre-vingts", "80", 2)]
    [TestCase("dix-sept", "17", 2)]
    [TestCase("thirty four", "34", 2)]
    [TestCase("zes", "6", 1)]
    public void Phrases_of_several_words_are_one_number(string phrase, string digits, int words)
    {
        var tokens = phrase.Split(' ', '-');

        Assert.That(SpelledNumbers.Read(tokens, 0, _ => true), Is.EqualTo((digits, words)));
    }

    [TestCase("Bel nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig", "ads.example", "nl", "+31612345678")]
    [TestCase("Ruf an: null eins sieben sechs – eins zwei drei – vier fünf sechs sieben", "ads.example.de", "de", "+491761234567")]
    [TestCase("Appelle-moi : zéro quatre septante-huit, douze, trente-quatre, cinquante-six", "ads.example.be", "fr", "+32478123456")]
    [TestCase("Text me on zero six, twelve, thirty four, fifty six, seventy eight", "ads.example", "en", "+31612345678")]
    public void A_number_spelled_out_in_any_language_is_found_and_counts_as_hidden(string text, string host, string lang, string e164)
    {
        var ad = Extract(text, host, lang);

        Assert.That(ad.Phones.Select(p => p.E164), Does.Contain(e164), text);
        Assert.That(ad.Phones.Single(p => p.E164 == e164).Obfuscated, Is.True);
    }

    [TestCase("Bel 06 - 12 34 56 78", "ads.example", "+31612345678", false)]
    [TestCase("Telefon 0176 – 123 45 67", "ads.example.de", "+491761234567", false)]
    [TestCase("Gsm 0478 / 12 34 56", "ads.example.be", "+32478123456", false)]
    [TestCase("Bel 0 6 – 1 2 3 4 – 5 6 7 8", "ads.example", "+31612345678", true)]
    [TestCase("Bel 06 daarna 1234 5678 (tegen de spam)", "ads.example", "+31612345678", true)]
    [TestCase("Anrufen: 0176 und dann 123 4567", "ads.example.de", "+491761234567", true)]
    public void Groups_apart_by_dashes_slashes_or_words_are_one_number(string text, string host, string e164, bool hidden)
    {
        var ad = Extract(text, host);

        Assert.That(ad.Phones.Select(p => p.E164), Does.Contain(e164), text);
        Assert.That(ad.Phones.Single(p => p.E164 == e164).Obfuscated, Is.EqualTo(hidden));
    }

    [TestCase("Ik ben een en al vrouw, twee handen vol, drie keer per week")]
    [TestCase("Open 22:00-05:00 dan ook 2026-65444 63 kg")]
    [TestCase("Quatre-vingts pour cent des clients reviennent, vingt-cinq ans de métier")]
    [TestCase("Zwei Freundinnen, drei Stunden, vier Hände, fünf Sterne")]
    public void Words_and_numbers_that_are_no_phone_stay_so(string text)
    {
        Assert.That(Extract(text).Phones, Is.Empty, text);
    }
}
