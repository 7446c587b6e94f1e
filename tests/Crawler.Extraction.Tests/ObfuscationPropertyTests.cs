using System.Globalization;
using System.Text;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// Properties over generated inputs (a seeded generator, so a failure names its seed and case):
/// any valid Dutch mobile number, hidden any known way, decodes to the same E.164 number; and
/// dates, prices and measurements never become phone numbers.
/// </summary>
public sealed class ObfuscationPropertyTests
{
    private const int Cases = 400;
    private static readonly string[] WordsNl = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
    private static readonly string[] WordsEn = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    private static readonly Uri Page = new("http://ads.example/ad");

    private static string Render(string digits, Random rng)
    {
        switch (rng.Next(11))
        {
            case 0:
                return digits[..2] + "-" + digits[2..];
            case 1:
                return string.Join(" ", Enumerable.Range(0, 5).Select(i => digits.Substring(i * 2, 2)));
            case 2:
                return "+31 6 " + digits[2..];
            case 3:
                return string.Join(rng.Next(2) == 0 ? "-" : ".", digits.ToCharArray());
            case 4:
                return string.Concat(digits.Chunk(3).Select(c => $"<span>{new string(c)}</span>"));
            case 5:
                return new string(digits.Select((c, i) => i > 0 && c == '0' ? 'O' : i > 0 && c == '1' ? 'l' : c).ToArray());
            case 6:
                return string.Join(" ", digits.Select(c => WordsNl[c - '0']));
            case 7:
                return string.Join(" ", digits.Select(c => WordsEn[c - '0']));
            case 8:
                return new string(digits.Select(c => (char)('０' + (c - '0'))).ToArray());
            case 9:
                return string.Concat(digits.Select(c => c + "\uFE0F\u20E3"));
            default:
                return string.Concat(digits.Select(c => c == '0' ? "⓪" : ((char)('①' + (c - '1'))).ToString()));
        }
    }

    [Test]
    public void Any_hidden_mobile_number_decodes_to_the_same_E164_number([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        var extractor = new AdExtractor();
        for (var i = 0; i < Cases; i++)
        {
            // Dutch mobile numbers: 06 followed by 8 digits, the first of which is 1-5 or 8 (valid ranges).
            var digits = "06" + "123458"[rng.Next(6)] + string.Concat(Enumerable.Range(0, 7).Select(_ => rng.Next(10).ToString(CultureInfo.InvariantCulture)));
            var rendered = Render(digits, rng);
            var filler = rng.Next(2) == 0 ? "Bel of app me gerust: " : "Call or text: ";

            var ad = extractor.Extract($"<html><body><main><p>{filler}{rendered} — tot snel</p></main></body></html>", Page).Ad;

            var expected = "+31" + digits[1..];
            Assert.That(ad.Phones.Select(p => p.E164), Does.Contain(expected), $"seed {seed}, case {i}: '{rendered}'");
        }
    }

    [Test]
    public void Dates_prices_and_measurements_never_become_phone_numbers([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        var extractor = new AdExtractor();
        for (var i = 0; i < Cases; i++)
        {
            var sb = new StringBuilder();
            for (var k = 0; k < 6; k++)
            {
                sb.Append(rng.Next(9) switch
                {
                    0 => $"{rng.Next(1, 29):00}-{rng.Next(1, 13):00}-{rng.Next(2020, 2031)} ",
                    1 => $"{rng.Next(1, 29):00}/{rng.Next(1, 13):00}/{rng.Next(2020, 2031)} ",
                    2 => $"€ {rng.Next(50, 500)} ",
                    3 => $"{rng.Next(50, 500)} euro per uur ",
                    4 => $"1.{rng.Next(50, 95)} m ",
                    5 => $"{rng.Next(45, 95)} kg ",
                    6 => $"{rng.Next(1000, 9999)} {(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))} ",
                    7 => $"{rng.Next(0, 24):00}:00-{rng.Next(0, 24):00}:00 ",
                    _ => $"ad id {rng.Next(2020, 2031)}-{rng.Next(0, 99999):00000} ",
                });
            }

            var text = sb.ToString();
            var ad = extractor.Extract($"<html><body><main><p>{text}</p></main></body></html>", Page).Ad;

            Assert.That(ad.Phones, Is.Empty, $"seed {seed}, case {i}: '{text}' gave {string.Join(", ", ad.Phones.Select(p => p.E164))}");
        }
    }
}
