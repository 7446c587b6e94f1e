using System.Text;
using NUnit.Framework;

namespace Crawler.Extraction.Tests;

/// <summary>
/// The site template as the crawl keeps it per host: learned over a host's pages, exported as keyed hashes only (no
/// text of the pages, no key), imported with the crawl's secret, and bounded in memory and in state.
/// </summary>
public sealed class SiteTemplateTests
{
    private const string Host = "www.adsite.example";
    private static readonly Uri Page = new($"https://{Host}/advertentie/1");
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static readonly string[] PageWords = ["escort", "dame", "nina", "week", "bel"];

    private static PageExtraction Extract(string body, SiteTemplate template) =>
        new AdExtractor().Extract($"<html lang=\"nl\"><head><title>Advertentie</title></head><body>{body}</body></html>", Page, null, template);

    private static string PageOf(int i) =>
        $"<main><h1>Dame {i}</h1><p>Escort, bel me: 06-1234567{i % 10}.</p><p>Top escort van de week: Nina 06-99887766 nina.top@example.com</p></main>";

    private static SiteTemplate Learned(byte[] secret, int pages = 4)
    {
        var template = new SiteTemplate(Host, secret);
        for (var i = 0; i < pages; i++)
        {
            Extract(PageOf(i), template);
        }

        return template;
    }

