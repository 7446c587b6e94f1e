using System.Diagnostics;
using LiteDB;

namespace Crawler.Storage;

/// <summary>
/// Exclusive, short-lived use of the database file, so that the CLI and a running <c>crawler serve</c>
/// can share a data folder while LiteDB runs in direct mode. Direct mode opens the encrypted file
/// once per lease instead of once per operation (shared mode derives the AES key on every call,
/// about 12 ms), but it does not stop a second process from writing at the same time; the lock
/// file does. A holder gives the file up when idle, and after a long busy stretch pauses briefly so
/// that a waiting process gets its turn.
/// </summary>
internal sealed class DatabaseLease : IDisposable
{
    private static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Courtesy = TimeSpan.FromMilliseconds(30);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private readonly ConnectionString _connection;
    private readonly string _lockPath;
    private readonly object _gate;
    private readonly Timer _idle;
    private readonly Action<LiteDatabase> _onOpen;
    private FileStream? _lock;
    private LiteDatabase? _db;
    private long _openedAt;
    private long _lastUse;
    private long _releasedBusyAt;
    private int _depth;
    private bool _disposed;

    public DatabaseLease(ConnectionString connection, string lockPath, object gate, Action<LiteDatabase> onOpen)
    {
        _connection = connection;
        _lockPath = lockPath;
        _gate = gate;
        _onOpen = onOpen;
        _idle = new Timer(_ => ReleaseIfIdle(), null, IdleRelease, IdleRelease);
    }

    /// <summary>The open database; only valid between <see cref="Enter"/> and <see cref="Exit"/>, under the gate.</summary>
    public LiteDatabase Db
    {
        get
        {
            Debug.Assert(Monitor.IsEntered(_gate) && _depth > 0, "the database is used outside a hold");
            if (_db is null)
            {
                Acquire();
            }

            _lastUse = Stopwatch.GetTimestamp();
            return _db!;
        }
    }

    public void Enter()
    {
        Monitor.Enter(_gate);
        _depth++;
    }

    public void Exit()
    {
        try
        {
            _depth--;
            if (_depth == 0 && _db is not null && Stopwatch.GetElapsedTime(_openedAt) > MaxHold)
            {
                Release();
                _releasedBusyAt = Stopwatch.GetTimestamp();
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void Acquire()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_releasedBusyAt != 0 && Stopwatch.GetElapsedTime(_releasedBusyAt) < Courtesy)
        {
            Thread.Sleep(Courtesy - Stopwatch.GetElapsedTime(_releasedBusyAt));
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                _lock = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                break;
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < WaitLimit)
            {
                // The holder is another process: there is no in-process condition to wait on, and a named
                // mutex would tie the release to the acquiring thread, which the idle timer is not.
                Thread.Sleep(10);
            }
            catch (IOException ex)
            {
                throw new InvalidDataException($"{_lockPath}: the data folder has been in use by another process for {WaitLimit.TotalSeconds:0} s", ex);
            }
        }

        try
        {
            _db = new LiteDatabase(_connection);
            _onOpen(_db);
        }
        catch
        {
            _db?.Dispose();
            _db = null;
            _lock.Dispose();
            _lock = null;
            throw;
        }

        _openedAt = Stopwatch.GetTimestamp();
    }

    private void Release()
    {
        _db?.Dispose();
        _db = null;
        _lock?.Dispose();
        _lock = null;
    }

    private void ReleaseIfIdle()
    {
        if (!Monitor.TryEnter(_gate))
        {
            return;
        }

        try
        {
            if (_depth == 0 && _db is not null && Stopwatch.GetElapsedTime(_lastUse) >= IdleRelease)
            {
                Release();
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    public void Dispose()
    {
        _idle.Dispose();
        lock (_gate)
        {
            _disposed = true;
            Release();
        }
    }
}
