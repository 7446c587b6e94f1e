using System.Diagnostics;
using System.Globalization;

namespace Crawler.Cli;

/// <summary>
/// What this process used between two moments: processor time, bytes allocated, garbage collections and the time the
/// program stood still for them, bytes written (Linux's <c>/proc/self/io</c>, where available), and its peak working set. <c>crawl run --json</c> reports it for the crawl
/// itself, start-up excluded, so operators and the whole-crawl benchmark read the same figures.
/// </summary>
public sealed record ResourceUse(double CpuSeconds, long AllocatedBytes, long? BytesWritten, long? StorageBytesWritten, long PeakWorkingSetBytes, double Seconds,
    int[] Collections, double GcPauseSeconds)
{
    public static Mark Start(TimeProvider time) => new(time, time.GetTimestamp(), Cpu(), GC.GetTotalAllocatedBytes(precise: false), Io(), CollectionCounts(),
        GC.GetTotalPauseDuration());

    private static int[] CollectionCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>A starting point; <see cref="Since"/> measures from it.</summary>
    public sealed record Mark(TimeProvider Time, long Timestamp, TimeSpan Cpu, long Allocated, (long Written, long Storage)? Io, int[] Collections, TimeSpan Paused)
    {
        public ResourceUse Since()
        {
            var io = ResourceUse.Io();
            using var process = Process.GetCurrentProcess();
            return new ResourceUse(
                (ResourceUse.Cpu() - Cpu).TotalSeconds,
                GC.GetTotalAllocatedBytes(precise: false) - Allocated,
                io is { } end && Io is { } start ? end.Written - start.Written : null,
                io is { } end2 && Io is { } start2 ? end2.Storage - start2.Storage : null,
                process.PeakWorkingSet64,
                Time.GetElapsedTime(Timestamp).TotalSeconds,
                [.. CollectionCounts().Zip(Collections, (now, then) => now - then)],
                (GC.GetTotalPauseDuration() - Paused).TotalSeconds);
        }
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>wchar (bytes handed to write calls) and write_bytes (bytes sent to storage) of this process, on Linux.</summary>
    private static (long Written, long Storage)? Io()
    {
        const string file = "/proc/self/io";
        if (!File.Exists(file))
        {
            return null;
        }

        long? written = null, storage = null;
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                written = parts[0] == "wchar" ? value : written;
                storage = parts[0] == "write_bytes" ? value : storage;
            }
        }

        return written is { } w && storage is { } s ? (w, s) : null;
    }
}
