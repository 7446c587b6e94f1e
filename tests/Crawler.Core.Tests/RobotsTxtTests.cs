using System.Text;
using Crawler.Core.Robots;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class RobotsTxtTests
{
    private const string Us = "CrawlerNL";

    [TestCase("User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true, TestName = "Longest_match_wins_when_the_longer_rule_allows")]
    [TestCase("User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c", false, TestName = "Longest_match_wins_when_the_longer_rule_disallows")]
    [TestCase("User-agent: *\nDisallow: /a/b\nAllow: /a\n", "/a/x", true, TestName = "Only_matching_rules_compete")]
    [TestCase("User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", true, TestName = "Allow_wins_a_tie_of_equal_length")]
    [TestCase("User-agent: *\nAllow: /page\nDisallow: /page\n", "/page", true, TestName = "Allow_wins_a_tie_whatever_the_order")]
    [TestCase("User-agent: *\nDisallow: /*/private\n", "/shop/private/1", false, TestName = "Wildcard_in_the_middle_matches_any_run")]
    [TestCase("User-agent: *\nDisallow: /*/private\n", "/shop/public/1", true, TestName = "Wildcard_in_the_middle_still_needs_the_rest")]
    [TestCase("User-agent: *\nDisallow: /a*b*c\n", "/a-x-b-y-c", false, TestName = "Several_wildcards_match_in_order")]
    [TestCase("User-agent: *\nDisallow: /a*b*c\n", "/a-c-b", true, TestName = "Several_wildcards_do_not_match_out_of_order")]
    [TestCase("User-agent: *\nDisallow: /*.pdf$\n", "/a.pdf", false, TestName = "End_anchor_blocks_a_path_ending_in_the_pattern")]
    [TestCase("User-agent: *\nDisallow: /*.pdf$\n", "/a.pdf?x=1", true, TestName = "End_anchor_does_not_block_a_path_continuing_after_it")]
    [TestCase("User-agent: *\nDisallow: /*.pdf\n", "/a.pdf?x=1", false, TestName = "Without_end_anchor_the_pattern_is_a_prefix")]
    [TestCase("User-agent: *\nDisallow: /$\n", "/", false, TestName = "Root_with_end_anchor_blocks_the_root")]
    [TestCase("User-agent: *\nDisallow: /$\n", "/page", true, TestName = "Root_with_end_anchor_blocks_only_the_root")]
    [TestCase("User-agent: *\nDisallow: /private\n", "/private-area", false, TestName = "A_pattern_without_wildcards_is_a_prefix_match")]
    [TestCase("User-agent: *\nDisallow: /Private\n", "/private", true, TestName = "Paths_are_compared_case_sensitively")]
    [TestCase("User-agent: *\nDisallow: /\n\nUser-agent: crawlernl\nDisallow: /only-this\n", "/other", true, TestName = "Our_group_matched_case_insensitively_replaces_the_star_group")]
    [TestCase("User-agent: *\nDisallow: /\n\nUser-agent: crawlernl\nDisallow: /only-this\n", "/only-this", false, TestName = "Our_group_rules_apply_to_us")]
    [TestCase("User-agent: CRAWLERNL/1.0\nDisallow: /x\n", "/x", false, TestName = "Our_token_with_a_version_suffix_names_us")]
    [TestCase("User-agent: CrawlerNL\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: CrawlerNL\nDisallow: /c\n", "/c", false, TestName = "Two_groups_naming_us_are_combined_second_group")]
    [TestCase("User-agent: CrawlerNL\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: CrawlerNL\nDisallow: /c\n", "/a", false, TestName = "Two_groups_naming_us_are_combined_first_group")]
    [TestCase("User-agent: CrawlerNL\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: CrawlerNL\nDisallow: /c\n", "/b", true, TestName = "Another_agent_group_does_not_apply_to_us")]
    [TestCase("User-agent: googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /star\n", "/star", false, TestName = "Star_group_applies_when_no_group_names_us")]
    [TestCase("User-agent: googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /star\n", "/page", true, TestName = "Star_fallback_does_not_pick_up_other_groups")]
    [TestCase("User-agent: googlebot\nDisallow: /\n", "/page", true, TestName = "No_group_for_us_and_no_star_group_allows_all")]
    [TestCase("User-agent: googlebot\nUser-agent: CrawlerNL\nUser-agent: bingbot\nDisallow: /shared\n", "/shared", false, TestName = "Several_user_agent_lines_share_one_group")]
    [TestCase("User-agent: googlebot\n# comment between agents\n\nUser-agent: CrawlerNL\nDisallow: /shared\n", "/shared", false, TestName = "Comments_and_blank_lines_do_not_split_an_agent_run")]
    [TestCase("Disallow: /\nUser-agent: *\nDisallow: /x\n", "/page", true, TestName = "Rules_before_any_user_agent_are_ignored")]
    [TestCase("User-agent: *\nDisallow:\n", "/anything", true, TestName = "Empty_disallow_allows_all")]
    [TestCase("User-agent: *\nDisallow:\nUser-agent: CrawlerNL\nDisallow: /x\n", "/x", false, TestName = "Empty_disallow_ends_an_agent_run")]
    [TestCase("# robots for the site\nUser-agent: * # everyone\nDisallow: /secret # not for you\n", "/secret", false, TestName = "Comments_are_stripped_from_lines")]
    [TestCase("# robots for the site\nUser-agent: * # everyone\nDisallow: /secret # not for you\n", "/secret-not", false, TestName = "Comment_does_not_become_part_of_the_pattern")]
    [TestCase("User-agent: *\r\nDisallow: /crlf\r\nAllow: /crlf/ok\r\n", "/crlf/page", false, TestName = "CRLF_line_endings_are_read")]
    [TestCase("User-agent: *\r\nDisallow: /crlf\r\nAllow: /crlf/ok\r\n", "/crlf/ok", true, TestName = "CRLF_line_endings_do_not_leak_into_patterns")]
    [TestCase("User-agent: *\nDisallow: /%7Ejoe\n", "/~joe/page", false, TestName = "Percent_encoded_pattern_matches_a_decoded_path")]
    [TestCase("User-agent: *\nDisallow: /~joe\n", "/%7ejoe/page", false, TestName = "Decoded_pattern_matches_a_percent_encoded_path")]
    [TestCase("User-agent: *\nDisallow: /caf%C3%A9\n", "/café", false, TestName = "UTF8_percent_encoded_pattern_matches_a_raw_path")]
    [TestCase("User-agent: *\nDisallow: /café\n", "/caf%c3%a9", false, TestName = "Raw_UTF8_pattern_matches_a_lower_case_encoded_path")]
    [TestCase("User-agent: *\nDisallow: /\n", "/robots.txt", true, TestName = "Robots_txt_is_always_allowed")]
    [TestCase("", "/anything", true, TestName = "Empty_file_allows_all")]
    [TestCase("User-agent *\nDisallow /\nthis is not a rule\nUser-agent: *\nFoo: bar\nDisallow: /bad\n", "/page", true, TestName = "Malformed_lines_are_ignored")]
    [TestCase("User-agent *\nDisallow /\nthis is not a rule\nUser-agent: *\nFoo: bar\nDisallow: /bad\n", "/bad", false, TestName = "Malformed_lines_do_not_hide_the_valid_rules")]
    [TestCase("User-agent: *\nSitemap: https://example.nl/sitemap.xml\nDisallow: /x\n", "/x", false, TestName = "Sitemap_line_does_not_end_the_group")]
    [TestCase("user-AGENT: *\ndisALLOW: /x\n", "/x", false, TestName = "Field_names_are_case_insensitive")]
    [TestCase("User-agent: *\nDisallow: /\n", "", false, TestName = "An_empty_path_is_the_root")]
    public void Evaluate_follows_RFC_9309(string robots, string path, bool allowed)
    {
        var verdict = RobotsTxt.Parse(robots).Evaluate(Us, path);

        Assert.That(verdict.Allowed, Is.EqualTo(allowed), verdict.Rule);
    }

    [Test]
    public void A_leading_UTF8_byte_order_mark_does_not_hide_the_first_group()
    {
        // Robots files saved by Windows editors often start with a BOM; decoding the body with
        // Encoding.UTF8.GetString keeps it as U+FEFF in front of the first field name.
        var robots = RobotsTxt.Parse("\uFEFFUser-agent: *\nDisallow: /\n");

        Assert.That(robots.Evaluate(Us, "/private").Allowed, Is.False);
    }

    [Test]
    public void Rule_text_names_the_deciding_line()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nAllow: /\nDisallow: /private\n", "HTTP 200, 40 bytes");

        var verdict = robots.Evaluate(Us, "/private/1");

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Allowed, Is.False);
            Assert.That(verdict.Rule, Does.Contain("line 3"));
            Assert.That(verdict.Rule, Does.Contain("Disallow: /private"));
            Assert.That(verdict.Rule, Does.Contain("HTTP 200, 40 bytes"));
        });
    }

    [Test]
    public void Rule_text_counts_lines_with_CRLF_endings_and_comments()
    {
        var robots = RobotsTxt.Parse("# header\r\n\r\nUser-agent: *\r\nDisallow: /x\r\n");

        var verdict = robots.Evaluate(Us, "/x");

        Assert.That(verdict.Rule, Does.Contain("line 4"));
    }

    [Test]
    public void Rule_text_says_when_no_rule_matched()
    {
        var verdict = RobotsTxt.Parse("User-agent: *\nDisallow: /x\n").Evaluate(Us, "/y");

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Allowed, Is.True);
            Assert.That(verdict.Rule, Does.Contain("no matching rule"));
        });
    }

    [Test]
    public void Robots_txt_itself_is_allowed_even_under_disallow_all()
    {
        var verdict = RobotsTxt.DisallowAll("HTTP 503").Evaluate(Us, "/robots.txt");

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Allowed, Is.True);
            Assert.That(verdict.Rule, Does.Contain("always allowed"));
        });
    }

    [Test]
    public void AllowAll_allows_every_path_and_says_why()
    {
        var robots = RobotsTxt.AllowAll("HTTP 404");

        Assert.Multiple(() =>
        {
            Assert.That(robots.Evaluate(Us, "/").Allowed, Is.True);
            Assert.That(robots.Evaluate(Us, "/private/deep?x=1").Allowed, Is.True);
            Assert.That(robots.Source, Does.Contain("HTTP 404"));
            Assert.That(robots.CrawlDelay(Us), Is.Null);
        });
    }

    [Test]
    public void DisallowAll_disallows_every_path_and_says_why()
    {
        var robots = RobotsTxt.DisallowAll("HTTP 503");

        Assert.Multiple(() =>
        {
            Assert.That(robots.Evaluate(Us, "/").Allowed, Is.False);
            Assert.That(robots.Evaluate(Us, "/page?x=1").Allowed, Is.False);
            Assert.That(robots.Evaluate("AnyBot", "/page").Allowed, Is.False);
            Assert.That(robots.Evaluate(Us, "/page").Rule, Does.Contain("HTTP 503"));
        });
    }

    [Test]
    public void Crawl_delay_is_read_from_our_group()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nCrawl-delay: 30\n\nUser-agent: CrawlerNL\nCrawl-delay: 2.5\n");

        Assert.That(robots.CrawlDelay(Us), Is.EqualTo(TimeSpan.FromSeconds(2.5)));
    }

    [Test]
    public void Crawl_delay_is_the_largest_of_the_groups_that_apply()
    {
        var robots = RobotsTxt.Parse("User-agent: CrawlerNL\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 60\n\nUser-agent: crawlernl\nCrawl-delay: 7\n");

        Assert.That(robots.CrawlDelay(Us), Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public void Crawl_delay_falls_back_to_the_star_group()
    {
        var robots = RobotsTxt.Parse("User-agent: other\nCrawl-delay: 99\n\nUser-agent: *\nCrawl-delay: 4\n");

        Assert.That(robots.CrawlDelay(Us), Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [TestCase("User-agent: *\nDisallow: /\n", TestName = "Crawl_delay_is_null_when_absent")]
    [TestCase("User-agent: *\nCrawl-delay: soon\n", TestName = "Crawl_delay_that_is_not_a_number_is_ignored")]
    [TestCase("User-agent: *\nCrawl-delay: -5\n", TestName = "Negative_crawl_delay_is_ignored")]
    [TestCase("Crawl-delay: 5\nUser-agent: *\nDisallow: /x\n", TestName = "Crawl_delay_before_any_user_agent_is_ignored")]
    public void Crawl_delay_absent_or_unusable_gives_null(string robots)
    {
        Assert.That(RobotsTxt.Parse(robots).CrawlDelay(Us), Is.Null);
    }

    [Test]
    public void Crawl_delay_is_capped_at_one_day()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nCrawl-delay: 999999999\n");

        Assert.That(robots.CrawlDelay(Us), Is.EqualTo(TimeSpan.FromDays(1)));
    }

    [Test]
    public void A_600_KiB_file_is_parsed_for_the_rules_in_its_first_500_KiB()
    {
        var sb = new StringBuilder();
        sb.Append("User-agent: CrawlerNL\nDisallow: /early\nAllow: /early/open\n");
        var filler = "# " + new string('x', 1021) + "\n"; // 1 KiB per comment line
        while (sb.Length < 499 * 1024)
        {
            sb.Append(filler);
        }

        sb.Append("Disallow: /near-the-limit\n");
        while (sb.Length < 590 * 1024)
        {
            sb.Append(filler);
        }

        sb.Append("Disallow: /beyond-the-limit\n");
        while (sb.Length < 600 * 1024)
        {
            sb.Append(filler);
        }

        var text = sb.ToString();
        Assert.That(Encoding.UTF8.GetByteCount(text), Is.GreaterThanOrEqualTo(600 * 1024));

        var robots = RobotsTxt.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(robots.Evaluate(Us, "/early/page").Allowed, Is.False);
            Assert.That(robots.Evaluate(Us, "/early/open/page").Allowed, Is.True);
            Assert.That(robots.Evaluate(Us, "/near-the-limit").Allowed, Is.False);
            Assert.That(robots.Evaluate(Us, "/beyond-the-limit").Allowed, Is.True, "rules past the parse limit are ignored");
        });
    }

    [Test]
    public void The_parse_limit_is_at_least_500_KiB()
    {
        Assert.That(RobotsTxt.MaxParsedBytes, Is.GreaterThanOrEqualTo(500 * 1024));
    }

    [TestCase("/%7ejoe", "/~joe")]
    [TestCase("/%7Ejoe", "/~joe")]
    [TestCase("/café", "/caf%C3%A9")]
    [TestCase("/caf%c3%a9", "/caf%C3%A9")]
    [TestCase("/a%2fb", "/a%2Fb")]
    [TestCase("/plain", "/plain")]
    public void NormalisePath_makes_equivalent_encodings_equal(string path, string expected)
    {
        Assert.That(RobotsTxt.NormalisePath(path), Is.EqualTo(expected));
    }
}
