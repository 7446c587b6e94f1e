using Crawler.Core.Audit;
using Crawler.Core.Policy;
using Crawler.Core.Retention;
using Crawler.Core.Mandates;
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
    public CrawlerContext(DataFolder folder, LiteCrawlerStore store, PolicySet policy, TimeProvider time, RetentionPolicy retention,
        IdentityPolicy? identity = null)
    {
        Retention = retention;
        Identity = identity ?? IdentityPolicy.Default;
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

    public IdentityPolicy Identity { get; }

    public TimeProvider Time { get; }

    public bool Lab { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public static CrawlerContext Open(string dataDirectory, string policiesDirectory, TimeProvider time, KeySource? keys = null)
    {
        var policy = PolicyDirectory.Load(policiesDirectory);
        var retention = LoadRetention(policiesDirectory);
        var identity = LoadIdentity(policiesDirectory);
        var folder = DataFolder.Open(dataDirectory, keys);
        return new CrawlerContext(folder, new LiteCrawlerStore(folder), policy, time, retention, identity);
    }

    /// <summary>policies/identity.yaml; like every top-level policy file it is part of the policy set's version.</summary>
    public static IdentityPolicy LoadIdentity(string policiesDirectory)
    {
        var path = Path.Combine(policiesDirectory, IdentityPolicyReader.FileName);
        if (!File.Exists(path))
        {
            throw new InputException(new InputProblem(path, 0, 0, "(file)", "required policy file is missing"));
        }

        try
        {
            return IdentityPolicyReader.Read(new PolicyFileText(IdentityPolicyReader.FileName, File.ReadAllText(path)));
        }
        catch (InputException ex)
        {
            throw new InputException(ex.Problems.Select(p => p with { File = path }).ToList());
        }
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

    private Func<Principal?>? _authenticate;
    private Principal? _principal;

    /// <summary>
    /// How the person at the keyboard is authenticated when a command first needs to know who acts: the CLI
    /// checks a token or asks for a password then, so commands that need no one never ask.
    /// </summary>
    public void UseAuthentication(Func<Principal?> authenticate) => _authenticate = authenticate;

    /// <summary>The service acts on its own schedule: crawls and retention, nothing a person must decide.</summary>
    public void ActAsService() => _principal = Principal.Service;

    /// <summary>Who acts: authenticated on first use; refused (and logged) when nobody signed in.</summary>
    public Principal Principal => _principal ??= _authenticate?.Invoke() ?? throw NotSignedIn();

    private RefusalException NotSignedIn()
    {
        const string reason = "nobody is signed in: run 'crawler login --as NAME' first (or give --as NAME and type the password)";
        Audit(new AuditRecord("anonymous", AuditOperation.Authenticate, "session", "refused", reason, "auth.required"));
        return new RefusalException("auth.required", reason);
    }

    /// <summary>
    /// The acting principal if the access matrix lets them do <paramref name="permission"/>; otherwise the
    /// refusal is recorded (rule <c>access.PERMISSION</c>) and thrown.
    /// </summary>
    public Principal Authorize(Permission permission, string subject)
    {
        var who = Principal;
        var name = AccessPolicy.Name(permission);
        string? reason = null;
        if (!who.May(permission))
        {
            reason = who.IsService
                ? $"the service may not {name}"
                : $"'{who.Name}' is {who.Role.ToString()!.ToLowerInvariant()}; {name} needs " +
                  string.Join(" or ", AccessPolicy.RolesFor(permission).Select(r => r.ToString().ToLowerInvariant()));
        }
        else if (!who.IsService && who.Role == Role.Officer && AccessPolicy.IsOfficerOnly(permission) &&
                 Identity.OfficerSecondFactor == SecondFactor.RequiredForOfficers && !who.SecondFactorEnrolled)
        {
            reason = $"'{who.Name}' must enrol a second factor ('crawler users totp enrol') before {name}";
        }

        if (reason is not null)
        {
            Audit(new AuditRecord(who.Name, AuditOperation.Refuse, subject, "refused", reason, "access." + name));
            throw new RefusalException("access." + name, reason);
        }

        return who;
    }

    /// <summary>
    /// The signed-in person, who must be the one named with --as when a name is given: the name alone
    /// proves nothing, the credential does.
    /// </summary>
    public User RequireUser(string? claimedName)
    {
        var user = RequireSignedInUser();
        if (claimedName is not null && !string.Equals(claimedName, user.Name, StringComparison.Ordinal))
        {
            const string rule = "auth.mismatch";
            var reason = $"signed in as '{user.Name}', not '{claimedName}'";
            Audit(new AuditRecord(user.Name, AuditOperation.Refuse, "session", "refused", reason, rule));
            throw new RefusalException(rule, reason);
        }

        return user;
    }

    /// <summary>The signed-in person (not the service).</summary>
    public User RequireSignedInUser()
    {
        var who = Principal;
        return (who.IsService ? null : Store.FindUser(who.Name))
               ?? throw new RefusalException("auth.required", "this needs a person signed in, not the service");
    }

    public void Dispose() => Store.Dispose();
}
