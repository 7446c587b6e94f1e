using NUnit.Framework;
using System.Security.Cryptography;
using Crawler.Storage.Postgres;
using Crawler.Testing;

namespace Crawler.Storage.Tests;

/// <summary>
/// One fresh database for one test, of either kind: the contract tests run the same assertions against each.
/// <see cref="Open"/> may be called more than once: each store stands for a process of its own on the same database.
/// </summary>
public abstract class StoreFactory : IDisposable
{
    public abstract byte[] AuditKey { get; }

    internal abstract TestStore Open();

    public abstract void Dispose();
}

/// <summary>A LiteDB data folder in a temp folder, with its key folder beside it.</summary>
public sealed class LiteStoreFactory : StoreFactory
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crawler-store-" + Guid.NewGuid().ToString("N"));
    private readonly DataFolder _folder;

    public LiteStoreFactory() => _folder = DataFolder.Create(_dir);

    public override byte[] AuditKey => _folder.AuditKey;

    internal override TestStore Open() => new(DataFolder.Create(_dir));

    public override void Dispose()
    {
        foreach (var d in new[] { _dir, _dir + ".keys" }.Where(Directory.Exists))
        {
            Directory.Delete(d, recursive: true);
        }
    }
}

/// <summary>A new database on the tests' PostgreSQL cluster, dropped afterwards; the audit key stays in memory, as keys never go into PostgreSQL.</summary>
public sealed class PostgresStoreFactory : StoreFactory
{
    private readonly byte[] _auditKey = RandomNumberGenerator.GetBytes(32);

    public PostgresStoreFactory() => ConnectionString = PostgresCluster.Instance.CreateDatabase();

    public string ConnectionString { get; }

    public override byte[] AuditKey => _auditKey;

    internal override TestStore Open() => new(PostgresDatabase.Open(ConnectionString), _auditKey);

    public override void Dispose() => PostgresCluster.Instance.DropDatabase(ConnectionString);
}

/// <summary>A fixture over a fresh database of the kind <typeparamref name="TStore"/> makes, opened for each test and removed after it.</summary>
public abstract class StoreTests<TStore>
    where TStore : StoreFactory, new()
{
    private TStore? _factory;
    private TestStore? _store;

    private protected TStore Factory => _factory ?? throw new InvalidOperationException("no test is running");

    private protected TestStore Store => _store ?? throw new InvalidOperationException("no test is running");

    [SetUp]
    public void OpenStore()
    {
        _factory = new TStore();
        _store = _factory.Open();
    }

    [TearDown]
    public void RemoveStore()
    {
        _store?.Dispose();
        _factory?.Dispose();
        _store = null;
        _factory = null;
    }
}
