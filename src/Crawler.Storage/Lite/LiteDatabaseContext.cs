using Crawler.Core.Audit;
using Crawler.Core.Storage;
using LiteDB;

namespace Crawler.Storage.Lite;

/// <summary>
/// The one encrypted LiteDB file of a data folder, shared by the per-aggregate stores, and owned by one thread of this
/// process. LiteDB's transactions belong to a thread; with one owner, the writes of many callers share a transaction
/// and are committed together (group commit): a write is acknowledged only once its group is committed, and a group
/// is committed as soon as nothing more is waiting, or when it has grown large or old. Reads run in order with the
/// writes and see every write queued before them. The CLI and a running <c>crawler serve</c> can use the same
/// folder: the file is held through a <see cref="DatabaseLease"/>, kept while busy and handed over on request.
/// </summary>
/// <remarks>
/// A write is acknowledged when committed (<see cref="Durability.Committed"/>), or as soon as it is applied
/// (<see cref="Durability.Applied"/>: ordered before every later operation and visible to it, and durable with the
/// next commit). Should a write acknowledged as applied be lost after all (its group fails to commit and it fails
/// again alone), the context refuses every later operation: nothing may then be recorded as done that rests on it.
/// A body passed to <c>WriteAsync</c> that declines to commit must
/// not have written anything: its group goes on. A body that throws rolls its group back; the other writes of the
/// group are then run again one by one, each in its own transaction, so one failure costs no other caller its write.
/// </remarks>
public sealed class LiteDatabaseContext : IDisposable
{
    private const int MaxGroup = 2048;

    /// <summary>Under load, commits come at most this often: each then carries the writes of many pages (fewer, larger writes to the file).</summary>
    private static readonly TimeSpan MinCommitInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>More writes than this committed within one commit interval mean the store is under load, and groups are worth waiting for.</summary>
    private const int LoadedWrites = 16;

    /// <summary>
    /// The log is copied into the data file when it holds this many pages (LiteDB's default is 1,000). A page written by
    /// many commits in between (an index's, a collection's) reaches the data file once per checkpoint, not once per
    /// thousand log pages; the log grows to at most this many 8 KiB pages (64 MiB).
    /// </summary>
    private const int CheckpointPages = 8_000;

    /// <summary>No group stays open longer, whatever its writes.</summary>
    private static readonly TimeSpan MaxGroupAge = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(200);

    private readonly DatabaseLease _lease;
    private readonly TimeProvider _time;
    private readonly Queue<Operation> _queue = new();
    private readonly List<Operation> _group = [];
    private readonly Thread _owner;
    private bool _closing;
    private bool _inTransaction;
    private long _groupStarted;
    private long _lastCommit;
    private bool _committedWaiting;
    private bool _loaded;
    private int _windowWrites;
    private long _windowStarted;
    private long _generation;
    private long _commits;
    private long _mandateChanges;
    private Exception? _fault;

    public LiteDatabaseContext(DataFolder folder, TimeProvider? time = null)
    {
        Folder = folder;
        _time = time ?? TimeProvider.System;
        var connection = new ConnectionString
        {
            Filename = folder.DatabasePath,
            Connection = ConnectionType.Direct,

            // LiteDB encrypts every page with AES under this key; the key never lies in the data folder.
            Password = folder.DatabasePassword,
        };
        _lease = new DatabaseLease(connection, folder.DatabasePath + ".lock", EnsureSchema, _time);
        _lease.Opened += () =>
        {
            Interlocked.Increment(ref _generation);
            Forget();
        };
        _owner = new Thread(Own) { IsBackground = true, Name = "crawler-database" };
        _owner.Start();

        // Open once now, so that a wrong key or a locked folder is reported at once.
        try
        {
            ReadAsync(_ => true).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is LiteException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            Dispose();
            throw new InvalidDataException(
                $"{folder.DatabasePath}: cannot be opened with the database key in use; is '{folder.KeysDirectory}' (--keys, or CRAWLER_DB_KEY) this data folder's key folder? ({ex.Message})", ex);
        }
    }

    public DataFolder Folder { get; }

    /// <summary>
    /// Goes up each time the file is opened anew: another process may have changed anything while this one did not
    /// hold it, so what a caller keeps in memory from the store is to be read again.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Commits that wrote, since the context was opened (for the tests and the benchmark: how much group commit gathers).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many times a mandate was written through this process (see <see cref="LiteMandateStore.ChangeStamp"/>).</summary>
    internal long MandateChanges => Interlocked.Read(ref _mandateChanges);

    internal void NoteMandateChange() => Interlocked.Increment(ref _mandateChanges);

    /// <summary>Mandates as last read or written, by id; kept by the owning thread, forgotten on a rollback or a reopen.</summary>
    internal Dictionary<long, Core.Mandates.Mandate?> Mandates { get; } = [];

