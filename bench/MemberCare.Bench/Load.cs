using System.Diagnostics;

namespace MemberCare.Bench;

internal sealed record FixedRateResult(int Messages, double AchievedPerSecond, double P50Ms, double P99Ms, double MaxMs, long Errors);

internal sealed record ThroughputResult(long Messages, double PerSecond, long Errors);

/// <summary>The two ways of loading a target: an open loop at a fixed arrival rate, and a closed loop at full speed.</summary>
internal static class Load
{
    /// <summary>
    /// Sends at fixed times whether or not earlier requests have been answered, and measures each latency from
    /// the time the request was due, not the time it went out, so a stalled server cannot hide its stall by
    /// slowing the sender (coordinated omission). Requests due during the warm-up are sent but not measured.
    /// </summary>
    public static async Task<FixedRateResult> AtFixedRateAsync(Target target, int perSecond, TimeSpan warmUp, TimeSpan duration)
    {
        var skipped = (long)(perSecond * warmUp.TotalSeconds);
        var total = skipped + (long)(perSecond * duration.TotalSeconds);
        var latencies = new double[total - skipped];
        var finishedAt = new long[total - skipped];
        var errorsBefore = target.Errors;
        var tasks = new List<Task>((int)total);
        var start = Stopwatch.GetTimestamp();
        long DueAt(long i) => start + (i * Stopwatch.Frequency / perSecond);

        async Task SendOneAsync(long i)
        {
            var due = DueAt(i);
            await target.SendAsync();
            if (i >= skipped)
            {
                var now = Stopwatch.GetTimestamp();
                latencies[i - skipped] = Stopwatch.GetElapsedTime(due, now).TotalMilliseconds;
                finishedAt[i - skipped] = now;
            }
        }

        for (long next = 0; next < total;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; next < total && DueAt(next) <= now; next++)
            {
                tasks.Add(SendOneAsync(next));
            }
            if (next < total)
            {
                // The timer wakes about once a millisecond; requests due meanwhile go out together, late,
                // and their lateness counts in their latency.
                await Task.Delay(1);
            }
        }
        await Task.WhenAll(tasks);

        Array.Sort(latencies);
        var measuredFrom = DueAt(skipped);
        var lastFinished = finishedAt.Length == 0 ? measuredFrom : finishedAt.Max();
        var seconds = Stopwatch.GetElapsedTime(measuredFrom, lastFinished).TotalSeconds;
        return new FixedRateResult(
            latencies.Length,
            seconds > 0 ? latencies.Length / seconds : 0,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : latencies[^1],
            target.Errors - errorsBefore);
    }

    /// <summary>Keeps every sender busy: each sends its next message as soon as the last is answered.</summary>
    public static async Task<ThroughputResult> AtFullSpeedAsync(Target target, int senders, TimeSpan warmUp, TimeSpan duration)
    {
        long answered = 0;
        var stop = 0;
        var errorsBefore = target.Errors;

        async Task SendUntilStoppedAsync()
        {
            while (Volatile.Read(ref stop) == 0)
            {
                await target.SendAsync();
                Interlocked.Increment(ref answered);
            }
        }

        var running = Enumerable.Range(0, senders).Select(_ => Task.Run(SendUntilStoppedAsync)).ToArray();
        await Task.Delay(warmUp);
        var countedFrom = Interlocked.Read(ref answered);
        var start = Stopwatch.GetTimestamp();
        await Task.Delay(duration);
        var countedTo = Interlocked.Read(ref answered);
        var elapsed = Stopwatch.GetElapsedTime(start);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(running);
        var messages = countedTo - countedFrom;
        return new ThroughputResult(messages, messages / elapsed.TotalSeconds, target.Errors - errorsBefore);
    }

    public static double Percentile(double[] sorted, double share)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(share * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
