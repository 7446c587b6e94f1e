using Crawler.Core.Targets;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>An edited target may narrow what a mandate's weighing covered, never grow it.</summary>
public sealed class TargetReachTests
{
    private static readonly TargetSpec Before = TestData.TargetSpec();

    private static IEnumerable<string> Fields(TargetSpec after) => TargetReach.Widenings(Before, after).Select(w => w.Field);

    [Test]
    public void The_same_target_or_a_narrower_one_does_not_widen()
    {
        Assert.That(Fields(Before), Is.Empty);
        Assert.That(Fields(TestData.TargetSpec(maxDepth: 1, maxPagesPerRun: 10, exclude: ["^/private/", "login", "^/tags/"])), Is.Empty);
        Assert.That(Fields(Before with { Seeds = [], Politeness = new Politeness(5000, 1), Schedule = null, Profile = "other" }), Is.Empty,
            "fewer seeds, gentler politeness, another schedule or profile reach no further");
        Assert.That(Fields(Before with { Seeds = ["HTTPS://ADS.EXAMPLE.NL/"] }), Is.Empty, "a seed in other letters is the same seed");
    }

    [Test]
    public void Each_way_of_reaching_further_is_named_by_its_field()
    {
        Assert.That(Fields(Before with { Seeds = ["https://ads.example.nl/", "https://ads.example.nl/vip/"] }), Is.EqualTo(new[] { "seeds" }));
        Assert.That(Fields(TestData.TargetSpec(hosts: ["ads.example.nl", "cdn.example.nl"])), Is.EqualTo(new[] { "scope.hosts" }));
        Assert.That(Fields(TestData.TargetSpec(include: ["^/"])), Is.EqualTo(new[] { "scope.include" }), "a changed include may open paths");
        Assert.That(Fields(TestData.TargetSpec(include: [])), Is.EqualTo(new[] { "scope.include" }), "no include at all opens every path");
        Assert.That(Fields(TestData.TargetSpec(exclude: ["login"])), Is.EqualTo(new[] { "scope.exclude" }));
        Assert.That(Fields(TestData.TargetSpec(maxDepth: 3)), Is.EqualTo(new[] { "scope.maxDepth" }));
        Assert.That(Fields(TestData.TargetSpec(maxPagesPerRun: 51)), Is.EqualTo(new[] { "scope.maxPagesPerRun" }));
    }

    [Test]
    public void Several_widenings_are_all_reported_with_what_grew()
    {
        var found = TargetReach.Widenings(Before, TestData.TargetSpec(hosts: ["ads.example.nl", "b.example"], maxDepth: 5));

        Assert.That(found.Select(w => $"{w.Field}: {w.Message}"), Is.EqualTo(new[] { "scope.hosts: adds b.example", "scope.maxDepth: deeper: 2 -> 5" }));
    }
}
