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

    public static Mandate Approve(Mandate m, User officer, DateTimeOffset now)
    {
        RequireOfficer(officer, "approve");
        if (string.Equals(officer.Name, m.RequestedBy, StringComparison.Ordinal))
        {
            throw new RefusalException("mandate.four-eyes",
                $"'{officer.Name}' requested mandate {m.Id} and may not approve it: approval needs a second person");
        }

        RequireStatus(m, "approve", MandateStatus.Requested);
        if (now >= m.Spec.ValidUntil)
        {
            throw new RefusalException("mandate.approve.expired",
                $"mandate {m.Id} ends {m.Spec.ValidUntil:O}, which has passed; request a new one");
        }

        var hash = m.Spec.ContentSha256();
        return m with
        {
            Status = MandateStatus.Approved,
            Approval = new MandateApproval(officer.Name, now, hash),
            History = [.. m.History, new MandateEvent(MandateStatus.Approved, officer.Name, now, null, hash)],
        };
    }

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
