using System.Security.Cryptography;
using System.Text;
using Crawler.Core.Audit;
using Crawler.Core.Hits;
using Crawler.Core.Mandates;
using Crawler.Core.Policy;
using Crawler.Core.Storage;
using Crawler.Core.Targets;
using Crawler.Core.Users;
using LiteDB;

namespace Crawler.Storage;

/// <summary>
/// All persistent state in one encrypted LiteDB file. The CLI and a running <c>crawler serve</c> can
/// use the same data folder: the file is held through a <see cref="DatabaseLease"/> that each
/// process takes in turn, and multi-step writes (the audit head, caps) run in one transaction.
/// Within the process every call is serialised under one gate, which the lease shares.
/// </summary>
public sealed class LiteCrawlerStore :
    IUserStore, ITargetStore, IMandateStore, IHitStore, IAuditLog, ICrawlStateStore, IRobotsCache, IInstallationStore, IRetentionStore, IDisposable
{
    private readonly DatabaseLease _lease;
    private readonly byte[] _auditKey;
    private readonly byte[] _pseudonymKey;
    private readonly string _password;
    private readonly string _databasePath;
    private readonly object _gate = new();

    public LiteCrawlerStore(DataFolder folder)
    {
        _auditKey = folder.AuditKey;
        _pseudonymKey = folder.PseudonymKey;
        _password = folder.DatabasePassword;
        _databasePath = folder.DatabasePath;
        var connection = new ConnectionString
        {
            Filename = folder.DatabasePath,
            Connection = ConnectionType.Direct,

            // LiteDB encrypts every page with AES under this key; the key never lies in the data folder.
            Password = folder.DatabasePassword,
        };
        _lease = new DatabaseLease(connection, folder.DatabasePath + ".lock", _gate, db =>
        {
            try
            {
                db.GetCollection("targets").EnsureIndex("name", unique: true);
            }
            catch (LiteException ex)
            {
                throw new InvalidDataException($"{folder.DatabasePath}: cannot be opened with the database key in use ({ex.Message})", ex);
            }

            db.GetCollection("hits").EnsureIndex("mandateId");
            db.GetCollection("hits").EnsureIndex("sameKey");
            db.GetCollection("frontier").EnsureIndex("key", unique: true);
            db.GetCollection("frontier").EnsureIndex("runId");
            db.GetCollection("runs").EnsureIndex("targetId");
            db.GetCollection("contacts").EnsureIndex("mandateId");
            db.GetCollection("tokens").EnsureIndex("user");
        });

        // Open once now, so that a wrong key or a locked folder is reported at once.
        try
        {
            using (Hold())
            {
                _ = Db;
            }
        }
        catch (Exception ex) when (ex is LiteException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            _lease.Dispose();
            throw new InvalidDataException(
                $"{folder.DatabasePath}: cannot be opened with the database key in use; is '{folder.KeysDirectory}' (--keys, or CRAWLER_DB_KEY) this data folder's key folder? ({ex.Message})", ex);
        }
    }

    // Valid only inside a Hold(): the lease opens the file on first use.
    private LiteDatabase Db => _lease.Db;

    /// <summary>Holds the database for one operation (re-entrant), so the lease is not given up half-way.</summary>
    private Holding Hold()
    {
        _lease.Enter();
        return new Holding(_lease);
    }

    private readonly struct Holding(DatabaseLease lease) : IDisposable
    {
        public void Dispose() => lease.Exit();
    }

    public static string SettingsId => "installation";

    /// <summary>Records the installation kind once; returns the kind in force (which a later init cannot change).</summary>
    public bool EnsureInstallation(bool lab, DateTimeOffset at)
    {
        using var hold = Hold();
        var settings = Db.GetCollection("settings");
        var existing = settings.FindById(SettingsId);
        if (existing is not null)
        {
            return existing["lab"].AsBoolean;
        }

        settings.Insert(new BsonDocument { ["_id"] = SettingsId, ["lab"] = lab, ["createdAt"] = at.UtcDateTime });
        return lab;
    }

    public bool IsLab
    {
        get
        {
            using (Hold())
            {
                return Db.GetCollection("settings").FindById(SettingsId)?["lab"].AsBoolean ?? false;
            }
        }
    }

    // ---- users

    public User? FindUser(string name)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("users").FindById(name);
            return doc is null ? null : StoreJson.Read<User>(doc["json"].AsString);
        }
    }

    public IReadOnlyList<User> Users()
    {
        using (Hold())
        {
            return Db.GetCollection("users").FindAll().Select(d => StoreJson.Read<User>(d["json"].AsString)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        }
    }

    public bool TryAddUser(User user, Credential credential)
    {
        using (Hold())
        {
            var users = Db.GetCollection("users");
            if (users.FindById(user.Name) is not null)
            {
                return false;
            }

            try
            {
                users.Insert(new BsonDocument { ["_id"] = user.Name, ["json"] = StoreJson.Write(user), ["credential"] = StoreJson.Write(credential) });
                return true;
            }
            catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                return false;
            }
        }
    }

    public Credential? FindCredential(string name)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("users").FindById(name);

            // Users from before sign-in existed have no credential: they cannot sign in until an admin resets them.
            return doc is null ? null : doc.TryGetValue("credential", out var c) && c.IsString ? StoreJson.Read<Credential>(c.AsString) : Credential.None;
        }
    }

    public bool TryUpdateCredential(string name, Credential expected, Credential updated) => InTransaction(() =>
    {
        var users = Db.GetCollection("users");
        var doc = users.FindById(name);
        if (doc is null)
        {
            return (false, false);
        }

        var current = doc.TryGetValue("credential", out var c) && c.IsString ? StoreJson.Read<Credential>(c.AsString) : Credential.None;
        if (current != expected)
        {
            return (false, false);
        }

        doc["credential"] = StoreJson.Write(updated);
        users.Update(doc);
        return (true, true);
    });

    // ---- tokens: stored by the SHA-256 of the token, never the token itself

    public void AddToken(AccessToken token)
    {
        using (Hold())
        {
            Db.GetCollection("tokens").Insert(new BsonDocument
            {
                ["_id"] = token.Sha256, ["user"] = token.UserName, ["json"] = StoreJson.Write(token),
            });
        }
    }

    public AccessToken? FindToken(string sha256)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("tokens").FindById(sha256);
            return doc is null ? null : StoreJson.Read<AccessToken>(doc["json"].AsString);
        }
    }

    /// <summary>Revokes the user's tokens (all of them, or the one given); returns how many were in force.</summary>
    public int RevokeTokens(string userName, DateTimeOffset at, string? onlySha256 = null) => InTransaction(() =>
    {
        var col = Db.GetCollection("tokens");
        var revoked = 0;
        var docs = onlySha256 is null
            ? col.Find(Query.EQ("user", new BsonValue(userName))).ToList()
            : col.FindById(onlySha256) is { } one ? [one] : [];
        foreach (var doc in docs)
        {
            var token = StoreJson.Read<AccessToken>(doc["json"].AsString);
            if (token.UserName != userName || token.RevokedAt is not null)
            {
                continue;
            }

            doc["json"] = StoreJson.Write(token with { RevokedAt = at });
            col.Update(doc);
            revoked++;
        }

        return (revoked, true);
    });

    /// <summary>Removes tokens that expired before <paramref name="before"/>: they prove nothing any more.</summary>
    public int PurgeTokens(DateTimeOffset before) => InTransaction(() =>
    {
        var col = Db.GetCollection("tokens");
        var stale = col.FindAll().Where(d => StoreJson.Read<AccessToken>(d["json"].AsString).ExpiresAt < before).Select(d => d["_id"]).ToList();
        foreach (var id in stale)
        {
            col.Delete(id);
        }

        return (stale.Count, true);
    });

    public void ReplaceUser(User user)
    {
        using (Hold())
        {
            var users = Db.GetCollection("users");
            var doc = users.FindById(user.Name) ?? throw new InvalidOperationException($"user {user.Name} does not exist");
            doc["json"] = StoreJson.Write(user);
            users.Update(doc);
        }
    }

    // ---- targets

    public long AddTarget(TargetSpec spec, string createdBy, DateTimeOffset at)
    {
        using (Hold())
        {
            var col = Db.GetCollection("targets", BsonAutoId.Int64);
            var doc = new BsonDocument { ["name"] = spec.Name };
            var id = col.Insert(doc).AsInt64;
            doc["_id"] = id;
            doc["json"] = StoreJson.Write(new CrawlTarget(id, spec, createdBy, at));
            col.Update(doc);
            return id;
        }
    }

    public CrawlTarget? FindTarget(long id)
    {
        using (Hold())
        {
            return ReadTarget(Db.GetCollection("targets").FindById(id));
        }
    }

    public CrawlTarget? FindTargetByName(string name)
    {
        using (Hold())
        {
            return ReadTarget(Db.GetCollection("targets").FindOne(Query.EQ("name", name)));
        }
    }

    public IReadOnlyList<CrawlTarget> Targets()
    {
        using (Hold())
        {
            return Db.GetCollection("targets").FindAll().Select(ReadTarget).OfType<CrawlTarget>().OrderBy(t => t.Id).ToList();
        }
    }

    private static CrawlTarget? ReadTarget(BsonDocument? doc) =>
        doc is null || !doc.ContainsKey("json") ? null : StoreJson.Read<CrawlTarget>(doc["json"].AsString);

    // ---- mandates

    public long AddMandate(Mandate mandate)
    {
        using (Hold())
        {
            var col = Db.GetCollection("mandates", BsonAutoId.Int64);
            var doc = new BsonDocument { ["status"] = mandate.Status.ToString() };
            var id = col.Insert(doc).AsInt64;
            doc["_id"] = id;
            doc["json"] = StoreJson.Write(mandate with { Id = id });
            col.Update(doc);
            return id;
        }
    }

    public Mandate? FindMandate(long id)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("mandates").FindById(id);
            return doc is null || !doc.ContainsKey("json") ? null : StoreJson.Read<Mandate>(doc["json"].AsString);
        }
    }

    public IReadOnlyList<Mandate> Mandates()
    {
        using (Hold())
        {
            return Db.GetCollection("mandates").FindAll().Where(d => d.ContainsKey("json")) .Select(d => StoreJson.Read<Mandate>(d["json"].AsString)).OrderBy(m => m.Id).ToList();
        }
    }

    public bool TryUpdateMandate(Mandate expected, Mandate updated) => TryUpdateMandates([(expected, updated)]);

    public bool TryUpdateMandates(IReadOnlyList<(Mandate Expected, Mandate Updated)> changes) => InTransaction(() =>
    {
        var col = Db.GetCollection("mandates");
        foreach (var (expected, updated) in changes)
        {
            var doc = col.FindById(expected.Id);
            if (doc is null || doc["json"].AsString != StoreJson.Write(expected))
            {
                return (false, false);
            }

            doc["status"] = updated.Status.ToString();
            doc["json"] = StoreJson.Write(updated);
            col.Update(doc);
        }

        return (true, true);
    });

    /// <summary>Adds a mandate if <paramref name="admissible"/> still holds over the stored mandates, in one transaction.</summary>
    public long? TryAddMandate(Mandate mandate, Func<IReadOnlyList<Mandate>, bool> admissible) => InTransaction(() =>
    {
        if (!admissible(Mandates()))
        {
            return ((long?)null, false);
        }

        return (AddMandate(mandate), true);
    });

    public MandateUsage Usage(long mandateId)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("usage").FindById(mandateId);
            return doc is null ? MandateUsage.None : new MandateUsage(doc["pages"].AsInt64, doc["hits"].AsInt64);
        }
    }

    public void CountPage(long mandateId) => InTransaction(() =>
    {
        Increment(mandateId, "pages");
        return (true, true);
    });

    private void Increment(long mandateId, string field)
    {
        var col = Db.GetCollection("usage");
        var doc = col.FindById(mandateId) ?? new BsonDocument { ["_id"] = mandateId, ["pages"] = 0L, ["hits"] = 0L };
        doc[field] = doc[field].AsInt64 + 1;
        col.Upsert(doc);
    }

    // ---- hits

    public HitStoreResult TryAddHit(Hit hit, int maxHits, int? maxContacts = null, DateTimeOffset? activeAt = null) => InTransaction(() =>
    {
        if (activeAt is { } at && FindMandate(hit.MandateId)?.StateAt(at) is var state && state != MandateState.Active)
        {
            var now = state is null ? "gone" : state.Value.ToString().ToLowerInvariant();
            return (new HitStoreResult(null, "mandate.ended-in-flight", $"mandate {hit.MandateId} is {now} at {at:O}"), false);
        }

        var usage = Usage(hit.MandateId);
        if (usage.HitsStored >= maxHits)
        {
            return (new HitStoreResult(null, "mandate.hit-cap", $"mandate {hit.MandateId} has stored its {maxHits} hits"), false);
        }

        // Distinct contact identifiers under this mandate, counted by a keyed hash (of the pseudonym, or of the
        // value kept), so that the count outlives an erased hit without keeping anything that can be reversed.
        var contacts = Db.GetCollection("contacts");
        var keys = hit.Phones.Concat(hit.Emails)
            .Select(c => hit.MandateId + ":" + Convert.ToHexStringLower(HMACSHA256.HashData(_pseudonymKey, Encoding.UTF8.GetBytes(c.Pseudonym ?? c.Value ?? c.Display))))
            .Distinct(StringComparer.Ordinal)
            .Where(k => contacts.FindById(k) is null)
            .ToList();
        var known = contacts.Count(Query.EQ("mandateId", hit.MandateId));
        if (maxContacts is { } cap && known + keys.Count > cap)
        {
            return (new HitStoreResult(null, "mandate.contact-cap",
                $"mandate {hit.MandateId} may hold {cap} distinct contact identifiers; this hit would bring {known + keys.Count}"), false);
        }

        foreach (var k in keys)
        {
            contacts.Insert(new BsonDocument { ["_id"] = k, ["mandateId"] = hit.MandateId });
        }

        var col = Db.GetCollection("hits", BsonAutoId.Int64);
        var doc = new BsonDocument { ["mandateId"] = hit.MandateId, ["sameKey"] = SameKey(hit.MandateId, hit.Url, hit.ContentSha256) };
        var id = col.Insert(doc).AsInt64;
        doc["_id"] = id;
        doc["json"] = StoreJson.Write(hit with { Id = id });
        col.Update(doc);
        Increment(hit.MandateId, "hits");
        return (HitStoreResult.Stored(id), true);
    });

    public Hit? FindHit(long id)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("hits").FindById(id);
            return doc is null || !doc.ContainsKey("json") ? null : StoreJson.Read<Hit>(doc["json"].AsString);
        }
    }

    public void UpdateHit(Hit hit)
    {
        using (Hold())
        {
            var col = Db.GetCollection("hits");
            var doc = col.FindById(hit.Id) ?? throw new InvalidOperationException($"hit {hit.Id} does not exist");
            doc["json"] = StoreJson.Write(hit);
            col.Update(doc);
        }
    }

    public long? FindSameHit(long mandateId, string url, string contentSha256)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("hits").FindOne(Query.EQ("sameKey", SameKey(mandateId, url, contentSha256)));
            return doc?["_id"].AsInt64;
        }
    }

    public long? FindSameHit(IReadOnlyCollection<long> mandateIds, string url, string contentSha256)
    {
        using (Hold())
        {
            var hits = Db.GetCollection("hits");
            return mandateIds.Select(m => hits.FindOne(Query.EQ("sameKey", SameKey(m, url, contentSha256)))?["_id"].AsInt64)
                .OfType<long>().Order().Cast<long?>().FirstOrDefault();
        }
    }

    // Hashed so that the index key stays short whatever the URL's length.
    private static string SameKey(long mandateId, string url, string contentSha256) =>
        mandateId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))) + ":" + contentSha256;

    public IReadOnlyList<Hit> Hits(long? mandateId)
    {
        using (Hold())
        {
            var col = Db.GetCollection("hits");
            var docs = mandateId is null ? col.FindAll() : col.Find(Query.EQ("mandateId", mandateId.Value));
            return docs.Where(d => d.ContainsKey("json")).Select(d => StoreJson.Read<Hit>(d["json"].AsString)).OrderBy(h => h.Id).ToList();
        }
    }

    public void SaveLinks(long mandateId, Core.Linking.LinkResult result)
    {
        using (Hold())
        {
            Db.GetCollection("links").Upsert(new BsonDocument { ["_id"] = mandateId, ["json"] = StoreJson.Write(result) });
        }
    }

    public Core.Linking.LinkResult? FindLinks(long mandateId)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("links").FindById(mandateId);
            return doc is null ? null : StoreJson.Read<Core.Linking.LinkResult>(doc["json"].AsString);
        }
    }

    // ---- audit

    public AuditEntry Append(AuditRecord record, DateTimeOffset time) => Append([record], time, [])[0];

    public IReadOnlyList<AuditEntry> Append(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls) =>
        InTransaction(() => (AppendInTransaction(records, time, urls), true));

    private IReadOnlyList<AuditEntry> AppendInTransaction(IReadOnlyList<AuditRecord> records, DateTimeOffset time, IReadOnlyList<UrlMention> urls)
    {
        var col = Db.GetCollection("audit");
        var head = col.Query().OrderByDescending("_id").Limit(1).FirstOrDefault();
        var seq = head is null ? AnchorSequence() + 1 : head["_id"].AsInt64 + 1;
        var previous = head is null ? AnchorHash() : head["hash"].AsString;
        var entries = new List<AuditEntry>(records.Count);
        foreach (var record in records)
        {
            var entry = AuditChain.Link(_auditKey, seq++, time, record, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        col.InsertBulk(entries.Select(ToBson));
        if (urls.Count > 0)
        {
            var vault = Db.GetCollection("urls");
            foreach (var u in urls.DistinctBy(u => u.Reference))
            {
                vault.Upsert(new BsonDocument
                {
                    ["_id"] = u.Reference,
                    ["url"] = u.Url,
                    ["mandateId"] = u.MandateId is { } m ? new BsonValue(m) : BsonValue.Null,
                    ["lastUsed"] = time.UtcTicks,
                });
            }
        }

        return entries;
    }

    public AuditAnchor? Anchor()
    {
        using (Hold())
        {
            var doc = Db.GetCollection("settings").FindById("audit-anchor");
            return doc is null ? null : new AuditAnchor(doc["sequence"].AsInt64, doc["hash"].AsString, new DateTimeOffset(doc["erasedAt"].AsInt64, TimeSpan.Zero));
        }
    }

    private long AnchorSequence() => Anchor()?.Sequence ?? 0;

    private string AnchorHash() => Anchor()?.Hash ?? AuditChain.GenesisHash;

    public string? FindUrl(string reference)
    {
        using (Hold())
        {
            return Db.GetCollection("urls").FindById(reference)?["url"].AsString;
        }
    }

    /// <summary>The trail in order, read in pages so that no lock is held while the caller works through it.</summary>
    public IEnumerable<AuditEntry> Entries()
    {
        const int Page = 10_000;
        var after = 0L;
        while (true)
        {
            List<AuditEntry> page;
            using (Hold())
            {
                // A range on _id walks the primary index in order: no sort, no materialised query.
                page = Db.GetCollection("audit").Find(Query.GT("_id", after), 0, Page).Select(FromBson).ToList();
            }

            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    public long Count()
    {
        using (Hold())
        {
            return Db.GetCollection("audit").LongCount();
        }
    }

    // An entry is stored as its canonical bytes (what the HMAC covers) and its hash: reading the
    // trail back decodes one binary field instead of mapping a document of twenty.
    private static BsonDocument ToBson(AuditEntry e) => new()
    {
        ["_id"] = e.Sequence,
        ["entry"] = AuditCodec.Encode(e.Sequence, e.Time, e.Record, e.PreviousHash),
        ["hash"] = e.Hash,
    };

    private static AuditEntry FromBson(BsonDocument d) => AuditCodec.Decode(d["entry"].AsBinary, d["hash"].AsString);

    // ---- retention

    public void SaveSnapshot(Snapshot snapshot)
    {
        using (Hold())
        {
            Db.GetCollection("snapshots").Upsert(new BsonDocument
            {
                ["_id"] = snapshot.HitId,
                ["mandateId"] = snapshot.MandateId,
                ["fetchedAt"] = snapshot.FetchedAt.UtcTicks,
                ["sha256"] = snapshot.ContentSha256,
                ["json"] = StoreJson.Write(snapshot with { Body = [] }),
                ["body"] = snapshot.Body,
            });
        }
    }

    public Snapshot? FindSnapshot(long hitId)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("snapshots").FindById(hitId);
            return doc is null ? null : StoreJson.Read<Snapshot>(doc["json"].AsString) with { Body = doc["body"].AsBinary };
        }
    }

    public IReadOnlyList<SnapshotInfo> Snapshots()
    {
        using (Hold())
        {
            return Db.GetCollection("snapshots").Query().Select("{_id, mandateId, fetchedAt, sha256}").ToEnumerable()
                .Select(d => new SnapshotInfo(d["_id"].AsInt64, d["mandateId"].AsInt64, new DateTimeOffset(d["fetchedAt"].AsInt64, TimeSpan.Zero), d["sha256"].AsString))
                .OrderBy(s => s.HitId).ToList();
        }
    }

    public bool EraseSnapshot(long hitId) => InTransaction(() =>
    {
        var erased = Db.GetCollection("snapshots").Delete(hitId);
        if (erased && Db.GetCollection("hits").FindById(hitId) is { } doc && doc.ContainsKey("json"))
        {
            doc["json"] = StoreJson.Write(StoreJson.Read<Hit>(doc["json"].AsString) with { HasSnapshot = false });
            Db.GetCollection("hits").Update(doc);
        }

        return (erased, true);
    });

    public bool EraseHit(long id) => InTransaction(() =>
    {
        var hits = Db.GetCollection("hits");
        var doc = hits.FindById(id);
        if (doc is null || !doc.ContainsKey("json"))
        {
            return (false, false);
        }

        var hit = StoreJson.Read<Hit>(doc["json"].AsString);
        hits.Delete(id);
        Db.GetCollection("snapshots").Delete(id);

        // A linking result names the erased hit and its pseudonyms: it goes, and the next linking starts afresh.
        Db.GetCollection("links").Delete(hit.MandateId);
        var sameUrlKept = hits.Find(Query.EQ("mandateId", hit.MandateId))
            .Any(d => d.ContainsKey("json") && StoreJson.Read<Hit>(d["json"].AsString).Url == hit.Url);
        if (!sameUrlKept)
        {
            // The trail names the URL by reference only: with the URL gone, the reference proves
            // that something was collected and erased, and no longer says what.
            Db.GetCollection("urls").Delete(UrlReference.Of(_pseudonymKey, hit.MandateId, hit.Url));
        }

        return (true, true);
    });

    public int PurgeFinishedFrontiers() => InTransaction(() =>
    {
        var over = Db.GetCollection("runs").FindAll().Where(d => d.ContainsKey("json"))
            .Select(d => StoreJson.Read<CrawlRun>(d["json"].AsString))
            .Where(r => r.IsOver)
            .Select(r => r.Id).ToList();
        var frontier = Db.GetCollection("frontier");
        var purged = over.Sum(id => frontier.DeleteMany(Query.EQ("runId", id)));
        return (purged, true);
    });

    public AuditAnchor? EraseAuditBefore(DateTimeOffset cutoff, AuditRecord erasure, DateTimeOffset now) => InTransaction(() =>
    {
        var col = Db.GetCollection("audit");
        var first = Anchor()?.Sequence ?? 0;
        AuditEntry? last = null;
        foreach (var doc in col.Find(Query.GT("_id", first)))
        {
            var entry = FromBson(doc);
            if (entry.Time >= cutoff)
            {
                break;
            }

            last = entry;
        }

        if (last is null)
        {
            return ((AuditAnchor?)null, false);
        }

        col.DeleteMany(Query.LTE("_id", last.Sequence));
        var anchor = new AuditAnchor(last.Sequence, last.Hash, now);
        Db.GetCollection("settings").Upsert(new BsonDocument
        {
            ["_id"] = "audit-anchor",
            ["sequence"] = anchor.Sequence,
            ["hash"] = anchor.Hash,
            ["erasedAt"] = now.UtcTicks,
        });
        var cutoffTicks = cutoff.UtcTicks;
        Db.GetCollection("urls").DeleteMany(Query.LT("lastUsed", cutoffTicks));

        // Appended under the new anchor, in the same transaction: the chain itself says where it now starts.
        AppendInTransaction([erasure with { Subject = anchor.Subject, Rule = AuditAnchor.Rule, Reason = $"{erasure.Reason}; last erased entry {anchor.Sequence} had hash {anchor.Hash}" }],
            now, []);
        return (anchor, true);
    });

    public void Compact()
    {
        using (Hold())
        {
            Db.Checkpoint();

            // The rebuild writes every live document into a fresh file; without the password it would
            // write the new file unencrypted, so the key is passed on explicitly.
            Db.Rebuild(new LiteDB.Engine.RebuildOptions { Password = _password });
            Db.Checkpoint();

            // The rebuild keeps the old file as a backup: the very pages retention just erased.
            var dir = Path.GetDirectoryName(_databasePath)!;
            foreach (var backup in Directory.GetFiles(dir, Path.GetFileNameWithoutExtension(_databasePath) + "-backup*"))
            {
                Shred(backup);
            }
        }
    }

    /// <summary>Overwrites a file with zeros before deleting it, so its blocks do not keep the data for whoever reads the disk next.</summary>
    private static void Shred(string file)
    {
        using (var f = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var zeros = new byte[64 * 1024];
            for (var left = f.Length; left > 0; left -= zeros.Length)
            {
                f.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
            }

            f.Flush(flushToDisk: true);
        }

        File.Delete(file);
    }

    // ---- crawl state

    public CrawlRun StartRun(long targetId, long mandateId, string startedBy, DateTimeOffset at)
    {
        using (Hold())
        {
            var col = Db.GetCollection("runs", BsonAutoId.Int64);
            var doc = new BsonDocument { ["targetId"] = targetId };
            var id = col.Insert(doc).AsInt64;
            var run = new CrawlRun(id, targetId, mandateId, startedBy, at, RunState.Running, 0, 0, 0, null);
            SaveRun(run);
            return run;
        }
    }

    public CrawlRun? UnfinishedRun(long targetId)
    {
        using (Hold())
        {
            return Runs(targetId).LastOrDefault(r => r.State is RunState.Running or RunState.Interrupted);
        }
    }

    public void SaveRun(CrawlRun run)
    {
        using (Hold())
        {
            var col = Db.GetCollection("runs");
            col.Upsert(new BsonDocument
            {
                ["_id"] = run.Id,
                ["targetId"] = run.TargetId,
                ["json"] = StoreJson.Write(run),
            });
        }
    }

    public IReadOnlyList<CrawlRun> Runs(long? targetId)
    {
        using (Hold())
        {
            var col = Db.GetCollection("runs");
            var docs = targetId is null ? col.FindAll() : col.Find(Query.EQ("targetId", targetId.Value));
            return docs.Where(d => d.ContainsKey("json")).Select(d => StoreJson.Read<CrawlRun>(d["json"].AsString)).OrderBy(r => r.Id).ToList();
        }
    }

    public bool Enqueue(long runId, string canonicalUrl, int depth)
    {
        using (Hold())
        {
            var col = Db.GetCollection("frontier", BsonAutoId.Int64);
            var key = runId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalUrl)));
            if (col.Exists(Query.EQ("key", key)))
            {
                return false;
            }

            try
            {
                col.Insert(new BsonDocument
                {
                    ["key"] = key,
                    ["runId"] = runId,
                    ["url"] = canonicalUrl,
                    ["depth"] = depth,
                    ["done"] = false,
                });
                return true;
            }
            catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                return false;
            }
        }
    }

    public IReadOnlyList<FrontierItem> PendingBatch(long runId, int limit)
    {
        using (Hold())
        {
            return Db.GetCollection("frontier").Query()
                .Where(Query.EQ("runId", runId))
                .Where(Query.EQ("done", false))
                .OrderBy("_id")
                .Limit(limit)
                .ToEnumerable()
                .Select(doc => new FrontierItem(doc["_id"].AsInt64, runId, doc["url"].AsString, doc["depth"].AsInt32,
                    doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0))
                .ToList();
        }
    }

    public void MarkDone(long itemId)
    {
        using (Hold())
        {
            var col = Db.GetCollection("frontier");
            var doc = col.FindById(itemId);
            if (doc is not null)
            {
                doc["done"] = true;
                col.Update(doc);
            }
        }
    }

    public int Requeue(long itemId) => InTransaction(() =>
    {
        var col = Db.GetCollection("frontier", BsonAutoId.Int64);
        var doc = col.FindById(itemId);
        if (doc is null)
        {
            return (0, false);
        }

        var attempts = (doc.ContainsKey("attempts") ? doc["attempts"].AsInt32 : 0) + 1;
        col.Delete(itemId);
        doc.Remove("_id");
        doc["attempts"] = attempts;
        col.Insert(doc);
        return (attempts, true);
    });

    public RunLeaseAttempt TryTakeRunLease(RunLease candidate, Func<RunLease, bool> isDead) => InTransaction(() =>
    {
        var col = Db.GetCollection("runLeases");
        var held = col.FindById(candidate.TargetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null;
        if (held is not null && held.OwnerId != candidate.OwnerId && !isDead(held))
        {
            return (new RunLeaseAttempt(null, held, null), false);
        }

        col.Upsert(new BsonDocument { ["_id"] = candidate.TargetId, ["owner"] = candidate.OwnerId, ["json"] = StoreJson.Write(candidate) });
        return (new RunLeaseAttempt(candidate, null, held?.OwnerId == candidate.OwnerId ? null : held), true);
    });

    public bool RenewRunLease(long targetId, string ownerId, DateTimeOffset at) => InTransaction(() =>
    {
        var col = Db.GetCollection("runLeases");
        if (col.FindById(targetId) is not { } doc || doc["owner"].AsString != ownerId)
        {
            return (false, false);
        }

        doc["json"] = StoreJson.Write(StoreJson.Read<RunLease>(doc["json"].AsString) with { HeartbeatAt = at });
        col.Update(doc);
        return (true, true);
    });

    public void ReleaseRunLease(long targetId, string ownerId) => InTransaction(() =>
    {
        var col = Db.GetCollection("runLeases");
        var mine = col.FindById(targetId) is { } doc && doc["owner"].AsString == ownerId;
        if (mine)
        {
            col.Delete(targetId);
        }

        return (mine, mine);
    });

    public RunLease? FindRunLease(long targetId)
    {
        using (Hold())
        {
            return Db.GetCollection("runLeases").FindById(targetId) is { } doc ? StoreJson.Read<RunLease>(doc["json"].AsString) : null;
        }
    }

    public CachedRobots? FindRobots(string host)
    {
        using (Hold())
        {
            var doc = Db.GetCollection("robots").FindById(host);
            return doc is null ? null : StoreJson.Read<CachedRobots>(doc["json"].AsString);
        }
    }

    public void SaveRobots(CachedRobots robots)
    {
        using (Hold())
        {
            Db.GetCollection("robots").Upsert(new BsonDocument { ["_id"] = robots.Host, ["json"] = StoreJson.Write(robots) });
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one LiteDB transaction (which, in shared mode, also holds the
    /// file's cross-process lock): committed when it says so, rolled back otherwise or on error.
    /// </summary>
    private T InTransaction<T>(Func<(T Result, bool Commit)> body)
    {
        using (Hold())
        {
            Db.BeginTrans();
            try
            {
                var (result, commit) = body();
                if (commit)
                {
                    Db.Commit();
                }
                else
                {
                    Db.Rollback();
                }

                return result;
            }
            catch
            {
                Db.Rollback();
                throw;
            }
        }
    }

    public void Dispose() => _lease.Dispose();
}
