using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Retention;
using Crawler.Core.Yaml;
using Crawler.Documents;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>Retention deadlines: the pure rules, with the repository's retention.yaml.</summary>
public sealed class RetentionRulesTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static RetentionPolicy Policy => RetentionPolicyReader.Read(new PolicyFileText(RetentionPolicyReader.FileName,
        File.ReadAllText(Path.Combine(TestData.PoliciesDir, RetentionPolicyReader.FileName))));

    private static Hit Hit(string review = "unreviewed", DateTimeOffset? reviewedAt = null, DateTimeOffset? restrictedAt = null) =>
        new(1, 42, 1, "2026-MH-0042", 7, 1, "https://ads.example.nl/ads/1", Fetched, new string('a', 64), null, null, [], [], [], 1, [], false, 0, "p",
            review, reviewedAt is { } at ? [new HitReview("sanne", at, review, "note")] : null, RestrictedAt: restrictedAt);

    [Test]
    public void The_deadline_is_the_earliest_known_anchor()
    {
        var period = new RetentionPeriod(AfterFetch: 90, AfterReview: 10, AfterMandateEnd: 0);
        var end = Fetched.AddDays(30);

        Assert.Multiple(() =>
        {
            Assert.That(RetentionRules.Deadline(period, Fetched, null, null), Is.EqualTo(Fetched.AddDays(90)), "only the fetch is known");
            Assert.That(RetentionRules.Deadline(period, Fetched, null, end), Is.EqualTo(end), "the mandate ended first");
            Assert.That(RetentionRules.Deadline(period, Fetched, Fetched.AddDays(1), end), Is.EqualTo(Fetched.AddDays(11)), "reviewed early");
            Assert.That(RetentionRules.Deadline(new RetentionPeriod(AfterMandateEnd: 183), Fetched, null, null), Is.Null, "not known while the mandate runs");
        });
    }

    [Test]
    public void An_unreviewed_hit_is_due_exactly_at_its_deadline_not_a_tick_before()
    {
        var deadline = Fetched.AddDays(90);

        var before = RetentionRules.ForHit(Hit(), WpgPurpose.Art9, null, Policy, deadline.AddTicks(-1));
        var at = RetentionRules.ForHit(Hit(), WpgPurpose.Art9, null, Policy, deadline);

        Assert.Multiple(() =>
        {
            Assert.That(before.DeleteAt, Is.EqualTo(deadline));
            Assert.That(before.Due, Is.EqualTo(RetentionAction.Keep));
            Assert.That(at.Due, Is.EqualTo(RetentionAction.Erase));
            Assert.That(at.Rule, Is.EqualTo("retention.unreviewed"));
        });
    }

    [Test]
    public void A_not_relevant_hit_goes_at_its_review()
    {
        var reviewed = Fetched.AddDays(2);

        var verdict = RetentionRules.ForHit(Hit("not-relevant", reviewed), WpgPurpose.Art9, null, Policy, reviewed);

        Assert.That(verdict.Due, Is.EqualTo(RetentionAction.Erase));
        Assert.That(verdict.Class, Is.EqualTo(RetentionClass.NotRelevant));
    }

    [Test]
    public void A_relevant_art9_hit_is_restricted_183_days_after_the_mandate_ends_and_destroyed_after_the_restricted_period()
    {
        var end = Fetched.AddDays(20);
        var hit = Hit("relevant", Fetched.AddDays(1));

        var running = RetentionRules.ForHit(hit, WpgPurpose.Art9, null, Policy, Fetched.AddDays(400));
        var due = RetentionRules.ForHit(hit, WpgPurpose.Art9, end, Policy, end.AddDays(183));
        var restricted = RetentionRules.ForHit(hit with { RestrictedAt = end.AddDays(183) }, WpgPurpose.Art9, end, Policy, end.AddDays(183 + 1826));

        Assert.Multiple(() =>
        {
            Assert.That(running.DeleteAt, Is.Null, "kept while the investigation runs");
            Assert.That(running.Due, Is.EqualTo(RetentionAction.Keep));
            Assert.That(due.Due, Is.EqualTo(RetentionAction.Restrict));
            Assert.That(restricted.Class, Is.EqualTo(RetentionClass.Restricted));
            Assert.That(restricted.Due, Is.EqualTo(RetentionAction.Erase));
        });
    }

    [Test]
    public void A_relevant_art8_hit_counts_from_its_fetch()
    {
        var verdict = RetentionRules.ForHit(Hit("relevant", Fetched), WpgPurpose.Art8, null, Policy, Fetched);

        Assert.That(verdict.DeleteAt, Is.EqualTo(Fetched.AddDays(1826)));
        Assert.That(verdict.Rule, Is.EqualTo("retention.relevant-art8"));
    }

    [Test]
    public void Without_a_restricted_period_a_relevant_hit_is_destroyed_at_once()
    {
        var policy = Policy with { RestrictedDays = 0 };
        var end = Fetched.AddDays(5);

        Assert.That(RetentionRules.ForHit(Hit("relevant", Fetched), WpgPurpose.Art9, end, policy, end.AddDays(183)).Due, Is.EqualTo(RetentionAction.Erase));
    }

    [Test]
    public void A_mandate_ends_at_its_validity_end_or_its_revocation_whichever_is_first()
    {
        var approved = TestData.ApprovedMandate();
        var revokedAt = TestData.InWindow;
        var revoked = MandateLifecycle.Revoke(approved, TestData.SecondOfficer, "case closed", revokedAt);

        Assert.Multiple(() =>
        {
            Assert.That(RetentionRules.MandateEnd(approved, [approved], TestData.InWindow), Is.Null, "still running");
            Assert.That(RetentionRules.MandateEnd(approved, [approved], TestData.ValidUntil), Is.EqualTo(TestData.ValidUntil));
            Assert.That(RetentionRules.MandateEnd(revoked, [revoked], revokedAt), Is.EqualTo(revokedAt));
        });
    }

    [Test]
    public void A_renewed_mandate_ends_when_its_successor_ends()
    {
        var first = TestData.ApprovedMandate();
        var renewedSpec = first.Spec with { ValidUntil = TestData.ValidUntil.AddDays(30) };
        var successor = MandateLifecycle.Approve(
            MandateLifecycle.NewVersion(first, renewedSpec, TestData.Specialist, TestData.InWindow, "renewal") with { Id = 43 },
            TestData.SecondOfficer, TestData.InWindow);
        var superseded = MandateLifecycle.Supersede(first, successor, TestData.InWindow);
        IReadOnlyList<Mandate> all = [superseded, successor];

        Assert.Multiple(() =>
        {
            Assert.That(RetentionRules.MandateEnd(superseded, all, TestData.ValidUntil), Is.Null, "the case goes on under the renewal");
            Assert.That(RetentionRules.MandateEnd(superseded, all, TestData.ValidUntil.AddDays(30)), Is.EqualTo(TestData.ValidUntil.AddDays(30)));
        });
    }

    [Test]
    public void A_snapshot_goes_with_the_mandate_end_or_after_30_days()
    {
        var end = Fetched.AddDays(3);

        Assert.Multiple(() =>
        {
            Assert.That(RetentionRules.ForSnapshot(Fetched, null, Policy, Fetched).DeleteAt, Is.EqualTo(Fetched.AddDays(30)));
            Assert.That(RetentionRules.ForSnapshot(Fetched, end, Policy, end).Due, Is.EqualTo(RetentionAction.Erase));
        });
    }

    [TestCase("snapshots:\n  afterFetch: 30\n", "unreviewed", "required section is missing")]
    [TestCase("snapshots: {}\n", "snapshots", "give at least one of")]
    [TestCase("snapshots:\n  afterFetch: -1\n", "snapshots.afterFetch", "")]
    [TestCase("snapshots:\n  afterFetch: 30\n  afterever: 3\n", "snapshots.afterever", "")]
    [TestCase("snapshots: [", "", "")]
    public void A_malformed_retention_policy_names_the_field_and_line(string yaml, string field, string message)
    {
        var ex = Assert.Throws<InputException>(() => RetentionPolicyReader.Read(new PolicyFileText("retention.yaml", yaml)));

        Assert.That(ex!.Problems.Any(p => p.File == "retention.yaml" && p.Field.StartsWith(field, StringComparison.Ordinal) &&
                                          p.Message.Contains(message, StringComparison.Ordinal)), Is.True,
            string.Join("\n", ex.Problems));
        Assert.That(ex.Problems.All(p => p.Line >= 0), Is.True);
    }

    [Test]
    public void The_shipped_retention_policy_reads()
    {
        var p = Policy;

        Assert.Multiple(() =>
        {
            Assert.That(p.RelevantArt9.AfterMandateEnd, Is.EqualTo(183));
            Assert.That(p.RestrictedDays, Is.EqualTo(1826));
            Assert.That(p.Schedule, Is.Not.Empty);
        });
    }
}
