using System.Runtime.InteropServices;

namespace MemberCare.TriageBench;

/// <summary>
/// The CPU time the calling thread has run, from the kernel: on a machine shared with other jobs, wall time measures
/// the queue for the cores as much as the code, while a thread's CPU time counts only the time it was on a core.
/// </summary>
internal static partial class ThreadClock
{
    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    public static long Nanoseconds()
    {
        if (ClockGetTime(ThreadCpuTime, out var now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }
        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    public static double Seconds() => Nanoseconds() / 1e9;

    /// <summary>CPU seconds (user + system) of this process's children that have exited and been waited for, from /proc/self/stat.</summary>
    public static double ChildrenSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name (which may hold spaces) start at the state, field 3; cutime and cstime are 16 and 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
