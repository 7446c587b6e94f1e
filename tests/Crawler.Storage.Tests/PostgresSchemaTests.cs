using Crawler.Core.Audit;
using Crawler.Storage.Postgres;
using Npgsql;
using NUnit.Framework;

namespace Crawler.Storage.Tests;

/// <summary>What only PostgreSQL has: the versioned schema, the roles that keep the trail append-only, and a trail altered in the database.</summary>
public sealed class PostgresSchemaTests : StoreTests<PostgresStoreFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static AuditRecord Record(int i) => new("sanne", AuditOperation.Collect, $"url:{i:D20}", "fetched");

    private async Task<T?> ScalarAsync<T>(string sql, string? role = null)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        if (role is not null)
        {
            await using var setRole = new NpgsqlCommand($"SET ROLE {role}", connection);
            await setRole.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    [Test]
    public async Task Opening_again_applies_nothing_twice_and_records_each_version_once()
    {
        PostgresDatabase.Open(Factory.ConnectionString).Dispose();

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM schema_version"), Is.EqualTo(PostgresSchema.Migrations.Count));
        Assert.That(await ScalarAsync<int>("SELECT max(version) FROM schema_version"), Is.EqualTo(PostgresSchema.CodeVersion));
    }

    [Test]
    public async Task Upgrading_to_the_contact_counter_counts_the_contacts_already_stored()
    {
        // A database as version 3 left it: contacts of two mandates, a usage row for one of them only.
        await ScalarAsync<int>("INSERT INTO contacts (key, mandate_id) VALUES ('a', 7), ('b', 7), ('c', 7), ('d', 8), ('e', 8)");
        await ScalarAsync<int>("INSERT INTO mandate_usage (mandate_id, pages, hits) VALUES (7, 10, 3) ON CONFLICT (mandate_id) DO NOTHING");
        await ScalarAsync<int>("ALTER TABLE mandate_usage DROP COLUMN contacts");

        // Version 4 as the migrator applies it to such a database (later versions are already in place here).
        await ScalarAsync<int>(PostgresSchema.Migrations.Single(m => m.Version == 4).Sql);

        Assert.That(await ScalarAsync<long>("SELECT contacts FROM mandate_usage WHERE mandate_id = 7"), Is.EqualTo(3));
        Assert.That(await ScalarAsync<long>("SELECT contacts FROM mandate_usage WHERE mandate_id = 8"), Is.EqualTo(2));
        Assert.That(await ScalarAsync<long>("SELECT pages FROM mandate_usage WHERE mandate_id = 7"), Is.EqualTo(10), "the usage is kept");
    }

    [Test]
    public async Task A_database_with_a_newer_schema_is_refused_and_left_unchanged()
    {
        var newer = PostgresSchema.CodeVersion + 1;
        await ScalarAsync<int>($"INSERT INTO schema_version (version, name) VALUES ({newer}, '{newer:D4}_from_the_future')");
        await ScalarAsync<int>("CREATE TABLE from_the_future (id int)");

        var error = Assert.Throws<InvalidDataException>(() => PostgresDatabase.Open(Factory.ConnectionString).Dispose())!;

        Assert.That(error.Message, Does.Contain($"schema is version {newer}, newer than this crawler's ({PostgresSchema.CodeVersion})"));
        Assert.That(error.Message, Does.Contain("nothing was changed"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM schema_version"), Is.EqualTo(PostgresSchema.Migrations.Count + 1));
    }

    [Test]
    public async Task The_applications_role_can_add_to_the_trail_but_never_change_or_remove_an_entry()
    {
        await Store.Audit.AppendAsync([Record(1)], T0, [], Store.Signer);

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM audit", role: "crawler_app"), Is.EqualTo(1));
        var update = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>("UPDATE audit SET hash = 'x'", role: "crawler_app"))!;
        var delete = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>("DELETE FROM audit", role: "crawler_app"))!;
        var truncate = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>("TRUNCATE audit", role: "crawler_app"))!;

        Assert.That(new[] { update.SqlState, delete.SqlState, truncate.SqlState }, Has.All.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM audit"), Is.EqualTo(1));
        Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>("UPDATE audit SET hash = 'x'", role: "crawler_retention"), "retention removes, never rewrites");
    }

    [Test]
    public async Task The_applications_role_may_keep_the_shared_schedule_in_quartzs_tables()
    {
        // What a serve instance does as it checks in, schedules and leaves: insert, update, delete, under crawler_app.
        await ScalarAsync<int>("INSERT INTO qrtz_scheduler_state VALUES ('crawler', 'app1', 1, 5000, '4.7.3')", role: "crawler_app");
        await ScalarAsync<int>("UPDATE qrtz_scheduler_state SET last_checkin_time = 2 WHERE instance_name = 'app1'", role: "crawler_app");
        await ScalarAsync<int>("INSERT INTO qrtz_locks VALUES ('crawler', 'TRIGGER_ACCESS')", role: "crawler_app");

        Assert.That(await ScalarAsync<long>("SELECT last_checkin_time FROM qrtz_scheduler_state", role: "crawler_app"), Is.EqualTo(2));
        await ScalarAsync<int>("DELETE FROM qrtz_scheduler_state", role: "crawler_app");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state"), Is.Zero);
    }

    [Test]
    public async Task Two_processes_on_one_database_book_a_hosts_slots_one_after_the_other()
    {
        // A second store stands for a second instance: its own connections, the same host_slots rows.
        using var other = Factory.Open();
        var delay = TimeSpan.FromMilliseconds(250);
        var slots = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Store : other).HostSlots.BookAsync("https://a.example", T0, delay))));

        var ordered = slots.Order().ToList();
        Assert.That(ordered.Zip(ordered.Skip(1), (a, b) => b - a), Has.All.EqualTo(delay));
    }

    [Test]
    public async Task An_entry_rewritten_in_the_database_by_its_owner_is_detected_at_its_sequence()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.Audit.AppendAsync([Record(i)], T0.AddSeconds(i), [], Store.Signer);
        }

        // The owner of the tables can do anything to them; without the audit key, the chain says where.
        var forged = AuditCodec.Encode(3, T0.AddSeconds(3), Record(99), (await Store.Audit.EntriesAsync().ToListAsync())[1].Hash);
        await using (var connection = new NpgsqlConnection(Factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE audit SET entry = $1 WHERE sequence = 3", connection) { Parameters = { new() { Value = forged } } };
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var result = AuditChain.Verify(Factory.AuditKey, await Store.Audit.EntriesAsync().ToListAsync());

        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBadSequence, Is.EqualTo(3));
    }

    [Test]
    public async Task The_service_runs_as_a_member_of_crawler_app_and_only_retentions_own_login_trims_the_trail()
    {
        // Logins as a deployment makes them (roles are the cluster's, so made once for all tests).
        await ScalarAsync<int>(
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crawler_test_service') THEN CREATE ROLE crawler_test_service LOGIN IN ROLE crawler_app; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crawler_test_trim') THEN CREATE ROLE crawler_test_trim LOGIN IN ROLE crawler_retention; END IF;
            EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
            END $$
            """);
        string As(string login) => new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Username = login }.ConnectionString;
        var erasure = new AuditRecord("system", "retention", "audit", "erased", "older than the retention period");

        using (var alone = new TestStore(PostgresDatabase.Open(As("crawler_test_service")), Factory.AuditKey))
        {
            for (var i = 1; i <= 3; i++)
            {
                await alone.Audit.AppendAsync([Record(i)], T0.AddDays(i), [], alone.Signer);
            }

            var refused = Assert.ThrowsAsync<PostgresException>(() => alone.Retention.EraseAuditBeforeAsync(T0.AddDays(3), erasure, T0.AddDays(9), alone.Signer))!;
            Assert.That(refused.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), "the service's own login cannot remove entries");
        }

        using var service = new TestStore(PostgresDatabase.Open(As("crawler_test_service"), As("crawler_test_trim")), Factory.AuditKey);
        var anchor = await service.Retention.EraseAuditBeforeAsync(T0.AddDays(3), erasure, T0.AddDays(9), service.Signer);
        await service.Audit.AppendAsync([Record(4)], T0.AddDays(10), [], service.Signer);

        Assert.That(anchor!.Sequence, Is.EqualTo(2));
        var entries = await service.Audit.EntriesAsync().ToListAsync();
        Assert.That(entries.Select(e => e.Sequence), Is.EqualTo(new long[] { 3, 4, 5 }));
        Assert.That(AuditChain.Verify(Factory.AuditKey, entries, anchor: anchor).Ok, Is.True);
    }
}
