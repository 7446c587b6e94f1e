using Crawler.Core.Users;

namespace Crawler.Core.Mandates;

/// <summary>A refused action: the rule that refused it and why, for the user and for the audit trail.</summary>
public sealed class RefusalException(string rule, string reason) : Exception(reason)
{
    public string Rule { get; } = rule;
}

/// <summary>The four-eyes lifecycle of a mandate. Pure: persistence and audit are the caller's.</summary>
public static class MandateLifecycle
{
    public static Mandate Request(MandateSpec spec, User requester, DateTimeOffset now)
    {
        if (requester.Role != Role.Specialist)
        {
            throw new RefusalException("mandate.request.role",
                $"only a specialist may request a mandate; '{requester.Name}' is {requester.Role.ToString().ToLowerInvariant()}");
        }

        return new Mandate(0, 1, spec, MandateStatus.Requested, requester.Name, now, null,
            [new MandateEvent(MandateStatus.Requested, requester.Name, now, null, spec.ContentSha256())]);
    }

    /// <param name="m">The requested mandate.</param>
    /// <param name="officer">The approving officer, never the requester.</param>
    /// <param name="now">The time of approval.</param>
    /// <param name="urgentConfirmWithin">For an urgent (oral) approval: how long until written confirmation is due; null for a written one.</param>
    public static Mandate Approve(Mandate m, User officer, DateTimeOffset now, TimeSpan? urgentConfirmWithin = null)
    {
        RequireOfficer(officer, "approve");
        RequireNotRequester(m, officer, "approve");
        RequireStatus(m, "approve", MandateStatus.Requested);
        if (now >= m.Spec.ValidUntil)
        {
            throw new RefusalException("mandate.approve.expired",
                $"mandate {m.Id} ends {m.Spec.ValidUntil:O}, which has passed; request a new one");
        }

        var hash = m.Spec.ContentSha256();
        var approval = urgentConfirmWithin is { } within
            ? new MandateApproval(officer.Name, now, hash, Urgent: true, ConfirmBy: now + within)
            : new MandateApproval(officer.Name, now, hash);
        return m with
        {
            Status = MandateStatus.Approved,
            Approval = approval,
            History = [.. m.History, new MandateEvent(MandateStatus.Approved, officer.Name, now,
                urgentConfirmWithin is null ? null : $"urgent oral approval; written confirmation due by {approval.ConfirmBy:O}", hash)],
        };
    }

    /// <summary>Written confirmation of an urgent approval, before it lapses.</summary>
    public static Mandate Confirm(Mandate m, User officer, DateTimeOffset now)
    {
        RequireOfficer(officer, "confirm");
        RequireNotRequester(m, officer, "confirm");
        RequireStatus(m, "confirm", MandateStatus.Approved);
        if (m.Approval is not { Urgent: true, ConfirmedAt: null } approval)
        {
            throw new RefusalException("mandate.confirm.not-urgent", $"mandate {m.Id} has no urgent approval awaiting written confirmation");
        }

        if (approval.LapsedAt(now))
        {
            throw new RefusalException("mandate.confirm.lapsed",
                $"the urgent approval of mandate {m.Id} lapsed at {approval.ConfirmBy:O}; request and approve it again");
        }

        return m with
        {
            Approval = approval with { ConfirmedBy = officer.Name, ConfirmedAt = now },
            History = [.. m.History, new MandateEvent(MandateStatus.Approved, officer.Name, now, "urgent approval confirmed in writing", approval.ContentSha256)],
        };
    }

    public static Mandate Suspend(Mandate m, User officer, string reason, DateTimeOffset now)
    {
        RequireOfficer(officer, "suspend");
        RequireReason(reason, "suspend");
        RequireStatus(m, "suspend", MandateStatus.Approved);
        return m with
        {
            Status = MandateStatus.Suspended,
            History = [.. m.History, new MandateEvent(MandateStatus.Suspended, officer.Name, now, reason, null)],
        };
    }