    /// <summary>Mandate usage as last read or written, by mandate id; kept by the owning thread, forgotten on a rollback or a reopen.</summary>
    internal Dictionary<long, (Core.Policy.MandateUsage Usage, long? Contacts)> Usage { get; } = [];

    /// <summary>The trail's last entry as this transaction sees it; known only to the owning thread, forgotten on a rollback or a reopen.</summary>
    internal AuditHead? AuditHead { get; set; }

    /// <summary>Reads in order with the queued writes.</summary>
    internal Task<T> ReadAsync<T>(Func<LiteDatabase, T> body) => Enqueue(new Operation<T>(OperationKind.Read, d => (body(d), false)));

    /// <summary>
    /// Runs <paramref name="body"/> in the current group; the task ends when the group is committed, or once applied
    /// when <paramref name="durability"/> says so (and at once when the body declines to commit).
    /// </summary>
    internal Task<T> WriteAsync<T>(Func<LiteDatabase, (T Result, bool Commit)> body, Durability durability = Durability.Committed) =>
        Enqueue(new Operation<T>(durability == Durability.Applied ? OperationKind.Apply : OperationKind.Write, body));

    internal Task WriteAsync(Action<LiteDatabase> body, Durability durability = Durability.Committed) => WriteAsync(d =>
    {
        body(d);
        return (true, true);
    }, durability);

    /// <summary>Runs <paramref name="body"/> outside any transaction, after the group before it is committed (checkpoint, rebuild).</summary>
    internal Task<T> ExclusiveAsync<T>(Func<LiteDatabase, T> body) => Enqueue(new Operation<T>(OperationKind.Exclusive, d => (body(d), false)));