    [Test]
    public void SipHash_gives_the_reference_vectors()
    {
        // The reference implementation's vectors: key 00..0f, messages 00..(n-1).
        var hash = SipHash.FromKey(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(hash.Hash([]), Is.EqualTo(0x726fdb47dd0e0e31UL));
            Assert.That(hash.Hash(Enumerable.Range(0, 8).Select(i => (byte)i).ToArray()), Is.EqualTo(0x93f5f5799a932462UL));
        });
    }

    [Test]
    public void What_recurs_on_a_hosts_pages_is_template_and_survives_export_and_import()
    {
        var template = Learned(Secret);

        var copy = SiteTemplate.Import(Host, template.Export(), Secret);
        var page = Extract(PageOf(5), copy);

        Assert.Multiple(() =>
        {
            Assert.That(page.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31612345675" }));
            Assert.That(page.Ad.Emails, Is.Empty);
            Assert.That(page.TemplateBlocks, Is.EqualTo(1));
            Assert.That(copy.PagesSeen, Is.EqualTo(5));
            Assert.That(copy.ContactCount, Is.EqualTo(template.ContactCount + 1));
            Assert.That(SiteTemplate.Import(Host, template.Export(), Secret).Export(), Is.EqualTo(template.Export()));
        });
    }

    [Test]
    public void The_exported_state_holds_no_text_of_the_pages_and_not_the_key()
    {
        var template = Learned(Secret);
        var state = template.Export();
        var bytes = Convert.FromBase64String(state);
        string[] values = ["06-99887766", "0699887766", "+31699887766", "31699887766", "99887766", "nina.top@example.com", "example.com", .. PageWords];

        Assert.Multiple(() =>
        {
            foreach (var v in values)
            {
                Assert.That(state, Does.Not.Contain(v).IgnoreCase, v);
                Assert.That(Contains(bytes, Encoding.UTF8.GetBytes(v)), Is.False, $"{v} in UTF-8");
                Assert.That(Contains(bytes, Encoding.Unicode.GetBytes(v)), Is.False, $"{v} in UTF-16");
            }

            Assert.That(Contains(bytes, Secret.AsSpan(0, 8).ToArray()), Is.False, "the secret");
            Assert.That(template.ContactCount, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Its_hashes_are_keyed_so_another_secret_neither_reads_the_state_nor_hashes_alike()
    {
        var other = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var state = Learned(Secret).Export();
        var otherState = Convert.FromBase64String(Learned(other).Export());
        var bytes = Convert.FromBase64String(state);

        Assert.Multiple(() =>
        {
            Assert.Throws<FormatException>(() => SiteTemplate.Import(Host, state, other));
            Assert.Throws<FormatException>(() => SiteTemplate.Import("www.other.example", state, Secret));
            Assert.Throws<ArgumentException>(() => _ = new SiteTemplate(Host, new byte[8]));

            // Not one hash of the same pages alike under another key.
            Assert.That(otherState, Has.Length.EqualTo(bytes.Length));
            for (var at = 29; at + 8 <= bytes.Length; at += 12)
            {
                Assert.That(Contains(otherState, bytes.AsSpan(at, 8).ToArray()), Is.False, $"hash at {at}");
            }
        });
    }

    [TestCase("")]
    [TestCase("bm90IGEgdGVtcGxhdGU=")]
    public void Anything_but_an_exported_state_is_refused(string state) =>
        Assert.Throws<FormatException>(() => SiteTemplate.Import(Host, state, Secret));

    [Test]
    public void A_state_longer_than_any_template_is_refused() =>
        Assert.Throws<FormatException>(() => SiteTemplate.Import(Host, new string('A', SiteTemplate.MaxStateChars + 4), Secret));

    [Test]
    public void Memory_and_state_stay_bounded_however_many_different_pages_a_host_has_and_the_template_still_holds()
    {
        var template = new SiteTemplate(Host, Secret);
        int peakBlocks = 0, peakContacts = 0, peakState = 0;
        var peakMemory = 0L;
        const string Recurring = "<div><p>Dit is de vaste tekst onderaan elke advertentie van de site, met 085-1234567.</p></div>";
        for (var i = 0; i < 120; i++)
        {
            var unique = string.Concat(Enumerable.Range(0, 60).Select(j => $"<p>Een eigen zin van pagina {i} en alinea {j}, lang genoeg om te tellen.</p>"));
            var phones = string.Concat(Enumerable.Range(0, 12).Select(j => $"<p>06-{10000000 + (i * 100) + j}</p>"));
            Extract($"<main><h1>Dame {i}</h1>{unique}{phones}{Recurring}</main>", template);
            peakBlocks = Math.Max(peakBlocks, template.BlockCount);
            peakContacts = Math.Max(peakContacts, template.ContactCount);
            peakMemory = Math.Max(peakMemory, template.MemoryBytes);
            peakState = Math.Max(peakState, template.Export().Length);
        }

        var last = Extract($"<main><h1>Dame</h1><p>Bel me op 06-55554444.</p>{Recurring}</main>", template);
        var state = template.Export();

        TestContext.Out.WriteLine($"{template.BlockCount} blocks, {template.ContactCount} contacts, {template.MemoryBytes:N0} bytes in memory, {state.Length:N0} characters of state");
        Assert.Multiple(() =>
        {
            Assert.That(template.BlockCount, Is.InRange(1, SiteTemplate.MaxBlocks));
            Assert.That(template.ContactCount, Is.InRange(1, SiteTemplate.MaxContacts));
            Assert.That(peakBlocks, Is.GreaterThan(SiteTemplate.MaxBlocks * 9 / 10), "the pages fill the block table");
            Assert.That(peakContacts, Is.GreaterThan(SiteTemplate.MaxContacts * 9 / 10), "the pages fill the contact table");
            Assert.That(template.MemoryBytes, Is.LessThanOrEqualTo(SiteTemplate.MaxMemoryBytes));
            Assert.That(state, Has.Length.LessThanOrEqualTo(SiteTemplate.MaxStateChars));
            Assert.That(peakMemory, Is.LessThanOrEqualTo(SiteTemplate.MaxMemoryBytes));
            Assert.That(peakState, Is.LessThanOrEqualTo(SiteTemplate.MaxStateChars));
            Assert.That(SiteTemplate.MaxMemoryBytes, Is.LessThanOrEqualTo(140 * 1024));
            Assert.That(SiteTemplate.MaxStateChars, Is.LessThanOrEqualTo(80_000));
            Assert.That(last.TemplateBlocks, Is.EqualTo(1), "the footer, seen on every page, is still template");
            Assert.That(last.Ad.Phones.Select(p => p.E164), Is.EqualTo(new[] { "+31655554444" }));
        });
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
