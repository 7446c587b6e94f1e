using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>
/// The one encrypted LiteDB file of a data folder, shared by the per-aggregate stores. The CLI and a running
/// <c>crawler serve</c> can use the same folder: the file is held through a <see cref="DatabaseLease"/> that each
/// process takes in turn. Within the process every call is serialised under one gate, which the lease shares;
/// multi-step writes run in one transaction.
/// </summary>
public sealed class LiteDatabaseContext : IDisposable
{
    private readonly DatabaseLease _lease;
    private readonly object _gate = new();

    public LiteDatabaseContext(DataFolder folder)
    {
        Folder = folder;
        var connection = new ConnectionString
        {
            Filename = folder.DatabasePath,
            Connection = ConnectionType.Direct,

            // LiteDB encrypts every page with AES under this key; the key never lies in the data folder.
            Password = folder.DatabasePassword,
        };
        _lease = new DatabaseLease(connection, folder.DatabasePath + ".lock", _gate, EnsureSchema);

        // Open once now, so that a wrong key or a locked folder is reported at once.
        try
        {
            Read(_ => true);
        }
        catch (Exception ex) when (ex is LiteException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            _lease.Dispose();
            throw new InvalidDataException(
                $"{folder.DatabasePath}: cannot be opened with the database key in use; is '{folder.KeysDirectory}' (--keys, or CRAWLER_DB_KEY) this data folder's key folder? ({ex.Message})", ex);
        }
    }

    public DataFolder Folder { get; }

    private static void EnsureSchema(LiteDatabase db)
    {
        try
        {
            db.GetCollection("targets").EnsureIndex("name", unique: true);
        }
        catch (LiteException ex)
        {
            throw new InvalidDataException($"the database cannot be opened with the database key in use ({ex.Message})", ex);
        }

        db.GetCollection("hits").EnsureIndex("mandateId");
        db.GetCollection("hits").EnsureIndex("sameKey");
        db.GetCollection("frontier").EnsureIndex("key", unique: true);
        db.GetCollection("frontier").EnsureIndex("runId");
        db.GetCollection("runs").EnsureIndex("targetId");
        db.GetCollection("contacts").EnsureIndex("mandateId");
        db.GetCollection("tokens").EnsureIndex("user");
    }

    /// <summary>Reads under the lease (re-entrant), so the lease is not given up half-way.</summary>
    internal T Read<T>(Func<LiteDatabase, T> body)
    {
        _lease.Enter();
        try
        {
            return body(_lease.Db);
        }
        finally
        {
            _lease.Exit();
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one LiteDB transaction under the lease: committed when it says so, rolled
    /// back otherwise or on error.
    /// </summary>
    internal T Write<T>(Func<LiteDatabase, (T Result, bool Commit)> body)
    {
        _lease.Enter();
        try
        {
            var db = _lease.Db;
            db.BeginTrans();
            try
            {
                var (result, commit) = body(db);
                if (commit)
                {
                    db.Commit();
                }
                else
                {
                    db.Rollback();
                }

                return result;
            }
            catch
            {
                db.Rollback();
                throw;
            }
        }
        finally
        {
            _lease.Exit();
        }
    }

    internal void Write(Action<LiteDatabase> body) => Write(db =>
    {
        body(db);
        return (true, true);
    });

    public void Dispose() => _lease.Dispose();
}
