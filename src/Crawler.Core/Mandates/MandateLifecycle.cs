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

    /// <summary>
    /// Written confirmation of an urgent approval, before it lapses, by the officer who gave it orally (who
    /// alone can vouch for what was said), naming the written order.
    /// </summary>
    public static Mandate Confirm(Mandate m, User officer, DateTimeOffset now, string writtenOrder)
    {
        RequireOfficer(officer, "confirm");
        RequireNotRequester(m, officer, "confirm");
        RequireStatus(m, "confirm", MandateStatus.Approved);
        if (m.Approval is not { Urgent: true, ConfirmedAt: null } approval)
        {
            throw new RefusalException("mandate.confirm.not-urgent", $"mandate {m.Id} has no urgent approval awaiting written confirmation");
        }

        if (!string.Equals(approval.By, officer.Name, StringComparison.Ordinal))
        {
            throw new RefusalException("mandate.confirm.other-officer",
                $"the urgent approval of mandate {m.Id} was given by '{approval.By}'; only they can confirm it in writing");
        }

        if (string.IsNullOrWhiteSpace(writtenOrder))
        {
            throw new RefusalException("mandate.confirm.written-order", "name the written order that confirms the urgent approval (its reference)");
        }

        if (approval.LapsedAt(now))
        {
            throw new RefusalException("mandate.confirm.lapsed",
                $"the urgent approval of mandate {m.Id} lapsed at {approval.ConfirmBy:O}; request and approve it again");
        }

        return m with
        {
            Approval = approval with { ConfirmedBy = officer.Name, ConfirmedAt = now, WrittenOrder = writtenOrder.Trim() },
            History = [.. m.History, new MandateEvent(MandateStatus.Approved, officer.Name, now,
                "urgent approval confirmed in writing: " + writtenOrder.Trim(), approval.ContentSha256)],
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

        if (spec.ContentSha256() == previous.Spec.ContentSha256())
        {
            throw new RefusalException("mandate.unchanged",
                $"the {kind} of mandate {previous.Id} has the same content as version {previous.Version}: change the window or the order, or keep the one in force");
        }

        var next = Request(spec, requester, now);
        return next with
        {
            Version = previous.Version + 1,
            PreviousId = previous.Id,
            History = [new MandateEvent(MandateStatus.Requested, requester.Name, now, $"{kind} of mandate {previous.Id} (version {previous.Version})", spec.ContentSha256())],
        };
    }

    /// <summary>The request of a next version of <paramref name="previousId"/> awaiting a decision, if any: there may be one at most.</summary>
    public static Mandate? PendingVersionOf(long previousId, IReadOnlyList<Mandate> all) =>
        all.FirstOrDefault(m => m.PreviousId == previousId && m.Status == MandateStatus.Requested);

    public static void RequireNoPendingVersion(Mandate previous, IReadOnlyList<Mandate> all)
    {
        if (PendingVersionOf(previous.Id, all) is { } pending)
        {
            throw PendingVersionRefusal(previous, pending);
        }
    }

    public static RefusalException PendingVersionRefusal(Mandate previous, Mandate? pending) =>
        new("mandate.version-pending", pending is null
            ? $"another next version of mandate {previous.Id} was filed at the same moment; see 'crawler mandate history {previous.Id}'"
            : $"mandate {pending.Id} (version {pending.Version}) is already awaiting a decision as the next version of mandate {previous.Id}: " +
              "let an officer decide on it (or reject it) first");

    /// <summary>
    /// What approving <paramref name="approved"/> does to the version it was requested of: that version is
    /// superseded, and must still be in force; a renewal of a revoked or superseded version is never approved.
    /// Null for a first version.
    /// </summary>
    public static Mandate? SupersededBy(Mandate? previous, Mandate approved, DateTimeOffset now)
    {
        if (approved.PreviousId is null)
        {
            return null;
        }

        if (previous is null || previous.Id != approved.PreviousId)
        {
            throw new RefusalException("mandate.predecessor-missing", $"mandate {approved.Id} names version {approved.PreviousId}, which does not exist");
        }

        if (previous.Status is not (MandateStatus.Approved or MandateStatus.Suspended))
        {
            throw new RefusalException("mandate.predecessor-ended",
                $"mandate {approved.Id} would replace mandate {previous.Id}, which is {previous.Status.ToString().ToLowerInvariant()}: " +
                "request a new mandate instead of approving this version");
        }

        return Supersede(previous, approved, now);
    }

    /// <summary>Every version of the case <paramref name="id"/> belongs to (linked by PreviousId either way), oldest first.</summary>
    public static IReadOnlyList<Mandate> Lineage(long id, IReadOnlyList<Mandate> all)
    {
        var byId = all.ToDictionary(m => m.Id);
        var root = id;
        for (var guard = 0; guard < all.Count && byId.TryGetValue(root, out var m) && m.PreviousId is { } p && byId.ContainsKey(p); guard++)
        {
            root = p;
        }

        var found = new List<Mandate>();
        var queue = new Queue<long>([root]);
        var seen = new HashSet<long>();
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (!seen.Add(next) || !byId.TryGetValue(next, out var m))
            {
                continue;
            }

            found.Add(m);
            foreach (var later in all.Where(x => x.PreviousId == next))
            {
                queue.Enqueue(later.Id);
            }
        }

        return found.OrderBy(m => m.Id).ToList();
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
