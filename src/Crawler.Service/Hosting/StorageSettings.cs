using Npgsql;

namespace Crawler.Service.Hosting;

public enum StorageKind
{
    /// <summary>The encrypted LiteDB file in the data folder: one machine (the default).</summary>
    LiteDb,

    /// <summary>A PostgreSQL database: several instances, the operations staff's backups and replicas.</summary>
    Postgres,
}

/// <summary>
/// Which database holds the stores: <c>CRAWLER_STORAGE</c> = <c>litedb</c> (default) or <c>postgres</c>, with the
/// connection string in <c>CRAWLER_POSTGRES</c> or in the file <c>CRAWLER_POSTGRES_FILE</c> names (outside the data
/// folder: whoever copies the folder gets no password), and optionally retention's own login in
/// <c>CRAWLER_POSTGRES_RETENTION</c>. The keys stay in the key folder whichever database is used.
/// </summary>
public sealed record StorageSettings(StorageKind Kind, string? ConnectionString = null, string? RetentionConnectionString = null)
{
    public const string KindVariable = "CRAWLER_STORAGE";
    public const string ConnectionVariable = "CRAWLER_POSTGRES";
    public const string ConnectionFileVariable = "CRAWLER_POSTGRES_FILE";
    public const string RetentionVariable = "CRAWLER_POSTGRES_RETENTION";

    public static StorageSettings LiteDb { get; } = new(StorageKind.LiteDb);

    /// <summary>The settings from the process's environment.</summary>
#pragma warning disable RS0030 // The composition root's default, for hosts whose entry point passed no settings of its own.
    public static StorageSettings FromEnvironment(string dataDirectory) => From(Environment.GetEnvironmentVariable, dataDirectory);
#pragma warning restore RS0030

    /// <summary>Reads and checks the settings; a clear error naming the variable when they are wrong (never echoing a password).</summary>
    public static StorageSettings From(Func<string, string?> variable, string dataDirectory)
    {
        var kind = variable(KindVariable)?.Trim();
        if (string.IsNullOrEmpty(kind) || kind.Equals("litedb", StringComparison.OrdinalIgnoreCase))
        {
            return LiteDb;
        }

        if (!kind.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{KindVariable}: '{kind}' is not a storage; use litedb (the default) or postgres");
        }

        var (connection, source) = variable(ConnectionVariable) is { Length: > 0 } given ? (given, ConnectionVariable)
            : variable(ConnectionFileVariable) is { Length: > 0 } file ? (ReadConnectionFile(file, dataDirectory), file)
            : throw new InvalidDataException(
                $"{KindVariable} is postgres but no connection string is given: set {ConnectionVariable}, or {ConnectionFileVariable} to a file outside the data folder");
        var retention = variable(RetentionVariable) is { Length: > 0 } r ? Check(r, RetentionVariable) : null;
        return new StorageSettings(StorageKind.Postgres, Check(connection, source), retention);
    }

    private static string ReadConnectionFile(string file, string dataDirectory)
    {
        var full = Path.GetFullPath(file);
        var data = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (full.StartsWith(data, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{ConnectionFileVariable}: '{full}' lies inside the data folder; keep the connection string outside it, as the keys are");
        }

        if (!File.Exists(full))
        {
            throw new InvalidDataException($"{ConnectionFileVariable}: '{full}' does not exist");
        }

        return File.ReadAllText(full).Trim();
    }

    private static string Check(string connection, string source)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException ex)
        {
            // The message names the key at fault; the value (which may hold a password) is not repeated.
            throw new InvalidDataException($"{source}: not a PostgreSQL connection string ({ex.Message})", ex);
        }

        if (string.IsNullOrWhiteSpace(parsed.Host) || string.IsNullOrWhiteSpace(parsed.Database))
        {
            throw new InvalidDataException($"{source}: the connection string names no {(string.IsNullOrWhiteSpace(parsed.Host) ? "Host" : "Database")}");
        }

        return connection;
    }
}
