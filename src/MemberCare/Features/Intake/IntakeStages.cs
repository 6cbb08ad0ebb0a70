using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Intake;

/// <summary>A stage of storing a message, as <see cref="IntakeStages"/> times it.</summary>
public enum IntakeStage
{
    /// <summary>The text models on the caller's thread, before the message is queued.</summary>
    ReadText,

    /// <summary>From queueing a message to the start of the batch that carries it (summed per message).</summary>
    QueueWait,

    /// <summary>The query for messages already stored (idempotency).</summary>
    ReadStored,

    /// <summary>The queries for identities, customers and open conversations.</summary>
    ReadCustomers,

    /// <summary>The query counting each sender's recent messages, for triage.</summary>
    ReadRecent,

    /// <summary>Threading in memory: customers, conversations and messages built by their verbs.</summary>
    Thread,

    /// <summary>Completing each new message's triage with its sender's context.</summary>
    Triage,

    /// <summary>The prepared INSERT and UPDATE commands.</summary>
    Write,

    /// <summary>The routing rules over the batch, with their reads and writes.</summary>
    Route,

    /// <summary>The commit: on SQLite the WAL fsync (and a checkpoint, when one runs on the writer).</summary>
    Commit,

    /// <summary>Telling the workspace feed and completing the callers' tasks.</summary>
    Publish,

    /// <summary>A whole batch, from its first read to its last answer.</summary>
    Batch,

    /// <summary>The background WAL checkpoints (SQLite), off the writer.</summary>
    Checkpoint,
}

/// <summary>
/// Wall-clock time per stage of intake, summed over batches, for the load generator to read between runs
/// (<c>GET /api/v1/bench/intake-stages</c>). Off unless <c>Intake:StageTiming</c> is true: then each stage costs
/// two timestamps and an interlocked add. Process CPU time and GC figures come with each snapshot, so CPU per
/// message can be set against the wall time of each stage.
/// </summary>
public sealed class IntakeStages(IOptions<IntakeOptions> options)
{
    private static readonly int s_stages = Enum.GetValues<IntakeStage>().Length;
    private readonly long[] _ticks = new long[s_stages];
    private readonly long[] _max = new long[s_stages];
    private readonly long[] _counts = new long[s_stages];
    private readonly Lock _lock = new();
    private long _batches;
    private long _messages;
    private long _largestBatch;
    private long _since = Stopwatch.GetTimestamp();
    private TimeSpan _cpuSince = Process.GetCurrentProcess().TotalProcessorTime;
    private TimeSpan _gcPauseSince = GC.GetTotalPauseDuration();
    private int[] _collectionsSince = Collections();

    public bool Enabled { get; } = options.Value.StageTiming;

    /// <summary>A timestamp to pass to <see cref="Add"/>; 0 when timing is off.</summary>
    public long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    public void Add(IntakeStage stage, long started)
    {
        if (!Enabled)
        {
            return;
        }
        var elapsed = Stopwatch.GetTimestamp() - started;
        var i = (int)stage;
        Interlocked.Add(ref _ticks[i], elapsed);
        Interlocked.Increment(ref _counts[i]);
        long max;
        while (elapsed > (max = Volatile.Read(ref _max[i])) && Interlocked.CompareExchange(ref _max[i], elapsed, max) != max)
        {
        }
    }

    public void AddBatch(int messages)
    {
        if (!Enabled)
        {
            return;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _messages, messages);
        long max;
        while (messages > (max = Volatile.Read(ref _largestBatch)) && Interlocked.CompareExchange(ref _largestBatch, messages, max) != max)
        {
        }
    }

    /// <summary>The figures since the last snapshot, and a fresh start.</summary>
    public IntakeStagesSnapshot TakeAndReset()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var gcPause = GC.GetTotalPauseDuration();
            var collections = Collections();
            var stages = new Dictionary<string, IntakeStageFigures>();
            for (var i = 0; i < s_stages; i++)
            {
                var ticks = Interlocked.Exchange(ref _ticks[i], 0);
                var count = Interlocked.Exchange(ref _counts[i], 0);
                var max = Interlocked.Exchange(ref _max[i], 0);
                stages[((IntakeStage)i).ToString()] = new IntakeStageFigures(count, ToMs(ticks), ToMs(max));
            }
            var snapshot = new IntakeStagesSnapshot(
                Enabled,
                ToMs(now - _since),
                Interlocked.Exchange(ref _batches, 0),
                Interlocked.Exchange(ref _messages, 0),
                Interlocked.Exchange(ref _largestBatch, 0),
                (cpu - _cpuSince).TotalMilliseconds,
                (gcPause - _gcPauseSince).TotalMilliseconds,
                [.. collections.Zip(_collectionsSince, (a, b) => a - b)],
                System.Runtime.GCSettings.IsServerGC,
                stages);
            _since = now;
            _cpuSince = cpu;
            _gcPauseSince = gcPause;
            _collectionsSince = collections;
            return snapshot;
        }
    }

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

public sealed record IntakeStageFigures(long Count, double TotalMs, double MaxMs);

public sealed record IntakeStagesSnapshot(
    bool Enabled,
    double ElapsedMs,
    long Batches,
    long Messages,
    long LargestBatch,
    double ProcessCpuMs,
    double GcPauseMs,
    int[] Collections,
    bool ServerGc,
    IReadOnlyDictionary<string, IntakeStageFigures> Stages);