    /// <summary>A periodic necessity review. Ending revokes; narrowing is recorded and done by an amendment.</summary>
    public static Mandate Review(Mandate m, User officer, ReviewDecision decision, string note, DateTimeOffset now)
    {
        RequireOfficer(officer, "review");
        RequireReason(note, "review");
        if (m.Status is not (MandateStatus.Approved or MandateStatus.Suspended))
        {
            throw new RefusalException("mandate.transition", $"cannot review mandate {m.Id}: it is {m.Status.ToString().ToLowerInvariant()}");
        }

        var reviewed = m with { Reviews = [.. m.Reviews ?? [], new MandateReview(officer.Name, now, decision, note)] };
        return decision == ReviewDecision.End
            ? reviewed with
            {
                Status = MandateStatus.Revoked,
                History = [.. m.History, new MandateEvent(MandateStatus.Revoked, officer.Name, now, "necessity review: end — " + note, null)],
            }
            : reviewed;
    }

    /// <summary>A renewal or amendment: a new version with new content that needs its own approval.</summary>
    public static Mandate NewVersion(Mandate previous, MandateSpec spec, User requester, DateTimeOffset now, string kind)
    {
        if (previous.Status is not (MandateStatus.Approved or MandateStatus.Suspended))
        {
            throw new RefusalException("mandate.transition",
                $"cannot {kind} mandate {previous.Id}: it is {previous.Status.ToString().ToLowerInvariant()}; only an approved or suspended mandate has a next version");
        }

        var next = Request(spec, requester, now);
        return next with
        {
            Version = previous.Version + 1,
            PreviousId = previous.Id,
            History = [new MandateEvent(MandateStatus.Requested, requester.Name, now, $"{kind} of mandate {previous.Id} (version {previous.Version})", spec.ContentSha256())],
        };
    }

    /// <summary>The previous version once its successor is approved.</summary>
    public static Mandate Supersede(Mandate previous, Mandate successor, DateTimeOffset now) => previous with
    {
        Status = MandateStatus.Superseded,
        History = [.. previous.History, new MandateEvent(MandateStatus.Superseded, successor.Approval!.By, now,
            $"replaced by mandate {successor.Id} (version {successor.Version})", null)],
    };

    public static Mandate Reject(Mandate m, User officer, string reason, DateTimeOffset now)
    {
        RequireOfficer(officer, "reject");
        RequireReason(reason, "reject");
        RequireStatus(m, "reject", MandateStatus.Requested);
        return m with
        {
            Status = MandateStatus.Rejected,
            History = [.. m.History, new MandateEvent(MandateStatus.Rejected, officer.Name, now, reason, null)],
        };
    }

    public static Mandate Revoke(Mandate m, User officer, string reason, DateTimeOffset now)
    {
        RequireOfficer(officer, "revoke");
        RequireReason(reason, "revoke");
        if (m.Status == MandateStatus.Suspended)
        {
            m = m with { Status = MandateStatus.Approved };
        }

        RequireStatus(m, "revoke", MandateStatus.Approved);
        return m with
        {
            Status = MandateStatus.Revoked,
            History = [.. m.History, new MandateEvent(MandateStatus.Revoked, officer.Name, now, reason, null)],
        };
    }

    private static void RequireOfficer(User user, string action)
    {
        if (user.Role != Role.Officer)
        {
            throw new RefusalException("mandate.officer-only",
                $"only an officer may {action} a mandate; '{user.Name}' is {user.Role.ToString().ToLowerInvariant()}");
        }
    }

    private static void RequireNotRequester(Mandate m, User officer, string action)
    {
        if (string.Equals(officer.Name, m.RequestedBy, StringComparison.Ordinal))
        {
            throw new RefusalException("mandate.four-eyes",
                $"'{officer.Name}' requested mandate {m.Id} and may not {action} it: approval needs a second person");
        }
    }

    private static void RequireReason(string reason, string action)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RefusalException("mandate.reason-required", $"a reason is required to {action} a mandate");
        }
    }

    private static void RequireStatus(Mandate m, string action, MandateStatus expected)
    {
        if (m.Status != expected)
        {
            throw new RefusalException("mandate.transition",
                $"cannot {action} mandate {m.Id}: it is {m.Status.ToString().ToLowerInvariant()}, not {expected.ToString().ToLowerInvariant()}");
        }
    }
}
