using Npgsql;

namespace Crawler.Storage.Postgres;

/// <summary>Statements with positional parameters ($1, $2, …): values never go into the SQL text.</summary>
internal static class Sql
{
    public static async Task<int> ExecAsync(this NpgsqlConnection c, string sql, params object?[] args)
    {
        await using var command = Command(c, sql, args);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(this NpgsqlConnection c, string sql, params object?[] args)
    {
        await using var command = Command(c, sql, args);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection c, string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        await using var command = Command(c, sql, args);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>The first row's value, or null when there is none.</summary>
    public static async Task<T?> FirstAsync<T>(this NpgsqlConnection c, string sql, Func<NpgsqlDataReader, T> map, params object?[] args) where T : class =>
        (await c.QueryAsync(sql, map, args)).FirstOrDefault();

    /// <summary>Takes a transaction-scoped advisory lock: one writer at a time for (<paramref name="kind"/>, <paramref name="id"/>), across processes.</summary>
    public static Task LockAsync(this NpgsqlConnection c, int kind, long id) =>
        c.ExecAsync("SELECT pg_advisory_xact_lock($1, $2)", kind, unchecked((int)id));

    /// <summary>One statement of a batch (several statements in one round trip).</summary>
    public static NpgsqlBatchCommand Statement(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, args);
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, c);
        AddParameters(command.Parameters, args);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, object?[] args)
    {
        foreach (var arg in args)
        {
            parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
    }
}
