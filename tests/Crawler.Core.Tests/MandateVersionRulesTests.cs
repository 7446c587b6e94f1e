using Crawler.Core.Mandates;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>Renewals and amendments: at most one next version, never an identical one, and approval supersedes exactly its predecessor.</summary>
public sealed class MandateVersionRulesTests
{
    private static Mandate Renewal(Mandate previous, int days = 30) =>
        MandateLifecycle.NewVersion(previous, previous.Spec with { ValidUntil = previous.Spec.ValidUntil.AddDays(days) }, TestData.Specialist,
            TestData.InWindow, "renew") with { Id = previous.Id + 1 };

    [Test]
    public void A_renewal_with_unchanged_content_is_refused()
    {
        var approved = TestData.ApprovedMandate();

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.NewVersion(approved, approved.Spec, TestData.Specialist, TestData.InWindow, "renew"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.unchanged"));
    }

    [Test]
    public void A_second_next_version_is_refused_while_one_awaits_a_decision()
    {
        var approved = TestData.ApprovedMandate();
        var pending = Renewal(approved);

        Assert.That(MandateLifecycle.PendingVersionOf(approved.Id, [approved, pending]), Is.EqualTo(pending));
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.RequireNoPendingVersion(approved, [approved, pending]));
        Assert.That(ex!.Rule, Is.EqualTo("mandate.version-pending"));
        Assert.That(ex.Message, Does.Contain($"mandate {pending.Id}"));
    }

    [Test]
    public void A_rejected_next_version_does_not_block_another()
    {
        var approved = TestData.ApprovedMandate();
        var rejected = MandateLifecycle.Reject(Renewal(approved), TestData.Officer, "too long", TestData.InWindow);

        Assert.DoesNotThrow(() => MandateLifecycle.RequireNoPendingVersion(approved, [approved, rejected]));
    }

    [Test]
    public void Approving_a_version_supersedes_its_predecessor()
    {
        var approved = TestData.ApprovedMandate();
        var next = MandateLifecycle.Approve(Renewal(approved), TestData.SecondOfficer, TestData.InWindow);

        var superseded = MandateLifecycle.SupersededBy(approved, next, TestData.InWindow);

        Assert.That(superseded!.Status, Is.EqualTo(MandateStatus.Superseded));
        Assert.That(MandateLifecycle.SupersededBy(null, TestData.ApprovedMandate(), TestData.InWindow), Is.Null, "a first version replaces nothing");
    }

    [TestCase(MandateStatus.Revoked)]
    [TestCase(MandateStatus.Superseded)]
    public void A_version_of_a_mandate_no_longer_in_force_is_never_approved(MandateStatus status)
    {
        var approved = TestData.ApprovedMandate();
        var next = MandateLifecycle.Approve(Renewal(approved), TestData.SecondOfficer, TestData.InWindow);

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.SupersededBy(approved with { Status = status }, next, TestData.InWindow));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.predecessor-ended"));
    }

    [Test]
    public void The_lineage_holds_every_version_whichever_is_asked_for()
    {
        var v1 = TestData.ApprovedMandate();
        var v2 = Renewal(v1);
        var other = TestData.ApprovedMandate() with { Id = 99 };
        var v3 = Renewal(v2 with { Status = MandateStatus.Approved });

        Assert.That(MandateLifecycle.Lineage(v3.Id, [other, v1, v2, v3]).Select(m => m.Id), Is.EqualTo(new[] { v1.Id, v2.Id, v3.Id }));
        Assert.That(MandateLifecycle.Lineage(v1.Id, [other, v1, v2, v3]).Select(m => m.Id), Is.EqualTo(new[] { v1.Id, v2.Id, v3.Id }));
    }

    [Test]
    public void Only_the_officer_who_approved_orally_confirms_in_writing()
    {
        var urgent = MandateLifecycle.Approve(TestData.RequestedMandate(), TestData.Officer, TestData.ApprovedAt, TimeSpan.FromDays(3));

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Confirm(urgent, TestData.SecondOfficer, TestData.ApprovedAt.AddHours(2), "OM-1"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.confirm.other-officer"));
    }

    [Test]
    public void A_written_confirmation_names_its_order()
    {
        var urgent = MandateLifecycle.Approve(TestData.RequestedMandate(), TestData.Officer, TestData.ApprovedAt, TimeSpan.FromDays(3));

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Confirm(urgent, TestData.Officer, TestData.ApprovedAt.AddHours(2), "  "));
        var confirmed = MandateLifecycle.Confirm(urgent, TestData.Officer, TestData.ApprovedAt.AddHours(2), " OM-2026-0042 ");

        Assert.That(ex!.Rule, Is.EqualTo("mandate.confirm.written-order"));
        Assert.That(confirmed.Approval!.WrittenOrder, Is.EqualTo("OM-2026-0042"));
        Assert.That(confirmed.History[^1].Reason, Does.Contain("OM-2026-0042"));
    }

    [Test]
    public void The_written_order_does_not_change_what_the_approval_binds()
    {
        var urgent = MandateLifecycle.Approve(TestData.RequestedMandate(), TestData.Officer, TestData.ApprovedAt, TimeSpan.FromDays(3));
        var confirmed = MandateLifecycle.Confirm(urgent, TestData.Officer, TestData.ApprovedAt.AddHours(2), "OM-2026-0042");

        Assert.That(confirmed.ApprovalIntact(), Is.True);
        Assert.That(confirmed.StateAt(TestData.InWindow), Is.EqualTo(MandateState.Active));
    }
}
