using Crawler.Core.Mandates;
using Crawler.Core.Users;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Crawler.Core.Tests;

public sealed class MandateLifecycleTests
{
    private static readonly DateTimeOffset Later = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static Mandate Requested() => TestData.RequestedMandate();

    private static Mandate Approved() => TestData.ApprovedMandate();

    private static Mandate Rejected() => MandateLifecycle.Reject(Requested(), TestData.Officer, "no grounds", Later);

    private static Mandate Revoked() => MandateLifecycle.Revoke(Approved(), TestData.Officer, "case closed", Later);

    private static Mandate ByName(string which) => which switch
    {
        "requested" => Requested(),
        "approved" => Approved(),
        "rejected" => Rejected(),
        "revoked" => Revoked(),
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, null),
    };

    [Test]
    public void A_specialist_requests_a_mandate()
    {
        var spec = TestData.MandateSpec();

        var m = MandateLifecycle.Request(spec, TestData.Specialist, TestData.RequestedAt);

        Assert.Multiple(() =>
        {
            Assert.That(m.Status, Is.EqualTo(MandateStatus.Requested));
            Assert.That(m.RequestedBy, Is.EqualTo("sanne"));
            Assert.That(m.RequestedAt, Is.EqualTo(TestData.RequestedAt));
            Assert.That(m.Version, Is.EqualTo(1));
            Assert.That(m.Approval, Is.Null);
            Assert.That(m.Spec, Is.SameAs(spec));
            Assert.That(m.History, Is.EqualTo(new[]
            {
                new MandateEvent(MandateStatus.Requested, "sanne", TestData.RequestedAt, null, spec.ContentSha256()),
            }));
        });
    }

    [TestCase(Role.Officer)]
    [TestCase(Role.Admin)]
    [TestCase(Role.Auditor)]
    public void Only_a_specialist_may_request_a_mandate(Role role)
    {
        var user = new User("someone", role, TestData.CreatedAt, "admin");

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Request(TestData.MandateSpec(), user, TestData.RequestedAt));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.request.role"));
            Assert.That(ex.Message, Does.Contain("only a specialist may request"));
            Assert.That(ex.Message, Does.Contain(role.ToString().ToLowerInvariant()));
        });
    }

    [Test]
    public void An_officer_approves_a_requested_mandate_and_the_approval_records_the_content_hash()
    {
        var requested = Requested();

        var approved = MandateLifecycle.Approve(requested, TestData.Officer, TestData.ApprovedAt);

        var hash = requested.Spec.ContentSha256();
        Assert.Multiple(() =>
        {
            Assert.That(approved.Status, Is.EqualTo(MandateStatus.Approved));
            Assert.That(approved.Approval, Is.EqualTo(new MandateApproval("pieter", TestData.ApprovedAt, hash)));
            Assert.That(approved.History, Has.Count.EqualTo(2));
            Assert.That(approved.History[1], Is.EqualTo(new MandateEvent(MandateStatus.Approved, "pieter", TestData.ApprovedAt, null, hash)));
            Assert.That(requested.Status, Is.EqualTo(MandateStatus.Requested), "transitions return a new value");
            Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
        });
    }

    [Test]
    public void An_officer_rejects_a_requested_mandate_with_a_reason()
    {
        var rejected = MandateLifecycle.Reject(Requested(), TestData.Officer, "no grounds", Later);

        Assert.Multiple(() =>
        {
            Assert.That(rejected.Status, Is.EqualTo(MandateStatus.Rejected));
            Assert.That(rejected.Approval, Is.Null);
            Assert.That(rejected.History[^1], Is.EqualTo(new MandateEvent(MandateStatus.Rejected, "pieter", Later, "no grounds", null)));
        });
    }

    [Test]
    public void An_officer_revokes_an_approved_mandate_with_a_reason()
    {
        var revoked = MandateLifecycle.Revoke(Approved(), TestData.SecondOfficer, "case closed", Later);

        Assert.Multiple(() =>
        {
            Assert.That(revoked.Status, Is.EqualTo(MandateStatus.Revoked));
            Assert.That(revoked.History.Select(e => e.Status), Is.EqualTo(TestData.Seq(MandateStatus.Requested, MandateStatus.Approved, MandateStatus.Revoked)));
            Assert.That(revoked.History[^1], Is.EqualTo(new MandateEvent(MandateStatus.Revoked, "olga", Later, "case closed", null)));
        });
    }

    [TestCase("approved", "approve")]
    [TestCase("rejected", "approve")]
    [TestCase("revoked", "approve")]
    [TestCase("approved", "reject")]
    [TestCase("rejected", "reject")]
    [TestCase("revoked", "reject")]
    [TestCase("requested", "revoke")]
    [TestCase("rejected", "revoke")]
    [TestCase("revoked", "revoke")]
    public void Forbidden_transitions_are_refused(string from, string action)
    {
        var m = ByName(from);
        var officer = TestData.SecondOfficer;

        var ex = Assert.Throws<RefusalException>(() => _ = action switch
        {
            "approve" => MandateLifecycle.Approve(m, officer, Later),
            "reject" => MandateLifecycle.Reject(m, officer, "a reason", Later),
            "revoke" => MandateLifecycle.Revoke(m, officer, "a reason", Later),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        });

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.transition"));
            Assert.That(ex.Message, Does.Contain($"cannot {action} mandate 42: it is {from}"));
        });
    }

    [Test]
    public void The_requester_may_not_approve_their_own_mandate()
    {
        var own = Requested() with { RequestedBy = TestData.Officer.Name };

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Approve(own, TestData.Officer, TestData.ApprovedAt));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.four-eyes"));
            Assert.That(ex.Message, Does.Contain("'pieter' requested mandate 42 and may not approve it"));
        });
    }

    [TestCase(Role.Admin)]
    [TestCase(Role.Specialist)]
    [TestCase(Role.Auditor)]
    public void Only_an_officer_may_approve(Role role)
    {
        var user = new User("nobody", role, TestData.CreatedAt, "admin");

        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Approve(Requested(), user, TestData.ApprovedAt));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.officer-only"));
            Assert.That(ex.Message, Does.Contain("only an officer may approve a mandate"));
        });
    }

    [Test]
    public void The_requesting_specialist_may_not_approve_either()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Approve(Requested(), TestData.Specialist, TestData.ApprovedAt));

        Assert.That(ex.Rule, Is.EqualTo("mandate.officer-only"));
    }

    [Test]
    public void Only_an_officer_may_reject()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Reject(Requested(), TestData.Admin, "no", Later));

        Assert.That(ex.Rule, Is.EqualTo("mandate.officer-only"));
    }

    [Test]
    public void Only_an_officer_may_revoke()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Revoke(Approved(), TestData.Specialist, "no", Later));

        Assert.That(ex.Rule, Is.EqualTo("mandate.officer-only"));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Reject_without_a_reason_is_refused(string reason)
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Reject(Requested(), TestData.Officer, reason, Later));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.reason-required"));
            Assert.That(ex.Message, Does.Contain("a reason is required to reject"));
        });
    }

    [TestCase("")]
    [TestCase("\t")]
    public void Revoke_without_a_reason_is_refused(string reason)
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Revoke(Approved(), TestData.Officer, reason, Later));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Rule, Is.EqualTo("mandate.reason-required"));
            Assert.That(ex.Message, Does.Contain("a reason is required to revoke"));
        });
    }

    [Test]
    public void Approval_after_the_window_has_ended_is_refused()
    {
        var ex = Assert.Throws<RefusalException>(() => MandateLifecycle.Approve(Requested(), TestData.Officer, TestData.ValidUntil));

        Assert.That(ex.Rule, Is.EqualTo("mandate.approve.expired"));
    }

    [Test]
    public void StateAt_of_a_requested_mandate_is_awaiting_approval()
    {
        Assert.That(Requested().StateAt(TestData.InWindow), Is.EqualTo(MandateState.AwaitingApproval));
    }

    [Test]
    public void StateAt_of_a_rejected_mandate_is_rejected()
    {
        Assert.That(Rejected().StateAt(TestData.InWindow), Is.EqualTo(MandateState.Rejected));
    }

    [Test]
    public void StateAt_of_a_revoked_mandate_is_revoked()
    {
        Assert.That(Revoked().StateAt(TestData.InWindow), Is.EqualTo(MandateState.Revoked));
    }

    [Test]
    public void StateAt_of_an_approved_mandate_before_its_window_is_not_yet_valid()
    {
        Assert.That(Approved().StateAt(TestData.ValidFrom.AddSeconds(-1)), Is.EqualTo(MandateState.NotYetValid));
    }

    [Test]
    public void StateAt_of_an_approved_mandate_in_its_window_is_active()
    {
        var m = Approved();

        Assert.Multiple(() =>
        {
            Assert.That(m.StateAt(TestData.ValidFrom), Is.EqualTo(MandateState.Active));
            Assert.That(m.StateAt(TestData.InWindow), Is.EqualTo(MandateState.Active));
            Assert.That(m.StateAt(TestData.ValidUntil.AddTicks(-1)), Is.EqualTo(MandateState.Active));
        });
    }

    [Test]
    public void StateAt_of_an_approved_mandate_at_or_after_valid_until_is_expired()
    {
        var m = Approved();

        Assert.Multiple(() =>
        {
            Assert.That(m.StateAt(TestData.ValidUntil), Is.EqualTo(MandateState.Expired));
            Assert.That(m.StateAt(TestData.ValidUntil.AddDays(1)), Is.EqualTo(MandateState.Expired));
        });
    }

    [Test]
    public void StateAt_of_an_approved_mandate_whose_content_changed_is_approval_void()
    {
        var m = Approved();
        var changed = m with { Spec = m.Spec with { Limits = new MandateLimits(5000, 100) } };

        Assert.That(changed.StateAt(TestData.InWindow), Is.EqualTo(MandateState.ApprovalVoid));
    }

    [Test]
    public void StateAt_of_an_approved_status_without_an_approval_is_approval_void()
    {
        var forged = Requested() with { Status = MandateStatus.Approved };

        Assert.That(forged.StateAt(TestData.InWindow), Is.EqualTo(MandateState.ApprovalVoid));
    }

    [Test]
    public void An_approved_mandate_becomes_active_and_then_expires_as_time_passes()
    {
        var time = new FakeTimeProvider(TestData.RequestedAt);
        var requested = MandateLifecycle.Request(TestData.MandateSpec(), TestData.Specialist, time.GetUtcNow());
        time.Advance(TimeSpan.FromDays(1));
        var approved = MandateLifecycle.Approve(requested, TestData.Officer, time.GetUtcNow());
        var states = new List<MandateState> { approved.StateAt(time.GetUtcNow()) };

        time.SetUtcNow(TestData.ValidFrom);
        states.Add(approved.StateAt(time.GetUtcNow()));
        time.SetUtcNow(TestData.ValidUntil);
        states.Add(approved.StateAt(time.GetUtcNow()));

        Assert.That(states, Is.EqualTo(TestData.Seq(MandateState.NotYetValid, MandateState.Active, MandateState.Expired)));
    }

    [Test]
    public void Covers_compares_target_names_exactly()
    {
        var m = Approved();

        Assert.Multiple(() =>
        {
            Assert.That(m.Covers("demo-ads"), Is.True);
            Assert.That(m.Covers("Demo-Ads"), Is.False);
            Assert.That(m.Covers("demo"), Is.False);
        });
    }

    [Test]
    public void ContentSha256_is_stable_for_equal_content()
    {
        var a = TestData.MandateSpec();
        var b = TestData.MandateSpec() with { Targets = new List<string> { "demo-ads" } };

        Assert.Multiple(() =>
        {
            Assert.That(b.ContentSha256(), Is.EqualTo(a.ContentSha256()));
            Assert.That(a.ContentSha256(), Does.Match("^[0-9a-f]{64}$"));
        });
    }

    [Test]
    public void ContentSha256_does_not_depend_on_the_order_of_data_categories()
    {
        var a = TestData.MandateSpec() with
        {
            DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Email] = Treatment.Keep, [DataCategory.Phone] = Treatment.Pseudonymise },
        };
        var b = TestData.MandateSpec() with
        {
            DataCategories = new Dictionary<DataCategory, Treatment> { [DataCategory.Phone] = Treatment.Pseudonymise, [DataCategory.Email] = Treatment.Keep },
        };

        Assert.That(b.ContentSha256(), Is.EqualTo(a.ContentSha256()));
    }

    private static IEnumerable<TestCaseData> ChangedFields()
    {
        var s = TestData.MandateSpec();
        yield return new TestCaseData(s with { Case = "2026-MH-0043" }).SetArgDisplayNames("Case");
        yield return new TestCaseData(s with { CaseName = "Onderzoek Roos" }).SetArgDisplayNames("CaseName");
        yield return new TestCaseData(s with { LegalBasis = "art3-politiewet" }).SetArgDisplayNames("LegalBasis");
        yield return new TestCaseData(s with { WpgPurpose = WpgPurpose.Art8 }).SetArgDisplayNames("WpgPurpose");
        yield return new TestCaseData(s with { Purpose = s.Purpose + "." }).SetArgDisplayNames("Purpose");
        yield return new TestCaseData(s with { Offence = "Other" }).SetArgDisplayNames("Offence");
        yield return new TestCaseData(s with { Suspect = "Someone else" }).SetArgDisplayNames("Suspect");
        yield return new TestCaseData(s with { FactsAndCircumstances = "New facts" }).SetArgDisplayNames("FactsAndCircumstances");
        yield return new TestCaseData(s with { Targets = ["demo-ads", "more-ads"] }).SetArgDisplayNames("Targets");
        yield return new TestCaseData(s with { ValidFrom = s.ValidFrom.AddSeconds(1) }).SetArgDisplayNames("ValidFrom");
        yield return new TestCaseData(s with { ValidUntil = s.ValidUntil.AddDays(1) }).SetArgDisplayNames("ValidUntil");
        yield return new TestCaseData(s with { Limits = s.Limits with { MaxPages = 501 } }).SetArgDisplayNames("Limits_MaxPages");
        yield return new TestCaseData(s with { Limits = s.Limits with { MaxHits = 101 } }).SetArgDisplayNames("Limits_MaxHits");
        yield return new TestCaseData(s with
        {
            DataCategories = new Dictionary<DataCategory, Treatment>(s.DataCategories) { [DataCategory.Phone] = Treatment.Keep },
        }).SetArgDisplayNames("DataCategories_treatment");
        yield return new TestCaseData(s with
        {
            DataCategories = new Dictionary<DataCategory, Treatment>(s.DataCategories) { [DataCategory.Name] = Treatment.Keep },
        }).SetArgDisplayNames("DataCategories_added");
        yield return new TestCaseData(s with { Linking = true }).SetArgDisplayNames("Linking");
    }

    [TestCaseSource(nameof(ChangedFields))]
    public void ContentSha256_changes_when_any_field_changes(MandateSpec changed)
    {
        Assert.That(changed.ContentSha256(), Is.Not.EqualTo(TestData.MandateSpec().ContentSha256()));
    }
}
