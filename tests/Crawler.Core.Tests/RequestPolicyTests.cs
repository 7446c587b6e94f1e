using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Robots;
using Crawler.Core.Targets;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class RequestPolicyTests
{
    private static readonly string[] PageChain =
    [
        "mandate.present", "mandate.approved", "mandate.window", "mandate.covers-target", "mandate.page-cap",
        "mandate.hit-cap", "url.scheme", "url.credentials", "scope.host", "url.length", "url.path-segments",
        "url.repeated-segment", "url.query-parameters", "url.file-type", "scope.exclude", "scope.include",
        "scope.depth", "run.page-cap", "robots",
    ];

    private static readonly string[] RobotsChain =
    [
        "mandate.present", "mandate.approved", "mandate.window", "mandate.covers-target", "url.scheme",
        "url.credentials", "scope.host",
    ];

    private static readonly RobotsTxt OpenRobots = RobotsTxt.Parse("User-agent: *\nDisallow: /ads/hidden\n");

    private static RequestContext Context(
        string url = "https://ads.example.nl/ads/1",
        int depth = 1,
        RequestPurpose purpose = RequestPurpose.Page,
        DateTimeOffset? now = null,
        CrawlTarget? target = null,
        Mandate? mandate = null,
        bool noMandate = false,
        MandateUsage? usage = null,
        int runPagesFetched = 0,
        bool lab = false,
        RobotsTxt? robots = null,
        bool noRobots = false) => new(
        new Uri(url),
        depth,
        purpose,
        now ?? TestData.InWindow,
        target ?? TestData.Target(),
        noMandate ? null : mandate ?? TestData.ApprovedMandate(),
        usage ?? MandateUsage.None,
        runPagesFetched,
        TestData.Policy,
        lab,
        noRobots ? null : robots ?? OpenRobots);

    private static void AssertRefused(PolicyDecision decision, string rule, string reasonFragment)
    {
        Assert.Multiple(() =>
        {
            Assert.That(decision.Verdict, Is.EqualTo(Verdict.Refuse));
            Assert.That(decision.Allowed, Is.False);
            Assert.That(decision.Rule, Is.EqualTo(rule));
            Assert.That(decision.Reason, Does.Contain(reasonFragment));
            Assert.That(decision.Trace[^1], Is.EqualTo(new RuleTrace(rule, RuleOutcome.Reject, decision.Reason)));
            Assert.That(decision.Trace.Take(decision.Trace.Count - 1).Select(t => t.Outcome), Is.All.EqualTo(RuleOutcome.Pass));
            Assert.That(decision.PolicyVersion, Is.EqualTo(TestData.Policy.Version));
        });
    }

    [Test]
    public void A_request_within_every_rule_is_allowed()
    {
        var decision = RequestPolicy.Decide(Context());

        Assert.Multiple(() =>
        {
            Assert.That(decision.Verdict, Is.EqualTo(Verdict.Allow));
            Assert.That(decision.Allowed, Is.True);
            Assert.That(decision.Rule, Is.EqualTo("allow.all-rules-passed"));
            Assert.That(decision.Rule, Is.EqualTo(RequestPolicy.AllowRule));
            Assert.That(decision.Reason, Is.EqualTo("every rule passed"));
            Assert.That(decision.Trace.Select(t => t.Rule), Is.EqualTo(PageChain));
            Assert.That(decision.Trace.Select(t => t.Outcome), Is.All.EqualTo(RuleOutcome.Pass));
            Assert.That(decision.PolicyVersion, Is.EqualTo(TestData.Policy.Version));
            Assert.That(decision.PolicyVersion, Is.Not.Empty);
            Assert.That(decision.MandateId, Is.EqualTo(42));
            Assert.That(decision.MandateVersion, Is.EqualTo(1));
            Assert.That(decision.Case, Is.EqualTo("2026-MH-0042"));
            Assert.That(decision.Lab, Is.False);
            Assert.That(decision.Url, Is.EqualTo("https://ads.example.nl/ads/1"));
            Assert.That(decision.At, Is.EqualTo(TestData.InWindow));
        });
    }

    [Test]
    public void An_allowed_decision_in_a_lab_carries_the_lab_flag()
    {
        var decision = RequestPolicy.Decide(Context(lab: true));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Allowed, Is.True);
            Assert.That(decision.Lab, Is.True);
            Assert.That(decision.Reason, Does.Contain("lab"));
        });
    }

    [Test]
    public void A_refusal_carries_the_policy_version_mandate_case_and_lab_flag()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://elsewhere.example.com/", lab: true));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Allowed, Is.False);
            Assert.That(decision.PolicyVersion, Is.EqualTo(TestData.Policy.Version));
            Assert.That(decision.MandateId, Is.EqualTo(42));
            Assert.That(decision.Case, Is.EqualTo("2026-MH-0042"));
            Assert.That(decision.Lab, Is.True);
        });
    }

    [Test]
    public void Seed_at_depth_zero_is_allowed_without_matching_include()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/about", depth: 0));

        Assert.That(decision.Allowed, Is.True, decision.Reason);
    }

    [Test]
    public void No_mandate_is_refused_by_mandate_present()
    {
        var decision = RequestPolicy.Decide(Context(noMandate: true));

        AssertRefused(decision, "mandate.present", "no mandate covers target 'demo-ads'");
        Assert.Multiple(() =>
        {
            Assert.That(decision.MandateId, Is.Null);
            Assert.That(decision.Case, Is.Null);
        });
    }

    [Test]
    public void A_mandate_still_awaiting_approval_is_refused_by_mandate_approved()
    {
        var decision = RequestPolicy.Decide(Context(mandate: TestData.RequestedMandate()));

        AssertRefused(decision, "mandate.approved", "awaiting approval");
    }

    [Test]
    public void A_rejected_mandate_is_refused_by_mandate_approved()
    {
        var rejected = MandateLifecycle.Reject(TestData.RequestedMandate(), TestData.Officer, "insufficient grounds", TestData.ApprovedAt);

        AssertRefused(RequestPolicy.Decide(Context(mandate: rejected)), "mandate.approved", "was rejected");
    }

    [Test]
    public void A_revoked_mandate_is_refused_by_mandate_approved()
    {
        var revoked = MandateLifecycle.Revoke(TestData.ApprovedMandate(), TestData.Officer, "case closed", TestData.InWindow);

        AssertRefused(RequestPolicy.Decide(Context(mandate: revoked)), "mandate.approved", "was revoked");
    }

    [Test]
    public void A_mandate_changed_after_approval_is_refused_by_mandate_approved()
    {
        var approved = TestData.ApprovedMandate();
        var changed = approved with { Spec = approved.Spec with { Targets = ["demo-ads", "other-site"] } };

        AssertRefused(RequestPolicy.Decide(Context(mandate: changed)), "mandate.approved", "changed after approval; the approval is void");
    }

    [Test]
    public void A_mandate_with_a_widened_window_after_approval_is_void_not_active()
    {
        var approved = TestData.ApprovedMandate();
        var changed = approved with { Spec = approved.Spec with { ValidUntil = approved.Spec.ValidUntil.AddDays(30) } };

        var decision = RequestPolicy.Decide(Context(mandate: changed, now: TestData.ValidUntil.AddDays(1)));

        AssertRefused(decision, "mandate.approved", "approval is void");
    }

    [Test]
    public void Before_valid_from_is_refused_by_mandate_window()
    {
        var decision = RequestPolicy.Decide(Context(now: TestData.ValidFrom.AddTicks(-1)));

        AssertRefused(decision, "mandate.window", "is valid from 2026-11-28");
    }

    [Test]
    public void At_valid_from_is_allowed()
    {
        Assert.That(RequestPolicy.Decide(Context(now: TestData.ValidFrom)).Allowed, Is.True);
    }

    [Test]
    public void At_valid_until_is_refused_by_mandate_window()
    {
        var decision = RequestPolicy.Decide(Context(now: TestData.ValidUntil));

        AssertRefused(decision, "mandate.window", "expired at 2027-01-27");
    }

    [Test]
    public void After_valid_until_is_refused_by_mandate_window()
    {
        var decision = RequestPolicy.Decide(Context(now: TestData.ValidUntil.AddDays(3)));

        AssertRefused(decision, "mandate.window", "expired");
    }

    [Test]
    public void A_mandate_not_naming_the_target_is_refused_by_mandate_covers_target()
    {
        var mandate = TestData.ApprovedMandate(TestData.MandateSpec("some-other-target"));

        AssertRefused(RequestPolicy.Decide(Context(mandate: mandate)), "mandate.covers-target", "does not name target 'demo-ads'");
    }

    [Test]
    public void A_mandate_that_used_its_pages_is_refused_by_mandate_page_cap()
    {
        var decision = RequestPolicy.Decide(Context(usage: new MandateUsage(500, 0)));

        AssertRefused(decision, "mandate.page-cap", "has used its 500 pages");
    }

    [Test]
    public void One_page_below_the_mandate_cap_is_allowed()
    {
        Assert.That(RequestPolicy.Decide(Context(usage: new MandateUsage(499, 99))).Allowed, Is.True);
    }

    [Test]
    public void A_mandate_that_stored_its_hits_is_refused_by_mandate_hit_cap()
    {
        var decision = RequestPolicy.Decide(Context(usage: new MandateUsage(10, 100)));

        AssertRefused(decision, "mandate.hit-cap", "has stored its 100 hits");
    }

    [Test]
    public void A_scheme_other_than_http_is_refused_by_url_scheme()
    {
        var decision = RequestPolicy.Decide(Context(url: "ftp://ads.example.nl/ads/1"));

        AssertRefused(decision, "url.scheme", "'ftp' is not http or https");
    }

    [Test]
    public void A_url_with_credentials_is_refused_by_url_credentials()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://user:secret@ads.example.nl/ads/1"));

        AssertRefused(decision, "url.credentials", "credentials are never fetched");
    }

    [Test]
    public void A_host_outside_the_scope_is_refused_by_scope_host()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://evil.example.com/ads/1"));

        AssertRefused(decision, "scope.host", "host 'evil.example.com' is not in the target's scope (ads.example.nl)");
    }

    [Test]
    public void A_subdomain_of_an_allowed_host_is_refused_by_scope_host()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://cdn.ads.example.nl/ads/1"));

        AssertRefused(decision, "scope.host", "is not in the target's scope");
    }

    [Test]
    public void A_wildcard_host_pattern_allows_a_subdomain()
    {
        var target = TestData.Target(TestData.TargetSpec(hosts: ["*.example.nl"]));

        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/ads/1", target: target));

        Assert.That(decision.Allowed, Is.True, decision.Reason);
    }

    [Test]
    public void A_wildcard_host_pattern_does_not_allow_the_domain_itself()
    {
        var target = TestData.Target(TestData.TargetSpec(hosts: ["*.example.nl"]));

        var decision = RequestPolicy.Decide(Context(url: "https://example.nl/ads/1", target: target));

        AssertRefused(decision, "scope.host", "host 'example.nl' is not in the target's scope (*.example.nl)");
    }

    [Test]
    public void A_wildcard_host_pattern_does_not_allow_a_lookalike_domain()
    {
        var target = TestData.Target(TestData.TargetSpec(hosts: ["*.example.nl"]));

        var decision = RequestPolicy.Decide(Context(url: "https://badexample.nl/ads/1", target: target));

        AssertRefused(decision, "scope.host", "host 'badexample.nl'");
    }

    [Test]
    public void A_path_matching_an_exclude_pattern_is_refused_by_scope_exclude()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/private/7"));

        AssertRefused(decision, "scope.exclude", "path matches exclude pattern '^/private/'");
    }

    [Test]
    public void An_exclude_pattern_also_applies_to_the_query()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/ads/1?next=login"));

        AssertRefused(decision, "scope.exclude", "exclude pattern 'login'");
    }

    [Test]
    public void An_exclude_pattern_applies_even_to_a_seed_at_depth_zero()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/login", depth: 0));

        AssertRefused(decision, "scope.exclude", "'login'");
    }

    [Test]
    public void A_path_matching_no_include_pattern_is_refused_by_scope_include()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/about", depth: 1));

        AssertRefused(decision, "scope.include", "path matches none of the include patterns");
    }

    [Test]
    public void An_empty_include_list_includes_everything()
    {
        var target = TestData.Target(TestData.TargetSpec(include: []));

        Assert.That(RequestPolicy.Decide(Context(url: "https://ads.example.nl/about", target: target)).Allowed, Is.True);
    }

    [Test]
    public void A_link_deeper_than_max_depth_is_refused_by_scope_depth()
    {
        var decision = RequestPolicy.Decide(Context(depth: 3));

        AssertRefused(decision, "scope.depth", "depth 3 exceeds maxDepth 2");
    }

    [Test]
    public void A_link_at_max_depth_is_allowed()
    {
        Assert.That(RequestPolicy.Decide(Context(depth: 2)).Allowed, Is.True);
    }

    [Test]
    public void A_run_that_fetched_its_pages_is_refused_by_run_page_cap()
    {
        var decision = RequestPolicy.Decide(Context(runPagesFetched: 50));

        AssertRefused(decision, "run.page-cap", "this run has fetched its 50 pages");
    }

    [Test]
    public void A_path_disallowed_by_robots_txt_is_refused_by_robots()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/ads/hidden/1"));

        AssertRefused(decision, "robots", "robots.txt disallows it: line 2: Disallow: /ads/hidden");
    }

    [Test]
    public void Robots_groups_for_our_product_token_from_the_policy_are_used()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nAllow: /\n\nUser-agent: CrawlerNL\nDisallow: /ads/\n");

        var decision = RequestPolicy.Decide(Context(robots: robots));

        Assert.That(TestData.Policy.ProductToken, Is.EqualTo("CrawlerNL"));
        AssertRefused(decision, "robots", "line 5");
    }

    [Test]
    public void A_host_whose_robots_txt_was_not_read_is_refused_by_robots()
    {
        var decision = RequestPolicy.Decide(Context(noRobots: true));

        AssertRefused(decision, "robots", "robots.txt for this host has not been read");
    }

    [Test]
    public void The_first_failing_rule_decides()
    {
        var decision = RequestPolicy.Decide(Context(url: "https://evil.example.com/private/x", depth: 9, runPagesFetched: 1000, noRobots: true));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rule, Is.EqualTo("scope.host"));
            Assert.That(decision.Trace.Select(t => t.Rule), Is.EqualTo(PageChain.TakeWhile(r => r != "url.length")));
        });
    }

    [Test]
    public void A_robots_txt_request_skips_path_depth_cap_and_robots_rules()
    {
        var decision = RequestPolicy.Decide(Context(
            url: "https://ads.example.nl/robots.txt",
            depth: 99,
            purpose: RequestPurpose.Robots,
            usage: new MandateUsage(500, 100),
            runPagesFetched: 1000,
            noRobots: true));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Allowed, Is.True, decision.Reason);
            Assert.That(decision.Rule, Is.EqualTo("allow.all-rules-passed"));
            Assert.That(decision.Trace.Select(t => t.Rule), Is.EqualTo(RobotsChain));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("robots"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("scope.depth"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("scope.exclude"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("scope.include"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("run.page-cap"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("mandate.page-cap"));
            Assert.That(decision.Trace.Select(t => t.Rule), Has.None.EqualTo("mandate.hit-cap"));
        });
    }

    [Test]
    public void A_robots_txt_request_still_needs_an_approved_mandate()
    {
        var decision = RequestPolicy.Decide(Context(
            url: "https://ads.example.nl/robots.txt", purpose: RequestPurpose.Robots, mandate: TestData.RequestedMandate()));

        AssertRefused(decision, "mandate.approved", "awaiting approval");
    }

    [Test]
    public void A_robots_txt_request_still_needs_the_host_in_scope()
    {
        var decision = RequestPolicy.Decide(Context(
            url: "https://evil.example.com/robots.txt", purpose: RequestPurpose.Robots, noRobots: true));

        AssertRefused(decision, "scope.host", "evil.example.com");
    }

    [Test]
    public void A_catastrophic_exclude_pattern_is_decided_in_linear_time()
    {
        // Scope patterns run non-backtracking: (a|aa)+ on a long run of a's followed by '!' cannot stall the gate.
        var target = TestData.Target(TestData.TargetSpec(exclude: ["^/(a|aa)+$", "^/a+!$"]));
        var url = "https://ads.example.nl/" + new string('a', 2000) + "!";

        var decision = RequestPolicy.Decide(Context(url: url, depth: 0, target: target));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rule, Is.EqualTo("scope.exclude"));
            Assert.That(decision.Reason, Does.Contain("^/a+!$"));
        });
    }

    [TestCase("https://ads.example.nl/photos/face.JPG")]
    [TestCase("https://ads.example.nl/files/terms.pdf")]
    public void A_denied_file_type_is_refused(string url)
    {
        AssertRefused(RequestPolicy.Decide(Context(url: url)), "url.file-type", "is not fetched");
    }

    [Test]
    public void A_robots_override_in_the_mandate_accepts_with_its_justification_and_says_so()
    {
        var spec = TestData.MandateSpec() with { RobotsOverride = "the site blocks all crawlers; the OvJ weighed it" };
        var decision = RequestPolicy.Decide(Context(url: "https://ads.example.nl/ads/hidden", mandate: TestData.ApprovedMandate(spec)));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Allowed, Is.True);
            Assert.That(decision.Rule, Is.EqualTo(RequestPolicy.RobotsOverrideRule));
            Assert.That(decision.Reason, Does.Contain("the OvJ weighed it").And.Contain("Disallow: /ads/hidden"));
            Assert.That(decision.Trace[^1].Outcome, Is.EqualTo(RuleOutcome.Accept));
        });
    }

    [TestCase("https://ads.example.nl/a/b/a/b/a/b/a/b", "url.repeated-segment")]
    [TestCase("https://ads.example.nl/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21", "url.path-segments")]
    [TestCase("https://ads.example.nl/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17", "url.query-parameters")]
    public void Crawler_traps_are_refused(string url, string rule)
    {
        AssertRefused(RequestPolicy.Decide(Context(url: url, depth: 0)), rule, "the policy allows");
    }

    [Test]
    public void An_overlong_url_is_refused()
    {
        AssertRefused(RequestPolicy.Decide(Context(url: "https://ads.example.nl/" + new string('x', 3000), depth: 0)), "url.length", "3023 characters");
    }

    [TestCase("/a/b/c", 1)]
    [TestCase("/a/b/a/c/a", 3)]
    [TestCase("/ab/a/abc", 1)]
    [TestCase("/", 0)]
    public void Repeated_segments_are_counted_whole(string path, int expected)
    {
        Assert.That(Crawler.Core.Urls.UrlRules.MaxRepeats(path), Is.EqualTo(expected));
    }

    private static Mandate KeepingImages() => TestData.ApprovedMandate(TestData.MandateSpec() with
    {
        DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Images] = Treatment.Keep },
    });

    [Test]
    public void An_image_of_a_stored_ad_is_judged_by_the_image_rules_only_when_the_mandate_keeps_images()
    {
        var kept = RequestPolicy.Decide(Context("https://ads.example.nl/img/1.jpg", depth: 9, purpose: RequestPurpose.Image, mandate: KeepingImages()));
        var dropped = RequestPolicy.Decide(Context("https://ads.example.nl/img/1.jpg", purpose: RequestPurpose.Image));
        var asPage = RequestPolicy.Decide(Context("https://ads.example.nl/img/1.jpg", mandate: KeepingImages()));

        Assert.Multiple(() =>
        {
            Assert.That(kept.Allowed, Is.True, kept.Reason);
            Assert.That(kept.Trace.Select(t => t.Rule), Does.Not.Contain("url.file-type").And.Not.Contain("scope.depth").And.Contain("mandate.images"));
            Assert.That(asPage.Trace.Select(t => t.Rule), Does.Not.Contain("mandate.images"), "pages are not judged by the image rule");
        });
        AssertRefused(dropped, "mandate.images", "does not keep images");
    }

    [Test]
    public void An_image_elsewhere_or_disallowed_by_robots_txt_is_refused()
    {
        AssertRefused(RequestPolicy.Decide(Context("https://cdn.example.com/1.jpg", purpose: RequestPurpose.Image, mandate: KeepingImages())), "scope.host", "cdn.example.com");
        AssertRefused(RequestPolicy.Decide(Context("https://ads.example.nl/ads/hidden.jpg", purpose: RequestPurpose.Image, mandate: KeepingImages())), "robots", "disallows");
    }
}
