namespace Crawler.Core.Audit;

/// <summary>What happened, in the vocabulary of LED art. 25 plus the crawler's own decisions.</summary>
public static class AuditOperation
{
    public const string Collect = "collect";
    public const string Refuse = "refuse";
    public const string Consult = "consult";
    public const string Alter = "alter";
    public const string Configure = "configure";
    public const string Request = "request";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Revoke = "revoke";
    public const string Store = "store";
    public const string Discard = "discard";
    public const string CrawlStart = "crawl-start";
    public const string CrawlEnd = "crawl-end";
    public const string Erase = "erase";
    public const string Circuit = "circuit";
    public const string Suspend = "suspend";
    public const string Review = "review";
    public const string Checkpoint = "checkpoint";
    public const string Disclose = "disclose";
    public const string Combine = "combine";
    public const string Reveal = "reveal";
    public const string Restrict = "restrict";

    /// <summary>A sign-in, sign-out, or a refused one.</summary>
    public const string Authenticate = "authenticate";

    /// <summary>Every operation, for validating filters.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Collect, Refuse, Consult, Alter, Configure, Request, Approve, Reject, Revoke, Store, Discard, CrawlStart, CrawlEnd, Erase, Circuit,
        Suspend, Review, Checkpoint, Disclose, Combine, Reveal, Restrict, Authenticate,
    ];
}

/// <summary>Data-subject categories of Wpg art. 6b, as far as the crawler can know them.</summary>
public static class DataSubject
{
    /// <summary>An ad's poster: victim, suspect or neither; the crawler cannot tell, a reviewer may.</summary>
    public const string Unknown = "unknown";
    public const string Suspect = "suspect";
    public const string Victim = "victim";
    public const string ThirdParty = "third-party";
}

/// <summary>The content of an audit entry before it is placed in the chain.</summary>
public sealed record AuditRecord(
    string Actor,
    string Operation,
    string Subject,
    string Outcome,
    string? Reason = null,
    string? Rule = null,
    long? MandateId = null,
    int? MandateVersion = null,
    string? Case = null,
    string? PolicyVersion = null,
    string? ContentSha256 = null,
    int? HttpStatus = null,
    bool? Lab = null,
    string? LegalBasis = null,
    string? DataSubject = null,
    string? Recipient = null)
{
    /// <summary>Whether the record uses fields added in the second entry format (they are hashed only then).</summary>
    public bool HasFormat2Fields => LegalBasis is not null || DataSubject is not null || Recipient is not null;
}

/// <summary>One link of the tamper-evident trail: a record, its place and time, and its chained keyed hash.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset Time, AuditRecord Record, string PreviousHash, string Hash);
