using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Crawler.Storage.Postgres;
using Npgsql;

namespace Crawler.Testing;

/// <summary>
/// The PostgreSQL server the storage tests use: the one <c>.ci/run</c> started (its connection string in
/// CRAWLER_TEST_POSTGRES), or else a throwaway cluster of its own in a temp folder on a loopback port, started with
/// initdb and pg_ctl from PATH or /usr/lib/postgresql/*/bin and stopped when the tests end. Without either, the
/// PostgreSQL tests fail saying what is missing. Each test gets a fresh database copied from a migrated template.
/// Shared by the test projects as a linked source file; a cluster started here is stopped when the test process exits.
/// </summary>
public sealed class PostgresCluster
{
    public const string Variable = "CRAWLER_TEST_POSTGRES";
    private const string Template = "crawler_template";

    private static readonly Lazy<PostgresCluster> Shared = new(Start);
    private readonly string? _folder;
    private readonly string? _pgCtl;
    private readonly bool _asPostgres;
    private readonly NpgsqlConnectionStringBuilder _server;

    private PostgresCluster(string connectionString, string? folder = null, string? pgCtl = null, bool asPostgres = false)
    {
        _asPostgres = asPostgres;
        _server = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        _folder = folder;
        _pgCtl = pgCtl;
        using (var admin = Admin())
        {
            Exec(admin, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
            Exec(admin, $"CREATE DATABASE {Template}");
        }

        // Migrated once; every test database is a copy of it.
        PostgresDatabase.Open(ConnectionString(Template)).Dispose();
        NpgsqlConnection.ClearAllPools();
    }

    public static PostgresCluster Instance => Shared.Value;

    /// <summary>Stops the cluster if this process started one (it is stopped at the process's exit otherwise).</summary>
    public static void StopStarted()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Stop();
        }
    }

    /// <summary>A new empty database with the current schema; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "crawler_test_" + Guid.NewGuid().ToString("N")[..16];
        using var admin = Admin();
        Exec(admin, $"CREATE DATABASE {name} TEMPLATE {Template}");
        return ConnectionString(name);
    }

    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var admin = Admin();
        Exec(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>Stops a cluster this process started, and removes its folder.</summary>
    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null || _pgCtl is null || !Directory.Exists(_folder))
        {
            return;
        }

        Run(_pgCtl, ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"], _asPostgres);
        Directory.Delete(_folder, recursive: true);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private NpgsqlConnection Admin()
    {
        var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres" }.ConnectionString);
        admin.Open();
        return admin;
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgresCluster Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return new PostgresCluster(given);
        }

        var bin = FindBin() ?? throw new InvalidOperationException(
            $"PostgreSQL tests need a server: set {Variable} to a connection string (as .ci/run does), or install PostgreSQL so that initdb and pg_ctl are on PATH or in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)");
        var folder = Path.Combine(Path.GetTempPath(), "crawler-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);

        // initdb refuses root: as root, the cluster belongs to the postgres user.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["postgres", folder]);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "crawler", "-E", "UTF8", "--no-sync"], asRoot);
        var pgCtl = Path.Combine(bin, "pg_ctl");
        Run(pgCtl, ["-D", data, "-l", Path.Combine(folder, "log"), "-w", "-o", $"-h 127.0.0.1 -p {port} -k {folder} -F", "start"], asRoot);
        try
        {
            var cluster = new PostgresCluster($"Host=127.0.0.1;Port={port};Username=crawler;Database=postgres", folder, pgCtl, asRoot);

            // Whatever the tests' outcome, the cluster goes with the test process.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            return cluster;
        }
        catch
        {
            // A cluster whose template could not be made is stopped at once: nothing else would stop it.
            Run(pgCtl, ["-D", data, "-m", "immediate", "stop"], asRoot);
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    private static string? FindBin()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return fromPath ?? (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Run(string program, IReadOnlyList<string> args, bool asPostgres = false)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
