namespace MemberCare.Domain.Spikes;

/// <summary>
/// The parameters of spike detection (docs/spikes.md): counts are kept per <see cref="Window"/>-long bucket, the usual
/// rate is an exponentially weighted mean of past buckets with the given half-life, and a window whose count is at
/// least the Poisson level for that rate at <see cref="Significance"/> (and never below <see cref="MinCount"/>) alerts.
/// </summary>
public sealed record SpikeRule(TimeSpan Window, TimeSpan HalfLife, double MinRate, double Significance, int MinCount)
{
    public static SpikeRule Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromDays(7), 0.05, 1e-6, 5);

    /// <summary>The weight of the newest bucket in the mean: a bucket's weight halves every half-life.</summary>
    public double Smoothing => 1 - Math.Pow(0.5, Window / HalfLife);

    /// <summary>Counts are kept per slice, a twelfth of the window; the sliding window is the last twelve slices.</summary>
    public const int Slices = 12;

    public long SliceTicks => Math.Max(1, Window.Ticks / Slices);

    public long SliceOf(DateTimeOffset at) => at.UtcTicks - (at.UtcTicks % SliceTicks);

    /// <summary>The first slice of the sliding window that ends with the slice of <paramref name="at"/>.</summary>
    public long WindowFrom(DateTimeOffset at) => SliceOf(at) - ((Slices - 1) * SliceTicks);

    /// <summary>
    /// The first window observed whole. Detection rarely starts on a window's boundary, and a partial first window
    /// learned as a whole one would set every baseline too low (at 1,000 messages/s a third too low after 20 s).
    /// </summary>
    public DateTimeOffset FirstFullWindow(DateTimeOffset observedSince) =>
        BucketOf(observedSince) == observedSince ? observedSince.ToUniversalTime() : BucketOf(observedSince) + Window;

    /// <summary>The usual count per window from a mean that started at zero, corrected for the windows it has seen.</summary>
    public double Rate(double mean, DateTimeOffset observedSince, DateTimeOffset closedThrough)
    {
        var closed = (closedThrough - FirstFullWindow(observedSince)) / Window;
        if (closed < 1)
        {
            return MinRate;
        }
        var weight = 1 - Math.Pow(1 - Smoothing, closed);
        return Math.Max(MinRate, mean / weight);
    }

    public DateTimeOffset BucketOf(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % Window.Ticks), TimeSpan.Zero);
    }

    /// <summary>The smallest count a window must reach to alert at this rate, above any level a lead dismissed.</summary>
    public int AlertLevel(double rate, int dismissedLevel)
    {
        var level = Math.Max(MinCount, dismissedLevel + 1);
        level = Math.Max(level, (int)Math.Floor(rate) + 1);
        while (PoissonTail.AtLeast(level, rate) > Significance)
        {
            level++;
        }
        return level;
    }
}

/// <summary>Upper tail probabilities of the Poisson distribution, computed in log space so large rates do not underflow.</summary>
public static class PoissonTail
{
    /// <summary>P(X ≥ n) for X ~ Poisson(rate).</summary>
    public static double AtLeast(int n, double rate)
    {
        if (n <= 0)
        {
            return 1;
        }
        if (rate <= 0)
        {
            return 0;
        }
        if (n <= rate)
        {
            return 1 - AtMost(n - 1, rate);
        }
        // Above the mean the terms shrink, so the sum from n upward converges in a few dozen terms.
        var logTerm = (n * Math.Log(rate)) - rate - LogFactorial(n);
        var term = Math.Exp(logTerm);
        var sum = term;
        for (var k = n + 1; term > sum * 1e-15 && k < n + 100_000; k++)
        {
            term *= rate / k;
            sum += term;
        }
        return Math.Min(1, sum);
    }

    private static double AtMost(int n, double rate)
    {
        var sum = 0.0;
        var logRate = Math.Log(rate);
        for (var k = 0; k <= n; k++)
        {
            sum += Math.Exp((k * logRate) - rate - LogFactorial(k));
        }
        return Math.Min(1, sum);
    }

    private static double LogFactorial(int n)
    {
        if (n < 2)
        {
            return 0;
        }
        if (n < 64)
        {
            var sum = 0.0;
            for (var k = 2; k <= n; k++)
            {
                sum += Math.Log(k);
            }
            return sum;
        }
        // Stirling's series; at n ≥ 64 its error is far below a double's precision.
        double x = n;
        return (x * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI * x)) + (1 / (12 * x)) - (1 / (360 * x * x * x));
    }
}