    private Task<T> Enqueue<T>(Operation<T> operation)
    {
        lock (_queue)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            if (_fault is not null)
            {
                return Task.FromException<T>(new IOException($"{Folder.DatabasePath}: a write acknowledged earlier could not be committed; nothing more is written until the store is opened again ({_fault.Message})", _fault));
            }

            _queue.Enqueue(operation);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_queue);
            }
        }

        return operation.Task;
    }

    private static void EnsureSchema(LiteDatabase db)
    {
        db.Pragma("CHECKPOINT", CheckpointPages);
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
        db.GetCollection("frontier").EnsureIndex("runId");

        // Frontier documents were once found by a hash of their URL; a run now keeps its frontier in memory, and a random
        // key in a large index cost a page write for every new URL.
        db.GetCollection("frontier").DropIndex("key");
        db.GetCollection("runs").EnsureIndex("targetId");
        db.GetCollection("contacts").EnsureIndex("mandateId");
        db.GetCollection("tokens").EnsureIndex("user");
    }

    /// <summary>The owning thread: takes operations in order, groups writes, commits, and gives the file up when idle or asked.</summary>
    private void Own()
    {
        while (true)
        {
            var wait = _inTransaction ? UntilCommit() : _lease.IsOpen ? IdleRelease : Timeout.InfiniteTimeSpan;
            var next = Take(wait, out var closing);
            if (next is null)
            {
                if (closing)
                {
                    CommitGroup();
                    if (ClosingAndEmpty())
                    {
                        break;
                    }
                }
                else if (_inTransaction)
                {
                    if (UntilCommit() == TimeSpan.Zero)
                    {
                        CommitGroup();
                    }
                }
                else if (_lease.IsOpen)
                {
                    // Idle: another process may have the file meanwhile.
                    _lease.Release();
                }

                continue;
            }

            if (next.Kind == OperationKind.Exclusive)
            {
                CommitGroup();
                RunAlone(next);
                continue;
            }

            Run(next);
            if (_inTransaction && (_group.Count >= MaxGroup || _time.GetElapsedTime(_groupStarted) >= MaxGroupAge))
            {
                CommitGroup();
            }

            if (_lease.HandoverRequested())
            {
                CommitGroup();
                _lease.Release(handover: true);
            }
        }

        _lease.Dispose();
    }

    /// <summary>
    /// How long the open group may still gather writes. A caller waiting for a commit is served at once while the store
    /// is not under load (a command's few writes are each committed as they come); under load (a crawl), commits come
    /// no more often than the commit interval, each carrying the writes of many pages. A group of writes acknowledged
    /// as applied waits longer; one of reads only ends at once.
    /// </summary>
    private TimeSpan UntilCommit()
    {
        if (_group.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var left = !_committedWaiting ? MaxGroupAge - _time.GetElapsedTime(_groupStarted)
            : _loaded ? MinCommitInterval - _time.GetElapsedTime(_lastCommit)
            : TimeSpan.Zero;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The next operation; null when none came within <paramref name="wait"/>, or when closing with none left.</summary>
    private Operation? Take(TimeSpan wait, out bool closing)
    {
        lock (_queue)
        {
            closing = _closing;
            if (_queue.Count > 0)
            {
                return _queue.Dequeue();
            }

            if (_closing || wait == TimeSpan.Zero)
            {
                return null;
            }

            Monitor.Wait(_queue, wait);
            closing = _closing;
            return _queue.Count > 0 ? _queue.Dequeue() : null;
        }
    }

    private bool ClosingAndEmpty()
    {
        lock (_queue)
        {
            return _closing && _queue.Count == 0;
        }
    }

    private void Run(Operation operation)
    {
        LiteDatabase db;
        try
        {
            db = _lease.Db;
            if (!_inTransaction)
            {
                db.BeginTrans();
                _inTransaction = true;
                _groupStarted = _time.GetTimestamp();
            }
        }
        catch (Exception ex)
        {
            operation.Fail(ex);
            return;
        }

        bool wrote;
        try
        {
            wrote = operation.Run(db);
        }
        catch (Exception ex)
        {
            RollBack();
            operation.Fail(ex);
            Replay();
            return;
        }

        if (wrote)
        {
            _group.Add(operation);
            if (operation.Kind == OperationKind.Apply)
            {
                operation.Complete();
            }
            else
            {
                _committedWaiting = true;
            }
        }
        else
        {
            operation.Complete();
        }
    }

    private void CommitGroup()
    {
        if (!_inTransaction)
        {
            return;
        }

        try
        {
            _lease.Db.Commit();
            _inTransaction = false;
        }
        catch (Exception)
        {
            RollBack();
            Replay();
            return;
        }

        foreach (var operation in _group)
        {
            operation.Complete();
        }

        // Only a commit that wrote spaces out the next: a read-only transaction costs the file nothing.
        if (_group.Count > 0)
        {
            _lastCommit = _time.GetTimestamp();
            Interlocked.Increment(ref _commits);
            NoteLoad(_group.Count);
        }

        _group.Clear();
        _committedWaiting = false;
    }

    /// <summary>Whether the writes committed over the last commit interval make the store one under load.</summary>
    private void NoteLoad(int writes)
    {
        _windowWrites += writes;
        if (_time.GetElapsedTime(_windowStarted) >= MinCommitInterval)
        {
            _loaded = _windowWrites >= LoadedWrites;
            _windowWrites = 0;
            _windowStarted = _time.GetTimestamp();
        }
        else if (_windowWrites >= LoadedWrites)
        {
            _loaded = true;
        }
    }

    /// <summary>The group's writes again, each alone: a failure is then its own caller's only.</summary>
    private void Replay()
    {
        var again = _group.ToList();
        _group.Clear();
        _committedWaiting = false;
        foreach (var operation in again)
        {
            try
            {
                var db = _lease.Db;
                db.BeginTrans();
                _inTransaction = true;
                if (operation.Run(db))
                {
                    db.Commit();
                }
                else
                {
                    db.Rollback();
                }

                _inTransaction = false;
                operation.Complete();
            }
            catch (Exception ex)
            {
                RollBack();
                if (operation.Kind == OperationKind.Apply)
                {
                    // Its caller went on as if it were written: say so to every later caller rather than let it pass unnoticed.
                    lock (_queue)
                    {
                        _fault ??= ex;
                    }
                }

                operation.Fail(ex);
            }
        }
    }

    /// <summary>What the owning thread keeps in memory is read again from the file.</summary>
    private void Forget()
    {
        AuditHead = null;
        Mandates.Clear();
        Usage.Clear();
    }

    private void RollBack()
    {
        Forget();
        if (!_inTransaction)
        {
            return;
        }

        _inTransaction = false;
        try
        {
            _lease.Db.Rollback();
        }
        catch (Exception)
        {
            // The engine cannot even roll back (a disk fault): close it, so the next operation opens the file afresh.
            _lease.Release();
        }
    }

    private void RunAlone(Operation operation)
    {
        try
        {
            operation.Run(_lease.Db);
            operation.Complete();
        }
        catch (Exception ex)
        {
            operation.Fail(ex);
        }
    }

    /// <summary>Commits what is queued and gives the file up.</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_queue);
        }

        _owner.Join();
    }

    private enum OperationKind
    {
        Read,
        Write,
        Apply,
        Exclusive,
    }

    private abstract class Operation(OperationKind kind)
    {
        public OperationKind Kind { get; } = kind;

        /// <summary>Runs the body; true when it wrote, and so belongs to its group's commit.</summary>
        public abstract bool Run(LiteDatabase db);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class Operation<T>(OperationKind kind, Func<LiteDatabase, (T Result, bool Commit)> body) : Operation(kind)
    {
        // Continuations run on the thread pool, never on the database's own thread.
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public override bool Run(LiteDatabase db)
        {
            var (result, commit) = body(db);
            _result = result;
            return commit;
        }

        public override void Complete() => _done.TrySetResult(_result!);

        public override void Fail(Exception ex) => _done.TrySetException(ex);
    }
}
