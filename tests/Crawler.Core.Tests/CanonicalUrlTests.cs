using Crawler.Core.Urls;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class CanonicalUrlTests
{
    [TestCase("HTTP://Ads.EXAMPLE.nl/Path", "http://ads.example.nl/Path", TestName = "Scheme_and_host_are_lower_cased_but_not_the_path")]
    [TestCase("http://ads.example.nl:80/a", "http://ads.example.nl/a", TestName = "Default_http_port_is_removed")]
    [TestCase("https://ads.example.nl:443/a", "https://ads.example.nl/a", TestName = "Default_https_port_is_removed")]
    [TestCase("https://ads.example.nl:8443/a", "https://ads.example.nl:8443/a", TestName = "Other_ports_are_kept")]
    [TestCase("https://ads.example.nl/a#section", "https://ads.example.nl/a", TestName = "Fragment_is_removed")]
    [TestCase("https://ads.example.nl/a/./b/../c", "https://ads.example.nl/a/c", TestName = "Dot_segments_are_resolved")]
    [TestCase("https://ads.example.nl/a/b/../../../c", "https://ads.example.nl/c", TestName = "Dot_segments_do_not_climb_above_the_root")]
    [TestCase("https://ads.example.nl/%7ejoe", "https://ads.example.nl/~joe", TestName = "Percent_encoded_tilde_is_decoded")]
    [TestCase("https://ads.example.nl/%41%62c", "https://ads.example.nl/Abc", TestName = "Percent_encoded_letters_are_decoded")]
    [TestCase("https://ads.example.nl/a%2fb", "https://ads.example.nl/a%2Fb", TestName = "Percent_encoded_slash_stays_encoded_in_upper_case")]
    [TestCase("http://bücher.example/", "http://xn--bcher-kva.example/", TestName = "IDN_host_becomes_punycode")]
    [TestCase("https://ads.example.nl", "https://ads.example.nl/", TestName = "Empty_path_becomes_the_root")]
    [TestCase("https://ads.example.nl/a?utm_source=x&id=5&fbclid=abc&utm_medium=y&page=2", "https://ads.example.nl/a?id=5&page=2", TestName = "Tracking_parameters_are_removed_and_others_kept_in_order")]
    [TestCase("https://ads.example.nl/a?UTM_Campaign=x&gclid=1&b=2&a=1", "https://ads.example.nl/a?b=2&a=1", TestName = "Tracking_parameters_are_matched_case_insensitively_and_order_kept")]
    [TestCase("https://ads.example.nl/a?utm_source=x&fbclid=1", "https://ads.example.nl/a", TestName = "Query_of_only_tracking_parameters_is_dropped")]
    [TestCase("https://ads.example.nl/a?q=%7e%2f", "https://ads.example.nl/a?q=~%2F", TestName = "Query_percent_encoding_is_normalised")]
    [TestCase("  https://ads.example.nl/a  ", "https://ads.example.nl/a", TestName = "Surrounding_whitespace_is_trimmed")]
    [TestCase("http://[FD00::1]:8080/a", "http://[fd00::1]:8080/a", TestName = "An_IPv6_literal_keeps_its_brackets")]
    [TestCase("http://[2001:db8::1]/", "http://[2001:db8::1]/", TestName = "An_IPv6_literal_on_the_default_port_keeps_its_brackets")]
    public void Create_canonicalises(string input, string expected)
    {
        Assert.That(CanonicalUrl.Create(input).ToString(), Is.EqualTo(expected));
    }

    [TestCase("https://ads.example.nl/ads/1.html", null)]
    [TestCase("/ads/1.html?p=2", "https://ads.example.nl/x/")]
    [TestCase("../b/c.html", "https://ads.example.nl/x/y/")]
    [TestCase("https://Ads.Example.nl:443/a%7eb#x", null)]
    [TestCase("//cdn.example.nl/z?utm_source=q", "https://ads.example.nl/")]
    public void The_result_is_the_canonical_string_parsed_afresh(string input, string? baseUrl)
    {
        Assert.That(CanonicalUrl.TryCreate(input, baseUrl is null ? null : new Uri(baseUrl), out var url, out _), Is.True);
        var fresh = new Uri(url.OriginalString, UriKind.Absolute);

        Assert.Multiple(() =>
        {
            Assert.That(url.OriginalString, Is.EqualTo(CanonicalUrl.Create(url.AbsoluteUri).OriginalString));
            Assert.That(url.ToString(), Is.EqualTo(fresh.ToString()));
            Assert.That(url.AbsoluteUri, Is.EqualTo(fresh.AbsoluteUri));
            Assert.That(url, Is.EqualTo(fresh));
        });
    }

    [Test]
    public void Percent_encoded_UTF8_is_upper_cased_and_equals_the_raw_form()
    {
        var encoded = CanonicalUrl.Create("https://ads.example.nl/caf%c3%a9");
        var raw = CanonicalUrl.Create("https://ads.example.nl/café");

        Assert.Multiple(() =>
        {
            Assert.That(encoded.AbsoluteUri, Is.EqualTo("https://ads.example.nl/caf%C3%A9"));
            Assert.That(raw.AbsoluteUri, Is.EqualTo(encoded.AbsoluteUri));
            Assert.That(raw.ToString(), Is.EqualTo(encoded.ToString()));
            Assert.That(CanonicalUrl.Create(encoded.ToString()).AbsoluteUri, Is.EqualTo(encoded.AbsoluteUri));
        });
    }

    [Test]
    public void Canonical_form_is_idempotent()
    {
        var once = CanonicalUrl.Create("HTTP://Ads.Example.nl:80/a/../%7eb/c%2fd?utm_x=1&k=v#f");

        var twice = CanonicalUrl.Create(once.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(once.ToString(), Is.EqualTo("http://ads.example.nl/~b/c%2Fd?k=v"));
            Assert.That(twice.ToString(), Is.EqualTo(once.ToString()));
        });
    }

    [TestCase("https://ads.example.nl/list/page2", "../ads/7", "https://ads.example.nl/ads/7")]
    [TestCase("https://ads.example.nl/list/page2", "/ads/8?utm_source=x", "https://ads.example.nl/ads/8")]
    [TestCase("https://ads.example.nl/list/page2", "?p=3", "https://ads.example.nl/list/page2?p=3")]
    [TestCase("https://ads.example.nl/list/", "item#photo", "https://ads.example.nl/list/item")]
    [TestCase("https://ads.example.nl/list/", "//OTHER.example.nl/x", "https://other.example.nl/x")]
    [TestCase("https://ads.example.nl/list/", "http://ads.example.nl:80/abs", "http://ads.example.nl/abs")]
    public void A_relative_link_is_resolved_against_its_base(string baseUrl, string link, string expected)
    {
        var ok = CanonicalUrl.TryCreate(link, new Uri(baseUrl), out var url, out var reason);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, reason);
            Assert.That(url.ToString(), Is.EqualTo(expected));
            Assert.That(reason, Is.Empty);
        });
    }

    [TestCase("mailto:someone@example.nl", "scheme 'mailto' is not http or https")]
    [TestCase("ftp://ads.example.nl/file", "scheme 'ftp' is not http or https")]
    [TestCase("javascript:alert(1)", "scheme 'javascript' is not http or https")]
    [TestCase("file:///etc/passwd", "scheme 'file' is not http or https")]
    [TestCase("not a url", "not an absolute URL")]
    public void Non_web_or_unusable_urls_are_refused(string input, string expectedReason)
    {
        var ok = CanonicalUrl.TryCreate(input, out _, out var reason);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(reason, Is.EqualTo(expectedReason));
        });
    }

    [TestCase("/relative/only")]
    [TestCase("ads.example.nl/no-scheme")]
    [TestCase("")]
    public void Text_that_is_not_an_absolute_web_url_is_refused(string input)
    {
        var ok = CanonicalUrl.TryCreate(input, out _, out var reason);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(reason, Is.Not.Empty);
        });
    }

    [Test]
    public void A_mailto_link_on_a_page_is_refused()
    {
        var ok = CanonicalUrl.TryCreate("mailto:lisa@example.nl", new Uri("https://ads.example.nl/ads/1"), out _, out var reason);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(reason, Does.Contain("mailto"));
        });
    }

    [Test]
    public void Create_throws_for_a_refused_url_naming_the_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => CanonicalUrl.Create("ftp://ads.example.nl/"));

        Assert.That(ex.Message, Does.Contain("scheme 'ftp' is not http or https"));
    }

    [Test]
    public void Credentials_are_kept_so_that_the_policy_can_refuse_them()
    {
        var url = CanonicalUrl.Create("https://user:pw@ads.example.nl/a");

        Assert.That(url.UserInfo, Is.EqualTo("user:pw"));
    }

    [TestCase("ads.example.nl", "ads.example.nl", true)]
    [TestCase("ads.example.nl", "ADS.example.nl", true)]
    [TestCase("ads.example.nl", "x.ads.example.nl", false)]
    [TestCase("*.example.nl", "ads.example.nl", true)]
    [TestCase("*.example.nl", "a.b.example.nl", true)]
    [TestCase("*.example.nl", "example.nl", false)]
    [TestCase("*.example.nl", "badexample.nl", false)]
    public void HostPattern_matches_exact_hosts_and_subdomain_wildcards(string pattern, string host, bool expected)
    {
        Assert.That(HostPattern.Matches(pattern, host), Is.EqualTo(expected));
    }

    [TestCase("Ads.Example.NL", "ads.example.nl")]
    [TestCase("*.Example.nl.", "*.example.nl")]
    [TestCase("bücher.example", "xn--bcher-kva.example")]
    public void HostPattern_normalises_valid_entries(string text, string expected)
    {
        var ok = HostPattern.TryNormalise(text, out var pattern);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(pattern, Is.EqualTo(expected));
        });
    }

    [TestCase("*")]
    [TestCase("ads.example.nl/path")]
    [TestCase("ads.*.nl")]
    [TestCase("ads.example.nl:8080")]
    [TestCase("user@ads.example.nl")]
    [TestCase("")]
    public void HostPattern_refuses_entries_that_are_not_hosts(string text)
    {
        Assert.That(HostPattern.TryNormalise(text, out _), Is.False);
    }
}
