using System.Reflection;
using Crawler.Core.Storage;
using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by the per-aggregate stores, and by every process pointed at it. Each operation
/// runs on a pooled connection in its own transaction; what must be decided in one writer order (the chain's head,
/// a mandate's caps, a run's frontier, a lease) is decided under a row or advisory lock inside that transaction.
/// </summary>
/// <remarks>
/// A write acknowledged as <see cref="Durability.Applied"/> is committed without waiting for its WAL record to reach
/// the disk (<c>synchronous_commit = off</c>): it is ordered before and visible to every later operation at once, and
/// becomes durable with the next flush, which the next write acknowledged as committed forces.
/// </remarks>
public sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _retention;

    private PostgresDatabase(NpgsqlDataSource source, NpgsqlDataSource retention)
    {
        _source = source;
        _retention = retention;
    }

    /// <summary>
    /// Opens the database and brings its schema up to this code's version in one transaction. A database whose schema is
    /// newer than the code is refused and left as it is. <paramref name="retentionConnectionString"/>, when given, is the
    /// login through which retention trims the trail (the application's own may not delete from it).
    /// </summary>
    public static PostgresDatabase Open(string connectionString, string? retentionConnectionString = null)
    {
        var source = Source(connectionString);
        var retention = retentionConnectionString is null ? source : Source(retentionConnectionString);
        try
        {
            PostgresSchema.Migrate(source);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Close(source, retention);
            var at = new NpgsqlConnectionStringBuilder(connectionString);
            throw new InvalidDataException($"PostgreSQL database '{at.Database}' on {at.Host}:{at.Port}: cannot be opened ({ex.Message})", ex);
        }
        catch
        {
            Close(source, retention);
            throw;
        }

        return new PostgresDatabase(source, retention);
    }

    /// <summary>
    /// A data source whose connections prepare the statements they run often (a crawl runs the same few for every page:
    /// prepared, the server parses and plans each once per connection), unless the connection string says otherwise.
    /// </summary>
    private static NpgsqlDataSource Source(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!new NpgsqlConnectionStringBuilder(connectionString).ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        return builder.Build();
    }

    private static void Close(NpgsqlDataSource source, NpgsqlDataSource retention)
    {
        if (!ReferenceEquals(retention, source))
        {
            retention.Dispose();
        }

        source.Dispose();
    }

    /// <summary>Runs <paramref name="body"/> in a transaction, committed when it says so and rolled back otherwise.</summary>
    internal Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<(T Result, bool Commit)>> body, Durability durability = Durability.Committed,
        CancellationToken ct = default) => InTransactionAsync(_source, body, durability, ct);

    internal Task WriteAsync(Func<NpgsqlConnection, Task> body, Durability durability = Durability.Committed, CancellationToken ct = default) =>
        WriteAsync(async c =>
        {
            await body(c);
            return (true, true);
        }, durability, ct);

    /// <summary>A write through retention's own login (the only one allowed to remove entries from the trail).</summary>
    internal Task<T> RetentionWriteAsync<T>(Func<NpgsqlConnection, Task<(T Result, bool Commit)>> body, CancellationToken ct = default) =>
        InTransactionAsync(_retention, body, Durability.Committed, ct);

    /// <summary>Reads on a connection of its own (one statement, or several that need not see one snapshot).</summary>
    internal async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> body, CancellationToken ct = default)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        return await body(connection);
    }

    /// <summary>Runs a statement outside any transaction (VACUUM cannot run inside one).</summary>
    internal async Task ExecuteAloneAsync(string sql, CancellationToken ct = default)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> InTransactionAsync<T>(NpgsqlDataSource source, Func<NpgsqlConnection, Task<(T Result, bool Commit)>> body,
        Durability durability, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (durability == Durability.Applied)
        {
            await using var relaxed = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection);
            await relaxed.ExecuteNonQueryAsync(ct);
        }

        var (result, commit) = await body(connection);
        if (commit)
        {
            await transaction.CommitAsync(ct);
        }
        else
        {
            await transaction.RollbackAsync(ct);
        }

        return result;
    }

    public void Dispose() => Close(_source, _retention);
}

/// <summary>The schema's versions: embedded SQL files named <c>NNNN_what.sql</c>, applied in order, each recorded in <c>schema_version</c>.</summary>
internal static class PostgresSchema
{
    private const string Prefix = "Crawler.Storage.Postgres.Migrations.";

    /// <summary>An advisory lock's key ("crawlmig"): two processes starting at once migrate one after the other.</summary>
    private const long MigrationLock = 0x637261776c6d6967;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    public static int CodeVersion => Migrations[^1].Version;

    public static void Migrate(NpgsqlDataSource source)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        // Created only when missing: the service's own login (crawler_app) may read the schema's version but create nothing.
        using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
        if (!(bool)exists.ExecuteScalar()!)
        {
            Execute(connection, "CREATE TABLE schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }

        using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        var version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CodeVersion)
        {
            transaction.Rollback();
            throw new InvalidDataException(
                $"database '{connection.Database}': its schema is version {version}, newer than this crawler's ({CodeVersion}); nothing was changed. Run the crawler version that wrote it, or a later one.");
        }

        foreach (var (number, name, sql) in Migrations.Where(m => m.Version > version))
        {
            Execute(connection, sql);
            using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new() { Value = number });
            record.Parameters.Add(new() { Value = name });
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[Prefix.Length..^".sql".Length];
            var version = int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add((version, name, reader.ReadToEnd()));
        }

        return migrations;
    }
}
