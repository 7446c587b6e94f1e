using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Targets;
using Crawler.Core.Users;

namespace Crawler.Cli;

/// <summary>The JSON shapes the CLI prints. Stable field names: scripts depend on them.</summary>
internal static class Views
{
    public static object User(User u) => new { name = u.Name, role = u.Role, createdAt = u.CreatedAt, createdBy = u.CreatedBy };

    public static object Target(CrawlTarget t, IReadOnlyList<Core.Storage.HostTemplate> templates) => new
    {
        id = t.Id,
        name = t.Name,
        seeds = t.Spec.Seeds,
        scope = t.Spec.Scope,
        politeness = t.Spec.Politeness,
        schedule = t.Spec.Schedule,
        profile = t.Spec.Profile,
        createdBy = t.CreatedBy,
        createdAt = t.CreatedAt,
        siteTemplates = templates.Select(h =>
            new SiteTemplateView(h.Host, h.PagesSeen, h.BlocksLearned, h.ContactsLearned, h.BlocksDropped, h.ContactsDropped, h.UpdatedAt)),
    };

    /// <summary>What a host's learned template shows the specialist: counts, never its hashes.</summary>
    private sealed record SiteTemplateView(string Host, int PagesSeen, int BlocksLearned, int ContactsLearned, long BlocksDropped, long ContactsDropped,
        DateTimeOffset UpdatedAt);

    public static object Mandate(Mandate m, DateTimeOffset now) => new
    {
        id = m.Id,
        version = m.Version,
        status = m.Status,
        state = m.StateAt(now),
        @case = m.Spec.Case,
        caseName = m.Spec.CaseName,
        legalBasis = m.Spec.LegalBasis,
        wpgPurpose = m.Spec.WpgPurpose,
        purpose = m.Spec.Purpose,
        offence = m.Spec.Offence,
        suspect = m.Spec.Suspect,
        factsAndCircumstances = m.Spec.FactsAndCircumstances,
        targets = m.Spec.Targets,
        validFrom = m.Spec.ValidFrom,
        validUntil = m.Spec.ValidUntil,
        limits = m.Spec.Limits,
        dataCategories = Enum.GetValues<DataCategory>().ToDictionary(c => c.ToString().ToLowerInvariant(), m.Spec.TreatmentOf),
        linking = m.Spec.Linking,
        contentSha256 = m.Spec.ContentSha256(),
        requestedBy = m.RequestedBy,
        requestedAt = m.RequestedAt,
        approval = m.Approval,
        history = m.History,
        targetType = m.Spec.EffectiveTargetType,
        targetDescription = m.Spec.TargetDescription,
        keywords = m.Spec.Keywords,
        recrawlIntervalHours = m.Spec.RecrawlIntervalHours,
        justifications = m.Spec.Justifications,
        weighing = m.Assessment is null ? null : Assessment(m.Assessment),
    };

    public static object Assessment(KoopsAssessment a, string? keptText = null) => new
    {
        keptText,
        level = KoopsWeighing.Name(a.Level),
        decidingFactor = a.DecidingFactor,
        requiredLegalBases = a.RequiredLegalBases,
        requiredApprover = a.RequiredApprover,
        acceptable = a.Acceptable,
        problems = a.Problems.Select(p => new { field = p.Field, message = p.Message }),
        factors = a.Factors.Select(f => new { factor = f.Factor, level = KoopsWeighing.Name(f.Level), value = f.Value, reason = f.Reason, justification = f.Justification }),
        policyVersion = a.PolicyVersion,
        crawlerVersion = a.CrawlerVersion,
    };

    public static object Hit(Hit h, Core.Retention.RetentionVerdict retention) => new
    {
        id = h.Id,
        mandateId = h.MandateId,
        mandateVersion = h.MandateVersion,
        @case = h.Case,
        targetId = h.TargetId,
        runId = h.RunId,
        url = h.Url,
        fetchedAt = h.FetchedAt,
        contentSha256 = h.ContentSha256,
        title = h.Title,
        text = h.Text,
        snippets = h.Snippets,
        phones = h.Phones.Select(p => p.Display),
        phonePseudonyms = h.Phones.Where(p => p.Pseudonym is not null).Select(p => p.Pseudonym),
        emails = h.Emails.Select(e => e.Display),
        emailPseudonyms = h.Emails.Where(e => e.Pseudonym is not null).Select(e => e.Pseudonym),
        ages = h.Ages ?? [],
        prices = (h.Prices ?? []).Select(p => new { amount = p.Amount, currency = p.Currency, per = p.Per, perHour = p.PerHour }),
        score = h.Score,
        indicators = h.Indicators.Select(i => new { id = i.Id, weight = i.Weight, evidence = i.Evidence }),
        escalated = h.Escalated,
        removedThirdPartyRegions = h.RemovedThirdPartyRegions,
        policyVersion = h.PolicyVersion,
        reviewStatus = h.ReviewStatus,
        reviews = h.Reviews ?? [],
        handles = (h.Description?.Handles ?? []).Select(c => c.Display),
        handlePseudonyms = (h.Description?.Handles ?? []).Where(c => c.Pseudonym is not null).Select(c => c.Pseudonym),
        name = h.Description?.Name?.Display,
        locations = (h.Description?.Locations ?? []).Select(c => c.Display),
        images = (h.Description?.Images ?? []).Select(c => c.Display),
        imageDigests = (h.Description?.ImageDigests ?? []).Select(c => c.Display),
        nationalities = h.Description?.Nationalities ?? [],
        languages = h.Description?.Languages ?? [],
        venues = h.Description?.Venues ?? [],
        services = h.Description?.Services ?? [],
        postedAt = h.Description?.PostedAt,
        adId = h.Description?.AdId,
        retentionClass = retention.Class.ToString().ToLowerInvariant(),
        deleteAt = retention.DeleteAt,
        retentionRule = retention.Rule,
        retentionBasis = retention.Basis,
        restrictedAt = h.RestrictedAt,
        hasSnapshot = h.HasSnapshot,
    };

    public static object Audit(AuditEntry e) => new
    {
        sequence = e.Sequence,
        time = e.Time,
        actor = e.Record.Actor,
        operation = e.Record.Operation,
        subject = e.Record.Subject,
        outcome = e.Record.Outcome,
        reason = e.Record.Reason,
        rule = e.Record.Rule,
        mandateId = e.Record.MandateId,
        mandateVersion = e.Record.MandateVersion,
        @case = e.Record.Case,
        policyVersion = e.Record.PolicyVersion,
        contentSha256 = e.Record.ContentSha256,
        httpStatus = e.Record.HttpStatus,
        lab = e.Record.Lab,
        legalBasis = e.Record.LegalBasis,
        dataSubject = e.Record.DataSubject,
        recipient = e.Record.Recipient,
        previousHash = e.PreviousHash,
        hash = e.Hash,
    };
}
