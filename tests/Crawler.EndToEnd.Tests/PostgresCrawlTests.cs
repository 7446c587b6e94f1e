using System.Globalization;
using Crawler.Testing;
using Npgsql;
using NUnit.Framework;

namespace Crawler.EndToEnd.Tests;

/// <summary>The whole crawler over PostgreSQL (CRAWLER_STORAGE=postgres): the same commands, the same crawl, the trail verifying.</summary>
public sealed class PostgresCrawlTests
{
    [Test]
    public async Task A_crawl_over_postgres_stores_its_hits_there_and_its_trail_verifies()
    {
        var database = PostgresCluster.Instance.CreateDatabase();
        try
        {
            await using var site = await DemoSite.DemoSite.StartAsync();
            using var lab = await Lab.CreateAsync(postgres: database);
            var (target, _) = await lab.TargetWithApprovedMandateAsync(site.BaseUrl);

            var run = await lab.Ok("crawl", "run", "--target", target.ToString(CultureInfo.InvariantCulture), "--as", "sanne", "--json");
            var verified = await lab.Ok("audit", "verify", "--as", "aaron");
            var again = await lab.Ok("init", "--lab");

            Assert.That(run.Json.GetProperty("state").GetString(), Is.EqualTo("completed"));
            var hits = run.Json.GetProperty("hits").GetInt32();
            Assert.That(hits, Is.GreaterThan(0));
            Assert.That(verified.Out, Does.Contain("OK"));
            Assert.That(again.Out, Does.StartWith("already initialised"), "the keys are there and the database is PostgreSQL's");
            Assert.That(File.Exists(Path.Combine(lab.Dir, "crawler.db")), Is.False, "nothing went into a LiteDB file");
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM hits), (SELECT count(*) FROM audit), (SELECT max(sequence) FROM audit)", connection);
            await using var row = await count.ExecuteReaderAsync();
            await row.ReadAsync();
            Assert.That(row.GetInt64(0), Is.EqualTo(hits));
            Assert.That(row.GetInt64(1), Is.EqualTo(row.GetInt64(2)), "one entry per sequence, none missing");
        }
        finally
        {
            PostgresCluster.Instance.DropDatabase(database);
        }
    }

    [Test]
    public async Task Storage_set_to_postgres_without_a_connection_string_is_refused_naming_what_is_missing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crawler-test-" + Guid.NewGuid().ToString("N"));
        var missing = await Lab.RunIn(dir, new Dictionary<string, string> { ["CRAWLER_STORAGE"] = "postgres" }, "init");
        var unknown = await Lab.RunIn(dir, new Dictionary<string, string> { ["CRAWLER_STORAGE"] = "oracle" }, "init");
        var inside = await Lab.RunIn(dir, new Dictionary<string, string>
        {
            ["CRAWLER_STORAGE"] = "postgres", ["CRAWLER_POSTGRES_FILE"] = Path.Combine(dir, "postgres.conn"),
        }, "init");

        Assert.That(missing.Code, Is.Not.Zero);
        Assert.That(missing.Err, Does.Contain("CRAWLER_POSTGRES").And.Not.Contain("   at "));
        Assert.That(unknown.Err, Does.Contain("CRAWLER_STORAGE: 'oracle' is not a storage"));
        Assert.That(inside.Err, Does.Contain("lies inside the data folder"));
        Assert.That(Directory.Exists(dir), Is.False, "nothing was created");
    }
}
