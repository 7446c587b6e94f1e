using Crawler.Core.Storage;
using Crawler.Storage.Lite;
using LiteDB;
using NUnit.Framework;

namespace Crawler.Storage.Tests;

/// <summary>The database's owning thread: group commit, what a failure costs, and what another process's write does to what is held in memory.</summary>
public sealed class DatabaseContextTests
{
    private string _dir = "";
    private LiteDatabaseContext _db = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "crawler-context-" + Guid.NewGuid().ToString("N"));
        _db = new LiteDatabaseContext(DataFolder.Create(_dir));
    }

    [TearDown]
    public void TearDown()
    {
        _db.Dispose();
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_dir + ".keys", recursive: true);
    }

    private static Func<LiteDatabase, (bool, bool)> Insert(int i) => d =>
    {
        d.GetCollection("things").Insert(new BsonDocument { ["_id"] = i });
        return (true, true);
    };

    private static long Count(LiteDatabaseContext db) => db.ReadAsync(d => d.GetCollection("things").LongCount()).GetAwaiter().GetResult();

    [Test]
    public async Task Writes_queued_together_share_commits_and_all_of_them_are_on_file_after_reopening()
    {
        var before = _db.Commits;

        // Queued at once, as a crawl's pages queue theirs: the owner takes them in one go and commits them together.
        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => _db.WriteAsync(Insert(i))));

        Assert.That(_db.Commits - before, Is.LessThan(200).And.GreaterThan(0));
        _db.Dispose();
        _db = new LiteDatabaseContext(DataFolder.Open(_dir));
        Assert.That(Count(_db), Is.EqualTo(200));
    }

    [Test]
    public async Task A_write_that_fails_costs_only_its_own_caller_and_the_rest_of_its_group_is_written()
    {
        var writes = Enumerable.Range(1, 20).Select(i => i == 10
            ? _db.WriteAsync<bool>(_ => throw new InvalidOperationException("this write fails"))
            : _db.WriteAsync(Insert(i))).ToList();

        var failed = Assert.ThrowsAsync<InvalidOperationException>(async () => await writes[9]);
        Assert.That(failed!.Message, Is.EqualTo("this write fails"));
        foreach (var write in writes.Where((_, i) => i != 9))
        {
            Assert.That(await write, Is.True);
        }

        _db.Dispose();
        _db = new LiteDatabaseContext(DataFolder.Open(_dir));
        Assert.That(Count(_db), Is.EqualTo(19));
    }

    [Test]
    public async Task A_write_acknowledged_as_applied_that_is_lost_after_all_stops_every_later_operation()
    {
        var runs = 0;
        var applied = _db.WriteAsync(d =>
        {
            // Written the first time; refused when its group is rolled back and it is run again alone.
            if (Interlocked.Increment(ref runs) > 1)
            {
                throw new IOException("the disk is full");
            }

            d.GetCollection("things").Insert(new BsonDocument { ["_id"] = 1 });
            return (true, true);
        }, Durability.Applied);
        var failing = _db.WriteAsync<bool>(_ => throw new InvalidOperationException("rolls the group back"));

        Assert.That(await applied, Is.True, "acknowledged once applied");
        Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
        var later = Assert.ThrowsAsync<IOException>(async () => await _db.ReadAsync(d => d.GetCollection("things").LongCount()));
        Assert.That(later!.Message, Does.Contain("acknowledged earlier could not be committed").And.Contain("the disk is full"));
    }

    [Test]
    public async Task A_write_by_another_process_moves_the_change_stamp_once_this_one_opens_the_file_again()
    {
        var mandates = new LiteMandateStore(_db);
        await mandates.UsageAsync(1);
        var before = mandates.ChangeStamp;
        await mandates.UsageAsync(1);
        Assert.That(mandates.ChangeStamp, Is.EqualTo(before), "reading changes nothing");

        // A second context on the folder stands for a second process: it asks for the file, and this one hands it over.
        using (var other = new LiteDatabaseContext(DataFolder.Open(_dir)))
        {
            await new LiteMandateStore(other).CountPageAsync(1);
        }

        var usage = await mandates.UsageAsync(1);
        Assert.That(mandates.ChangeStamp, Is.Not.EqualTo(before));
        Assert.That(usage.PagesFetched, Is.EqualTo(1), "what the other process wrote is read, not an old copy");
    }
}
