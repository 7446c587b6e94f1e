using Crawler.Core.Mandates;
using NUnit.Framework;

namespace Crawler.Core.Tests;

/// <summary>Urgent approvals, suspension, necessity reviews and new versions.</summary>
public sealed class MandateVersionsAndReviewTests
{
    private static readonly TimeSpan ThreeDays = TimeSpan.FromDays(3);

    private static Mandate UrgentlyApproved() =>
        MandateLifecycle.Approve(TestData.RequestedMandate(), TestData.Officer, TestData.ApprovedAt, ThreeDays);

    [Test]
    public void An_urgent_approval_lapses_after_three_days_without_written_confirmation()
    {
        var m = UrgentlyApproved();
        var inWindowAfterLapse = TestData.ValidFrom.AddDays(10);

        Assert.Multiple(() =>
        {
            Assert.That(m.Approval!.ConfirmBy, Is.EqualTo(TestData.ApprovedAt + ThreeDays));
            Assert.That(m.StateAt(TestData.ApprovedAt.AddDays(1)), Is.EqualTo(MandateState.NotYetValid), "not lapsed yet");
            Assert.That(m.StateAt(TestData.ApprovedAt + ThreeDays), Is.EqualTo(MandateState.UrgentUnconfirmed));
            Assert.That(m.StateAt(inWindowAfterLapse), Is.EqualTo(MandateState.UrgentUnconfirmed));
        });
    }

    [Test]
    public void A_confirmed_urgent_approval_does_not_lapse()
    {
        var m = MandateLifecycle.Confirm(UrgentlyApproved(), TestData.Officer, TestData.ApprovedAt.AddDays(1), "OM-2026-0042");

        Assert.That(m.StateAt(TestData.ValidFrom.AddDays(10)), Is.EqualTo(MandateState.Active));
        Assert.That(m.Approval!.ConfirmedBy, Is.EqualTo("pieter"));
    }

    [Test]
    public void Confirming_too_late_is_refused()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Confirm(UrgentlyApproved(), TestData.Officer, TestData.ApprovedAt.AddDays(4), "OM-2026-0042"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.confirm.lapsed"));
    }

    [Test]
    public void Confirming_a_written_approval_is_refused()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Confirm(TestData.ApprovedMandate(), TestData.Officer, TestData.ApprovedAt, "OM-2026-0042"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.confirm.not-urgent"));
    }

    [Test]
    public void A_suspended_mandate_is_not_active_and_can_still_be_revoked()
    {
        var suspended = MandateLifecycle.Suspend(TestData.ApprovedMandate(), TestData.Officer, "tip withdrawn", TestData.InWindow);

        Assert.That(suspended.StateAt(TestData.InWindow), Is.EqualTo(MandateState.Suspended));
        var revoked = MandateLifecycle.Revoke(suspended, TestData.Officer, "ended", TestData.InWindow);
        Assert.That(revoked.Status, Is.EqualTo(MandateStatus.Revoked));
    }

    [Test]
    public void Suspending_needs_an_officer_and_a_reason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<RefusalException>(() => MandateLifecycle.Suspend(TestData.ApprovedMandate(), TestData.Specialist, "x", TestData.InWindow))!.Rule,
                Is.EqualTo("mandate.officer-only"));
            Assert.That(Assert.Throws<RefusalException>(() => MandateLifecycle.Suspend(TestData.ApprovedMandate(), TestData.Officer, " ", TestData.InWindow))!.Rule,
                Is.EqualTo("mandate.reason-required"));
            Assert.That(Assert.Throws<RefusalException>(() => MandateLifecycle.Suspend(TestData.RequestedMandate(), TestData.Officer, "x", TestData.InWindow))!.Rule,
                Is.EqualTo("mandate.transition"));
        });
    }

    [Test]
    public void A_review_that_ends_the_mandate_revokes_it_and_keeps_the_review()
    {
        var ended = MandateLifecycle.Review(TestData.ApprovedMandate(), TestData.Officer, ReviewDecision.End, "no longer necessary", TestData.InWindow);

        Assert.Multiple(() =>
        {
            Assert.That(ended.Status, Is.EqualTo(MandateStatus.Revoked));
            Assert.That(ended.Reviews!.Single().Decision, Is.EqualTo(ReviewDecision.End));
        });
    }

    [Test]
    public void A_review_is_due_every_period_and_at_expiry()
    {
        var m = TestData.ApprovedMandate();

        Assert.That(m.ReviewDueAt(90), Is.EqualTo(m.Spec.ValidUntil), "the window ends before 90 days pass");
        Assert.That(m.ReviewDueAt(30), Is.EqualTo(TestData.ApprovedAt.AddDays(30)));
        var reviewed = MandateLifecycle.Review(m, TestData.Officer, ReviewDecision.Continue, "still needed", TestData.ApprovedAt.AddDays(29));
        Assert.That(reviewed.ReviewDueAt(30), Is.EqualTo(TestData.ApprovedAt.AddDays(59)));
        Assert.That(TestData.RequestedMandate().ReviewDueAt(30), Is.Null, "nothing to review before approval");
    }

    [Test]
    public void A_new_version_needs_its_own_approval_and_supersedes_the_old_one_once_approved()
    {
        var old = TestData.ApprovedMandate();
        var renewed = MandateLifecycle.NewVersion(old, old.Spec with { ValidUntil = old.Spec.ValidUntil.AddDays(30) }, TestData.Specialist, TestData.InWindow, "renew") with { Id = 43 };

        Assert.Multiple(() =>
        {
            Assert.That(renewed.Version, Is.EqualTo(2));
            Assert.That(renewed.PreviousId, Is.EqualTo(old.Id));
            Assert.That(renewed.StateAt(TestData.InWindow), Is.EqualTo(MandateState.AwaitingApproval));
        });
        var approved = MandateLifecycle.Approve(renewed, TestData.SecondOfficer, TestData.InWindow);
        var superseded = MandateLifecycle.Supersede(old, approved, TestData.InWindow);
        Assert.That(superseded.StateAt(TestData.InWindow), Is.EqualTo(MandateState.Superseded));
    }

    [Test]
    public void A_revoked_mandate_has_no_next_version()
    {
        var revoked = MandateLifecycle.Revoke(TestData.ApprovedMandate(), TestData.Officer, "done", TestData.InWindow);

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.NewVersion(revoked, revoked.Spec, TestData.Specialist, TestData.InWindow, "renew"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.transition"));
    }

    [Test]
    public void An_officer_cannot_confirm_an_urgent_approval_of_their_own_request()
    {
        var own = UrgentlyApproved() with { RequestedBy = TestData.SecondOfficer.Name };

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Confirm(own, TestData.SecondOfficer, TestData.ApprovedAt.AddHours(1), "OM-2026-0042"));

        Assert.That(ex!.Rule, Is.EqualTo("mandate.four-eyes"));
    }
}
