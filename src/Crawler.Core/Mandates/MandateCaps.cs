using Crawler.Core.Policy;
using Crawler.Core.Storage;

namespace Crawler.Core.Mandates;

/// <summary>
/// The mandate's caps and state at the moment a hit would be stored. Storage asks this inside the transaction
/// that stores the hit, so a revocation or a cap reached while the page was in flight cannot be overtaken.
/// </summary>
public static class MandateCaps
{
    public const string EndedInFlightRule = "mandate.ended-in-flight";

    /// <summary>Null when the hit may be stored; otherwise the rule and reason that refuse it.</summary>
    public static HitStoreResult? AdmitHit(Mandate? mandate, long mandateId, string targetName, DateTimeOffset at, MandateUsage usage,
        int knownContacts, int newContacts)
    {
        if (mandate is null)
        {
            return HitStoreResult.Refused(EndedInFlightRule, $"mandate {mandateId} no longer exists");
        }

        var state = mandate.StateAt(at);
        if (state != MandateState.Active)
        {
            return HitStoreResult.Refused(EndedInFlightRule, $"mandate {mandateId} is {state.ToString().ToLowerInvariant()} at {at:O}");
        }

        if (!mandate.Covers(targetName))
        {
            return HitStoreResult.Refused(EndedInFlightRule, $"mandate {mandateId} no longer names target '{targetName}'");
        }

        if (usage.HitsStored >= mandate.Spec.Limits.MaxHits)
        {
            return HitStoreResult.Refused("mandate.hit-cap", $"mandate {mandateId} has stored its {mandate.Spec.Limits.MaxHits} hits");
        }

        return mandate.Spec.Limits.MaxContacts is { } cap && knownContacts + newContacts > cap
            ? HitStoreResult.Refused("mandate.contact-cap",
                $"mandate {mandateId} may hold {cap} distinct contact identifiers; this hit would bring {knownContacts + newContacts}")
            : null;
    }
}
