namespace Crawler.Core.Users;

/// <summary>What a signed-in person may be allowed to do. <see cref="AccessPolicy"/> says who may.</summary>
public enum Permission
{
    /// <summary>Add users.</summary>
    UsersAdd,

    /// <summary>See who has which role.</summary>
    UsersRead,

    /// <summary>Unlock, reset or disable another user's account.</summary>
    UsersManage,

    /// <summary>Add crawl targets.</summary>
    TargetsWrite,

    /// <summary>Read crawl targets.</summary>
    TargetsRead,

    /// <summary>Weigh a mandate file without filing it.</summary>
    MandatesAssess,

    /// <summary>Request a mandate, or its renewal or amendment.</summary>
    MandatesRequest,

    /// <summary>Approve, confirm, reject, suspend, revoke or review a mandate.</summary>
    MandatesDecide,

    /// <summary>Read mandates, their weighing and history.</summary>
    MandatesRead,

    /// <summary>Start a crawl.</summary>
    CrawlRun,

    /// <summary>Ask the gate what it would decide for a URL.</summary>
    PolicyExplain,

    /// <summary>Read the review queue and hits.</summary>
    HitsRead,

    /// <summary>Read hits in the restricted store (Wpg art. 14).</summary>
    HitsReadRestricted,

    /// <summary>Record a review verdict on a hit.</summary>
    HitsReview,

    /// <summary>Link a mandate's hits into clusters.</summary>
    HitsLink,

    /// <summary>Reveal a pseudonymised value of a hit.</summary>
    HitsReveal,

    /// <summary>Read, verify and report on the audit trail, and write checkpoints of it.</summary>
    AuditRead,

    /// <summary>Erase what retention says is due.</summary>
    RetentionRun,

    /// <summary>See what retention would erase, changing nothing.</summary>
    RetentionPreview,

    /// <summary>Export hits as evidence (a disclosure).</summary>
    EvidenceExport,

    /// <summary>See what the service is doing: runs and their counters, targets by name, health. No personal data.</summary>
    StatusRead,
}
