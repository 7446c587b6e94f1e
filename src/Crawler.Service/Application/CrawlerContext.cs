using Crawler.Core.Audit;
using Crawler.Core.Policy;
using Crawler.Core.Retention;
using Crawler.Core.Users;
using Crawler.Core.Yaml;
using Crawler.Storage;

namespace Crawler.Service.Application;

/// <summary>
/// What every application service needs: the store, the keys, the policy set in force, the
/// clock, and whether this is a lab installation. One per data folder.
/// </summary>
public sealed class CrawlerContext : IDisposable
{
    public CrawlerContext(DataFolder folder, LiteCrawlerStore store, PolicySet policy, TimeProvider time, RetentionPolicy retention)
    {
        Retention = retention;
        Folder = folder;
        Store = store;
        Policy = policy;
        Time = time;
        Lab = store.IsLab;
    }

    public DataFolder Folder { get; }

    public LiteCrawlerStore Store { get; }

    public PolicySet Policy { get; }

    public RetentionPolicy Retention { get; }

    public TimeProvider Time { get; }

    public bool Lab { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public static CrawlerContext Open(string dataDirectory, string policiesDirectory, TimeProvider time, KeySource? keys = null)
    {
        var policy = PolicyDirectory.Load(policiesDirectory);
        var retention = LoadRetention(policiesDirectory);
        var folder = DataFolder.Open(dataDirectory, keys);
        return new CrawlerContext(folder, new LiteCrawlerStore(folder), policy, time, retention);
    }

    /// <summary>policies/retention.yaml; it is part of the policy set's version like every top-level policy file.</summary>
    public static RetentionPolicy LoadRetention(string policiesDirectory)
    {
        var path = Path.Combine(policiesDirectory, RetentionPolicyReader.FileName);
        if (!File.Exists(path))
        {
            throw new InputException(new InputProblem(path, 0, 0, "(file)", "required policy file is missing"));
        }

        try
        {
            var text = File.ReadAllText(path);
            var retention = RetentionPolicyReader.Read(new PolicyFileText(RetentionPolicyReader.FileName, text));
            if (!Scheduling.CronSchedule.IsValid(retention.Schedule))
            {
                throw new InputException(new InputProblem(path, YamlReader.LineOf(text, "schedule"), 0, "schedule",
                    $"'{retention.Schedule}' is not a Quartz cron expression (seconds first, e.g. \"0 0 3 * * ?\")"));
            }

            return retention;
        }
        catch (InputException ex)
        {
            throw new InputException(ex.Problems.Select(p => p with { File = path }).ToList());
        }
    }

    public AuditEntry Audit(AuditRecord record) => Audit([record])[0];

    /// <summary>
    /// Appends entries together (one page's decisions, say): URLs replaced by their references, the
    /// policy version and the mandate's legal basis filled in where the caller left them out.
    /// </summary>
    public IReadOnlyList<AuditEntry> Audit(IReadOnlyList<AuditRecord> records)
    {
        var mentions = new List<UrlMention>();
        var complete = new AuditRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            r = r with
            {
                PolicyVersion = r.PolicyVersion ?? Policy.Version,
                LegalBasis = r.LegalBasis ?? (r.MandateId is { } m ? LegalBasisOf(m) : null),
            };
            complete[i] = UrlReference.Seal(Folder.PseudonymKey, r, mentions);
        }

        return Store.Append(complete, Now, mentions);
    }

    // A mandate's legal basis never changes (an amendment is a new mandate), so it is read once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string?> _legalBasis = new();

    private string? LegalBasisOf(long mandateId) =>
        _legalBasis.GetOrAdd(mandateId, id => Store.FindMandate(id)?.Spec.LegalBasis);

    /// <summary>The named user, or a clear input error when the name is unknown.</summary>
    public User RequireUser(string? name, string field = "--as")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InputException(new InputProblem("(command line)", 0, 0, field, "name the acting user with --as USER (or set CRAWLER_USER)"));
        }

        return Store.FindUser(name) ?? throw new InputException(
            new InputProblem("(command line)", 0, 0, field, $"unknown user '{name}' (see 'crawler users list')"));
    }

    /// <summary>
    /// Who is consulting, for read commands where --as is optional: the named user (who must exist),
    /// or the operating-system account, marked as unnamed.
    /// </summary>
    public string ReaderName(string? actingAs) =>
        actingAs is null ? "unnamed (" + Environment.UserName + ")" : RequireUser(actingAs).Name;

    /// <summary>Refuses, and records the refusal, when <paramref name="user"/> lacks one of <paramref name="roles"/>.</summary>
    public void RequireRole(User user, string action, string subject, params Role[] roles)
    {
        if (roles.Contains(user.Role))
        {
            return;
        }

        var reason = $"'{user.Name}' is {user.Role.ToString().ToLowerInvariant()}; {action} needs " +
                     string.Join(" or ", roles.Select(r => r.ToString().ToLowerInvariant()));
        Audit(new AuditRecord(user.Name, AuditOperation.Refuse, subject, "refused", reason, "role." + action));
        throw new Core.Mandates.RefusalException("role." + action, reason);
    }

    public void Dispose() => Store.Dispose();
}
