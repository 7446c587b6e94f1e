using LiteDB;

namespace Crawler.Storage;

/// <summary>
/// Exclusive use of the database file, so that the CLI and a running <c>crawler serve</c> can share a data folder
/// while LiteDB runs in direct mode (which opens the encrypted file once per hold, not once per call, but does not
/// keep a second process out; the lock file does). The holder keeps the file while it is busy and gives it up when
/// idle, or at once when another process asks for it by leaving a request file beside the lock. Used by the one
/// thread that owns the database in this process, so it needs no lock of its own.
/// </summary>
internal sealed class DatabaseLease : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan CheckRequestsEvery = TimeSpan.FromMilliseconds(20);

    // After handing the file over, the holder lets the asker in before it asks again.
    private static readonly TimeSpan HandoverGrace = TimeSpan.FromMilliseconds(25);

    private readonly ConnectionString _connection;
    private readonly string _lockPath;
    private readonly string _requestPath;
    private readonly Action<LiteDatabase> _onOpen;
    private readonly TimeProvider _time;
    private FileStream? _lock;
    private LiteDatabase? _db;
    private long _lastRequestCheck;
    private long _handedOverAt;

    public DatabaseLease(ConnectionString connection, string lockPath, Action<LiteDatabase> onOpen, TimeProvider time)
    {
        _connection = connection;
        _lockPath = lockPath;
        _requestPath = lockPath + ".wanted";
        _onOpen = onOpen;
        _time = time;
    }

    /// <summary>Opened again after being given up: another process may have written meanwhile.</summary>
    public event Action? Opened;

    public bool IsOpen => _db is not null;

    /// <summary>The open database, taking the file first when it is not held.</summary>
    public LiteDatabase Db => _db ?? Acquire();

    /// <summary>Whether another process has asked for the file (checked at most every few milliseconds: a file-system look-up).</summary>
    public bool HandoverRequested()
    {
        if (_db is null || _time.GetElapsedTime(_lastRequestCheck) < CheckRequestsEvery)
        {
            return false;
        }

        _lastRequestCheck = _time.GetTimestamp();
        return File.Exists(_requestPath);
    }

    /// <summary>Gives the file up (idle, or asked for); <paramref name="handover"/> leaves the asker a moment to take it.</summary>
    public void Release(bool handover = false)
    {
        _db?.Dispose();
        _db = null;
        _lock?.Dispose();
        _lock = null;
        if (handover)
        {
            _handedOverAt = _time.GetTimestamp();
        }
    }

    /// <summary>LiteDB's API is synchronous, so its thread blocks; on the lease's clock, so a test can move the wait.</summary>
    private void Pause(TimeSpan span) => Task.Delay(span, _time).GetAwaiter().GetResult();

    private LiteDatabase Acquire()
    {
        if (_handedOverAt != 0 && _time.GetElapsedTime(_handedOverAt) < HandoverGrace)
        {
            // Only the database's own thread waits here, holding no lock: the process has nothing to do without the file.
            Pause(HandoverGrace - _time.GetElapsedTime(_handedOverAt));
        }

        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                _lock = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                break;
            }
            catch (IOException) when (_time.GetElapsedTime(started) < WaitLimit)
            {
                // The holder is another process: ask it to hand over, and look again shortly. There is no in-process
                // condition to wait on, and a named mutex would tie the release to the thread that took it.
                Ask();
                Pause(PollEvery);
            }
            catch (IOException ex)
            {
                throw new InvalidDataException($"{_lockPath}: the data folder has been in use by another process for {WaitLimit.TotalSeconds:0} s", ex);
            }
        }

        Withdraw();
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

        _lastRequestCheck = _time.GetTimestamp();
        Opened?.Invoke();
        return _db;
    }

    private void Ask()
    {
        try
        {
            if (!File.Exists(_requestPath))
            {
                using var _ = new FileStream(_requestPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
        }
        catch (IOException)
        {
            // Asked already, or the folder is read-only: the holder still gives the file up when idle.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private void Withdraw()
    {
        try
        {
            File.Delete(_requestPath);
        }
        catch (IOException)
        {
            // Another asker's request stays; the holder answers it in turn.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    public void Dispose() => Release();
}
