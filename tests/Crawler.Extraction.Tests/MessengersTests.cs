using NUnit.Framework;
using Crawler.Core.Hits;

namespace Crawler.Extraction.Tests;

/// <summary>Messenger and social handles from links, labels and text.</summary>
public sealed class MessengersTests
{
    [TestCase("https://wa.me/31612345678", "whatsapp", "+31612345678")]
    [TestCase("https://api.whatsapp.com/send?phone=31612345678&text=hoi", "whatsapp", "+31612345678")]
    [TestCase("https://t.me/Lisa_NL", "telegram", "lisa_nl")]
    [TestCase("https://telegram.me/lisa_nl/", "telegram", "lisa_nl")]
    [TestCase("https://www.snapchat.com/add/lisa.xo", "snapchat", "lisa.xo")]
    [TestCase("https://signal.me/#p/+31612345678", "signal", "+31612345678")]
    [TestCase("https://www.instagram.com/lisa.nl/", "instagram", "lisa.nl")]
    [TestCase("https://onlyfans.com/lisa_nl", "onlyfans", "lisa_nl")]
    public void Links_give_platform_and_handle(string href, string platform, string handle)
    {
        var contact = Messengers.FromLink(href, out _);

        Assert.That((contact?.Platform, contact?.Handle), Is.EqualTo((platform, handle)));
    }

    [TestCase("https://wa.me/31612345678", "+31612345678")]
    [TestCase("https://t.me/lisa_nl", null)]
    public void A_WhatsApp_link_hands_back_its_number(string href, string? phone)
    {
        Messengers.FromLink(href, out var number);

        Assert.That(number, Is.EqualTo(phone));
    }

    [TestCase("https://example.nl/lisa")]
    [TestCase("https://www.snapchat.com/discover/x")]
    [TestCase("https://wa.me/")]
    [TestCase("not a link")]
    public void Other_links_are_no_handles(string href)
    {
        Assert.That(Messengers.FromLink(href, out _), Is.Null);
    }

    [TestCase("Telegram: @lisa_nl", "telegram:lisa_nl")]
    [TestCase("tg @lisa_nl", "telegram:lisa_nl")]
    [TestCase("SC: lisa.xo", "snapchat:lisa.xo")]
    [TestCase("add me on snap: lisa.xo!", "snapchat:lisa.xo")]
    [TestCase("insta: @lisa.nl, bel me", "instagram:lisa.nl")]
    public void Text_handles_need_a_platform_word_and_a_colon_or_at_sign(string text, string expected)
    {
        var found = new List<MessengerContact>();

        Messengers.FromText(text, found);

        Assert.That(found.Select(m => m.Platform + ":" + m.Handle), Is.EqualTo(new[] { expected }));
    }

    [TestCase("Bel me of app me via Telegram of WhatsApp")]
    [TestCase("Telegram: t.me/lisa_nl")]
    [TestCase("Snapchat: ja")]
    [TestCase("mail lisa@telegram.example")]
    [TestCase("signal: 06-12345678")]
    public void Mentions_of_a_platform_without_an_account_are_no_handles(string text)
    {
        var found = new List<MessengerContact>();

        Messengers.FromText(text, found);

        Assert.That(found, Is.Empty);
    }

    [TestCase("Telegram", "@lisa_nl", "telegram:lisa_nl", null)]
    [TestCase("Telegram", "t.me/lisa_nl", "telegram:lisa_nl", null)]
    [TestCase("WhatsApp", "06-12345678 (alleen berichten)", null, "06-12345678")]
    [TestCase("Signal", "+31 6 1234 5678", null, "+31 6 1234 5678")]
    public void Label_values_give_a_handle_or_a_number(string label, string value, string? handle, string? number)
    {
        var contact = Messengers.FromLabel(Enum.Parse<LabelKind>(label), value, out var phone);

        Assert.Multiple(() =>
        {
            Assert.That(contact is null ? null : contact.Platform + ":" + contact.Handle, Is.EqualTo(handle));
            Assert.That(phone, Is.EqualTo(number));
        });
    }
}
