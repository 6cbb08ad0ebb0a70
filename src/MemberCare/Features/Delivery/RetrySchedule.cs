namespace MemberCare.Features.Delivery;

/// <summary>
/// Exponential backoff with jitter: the n-th failure waits FirstDelay × Factor^(n-1), capped at MaxDelay, moved by
/// up to ±Jitter; once the planned waits add up to GiveUpAfter (about a day) the message is dead. The plan depends
/// only on the attempt count, so a manual retry from the dead-letter view gets a fresh day.
/// </summary>
public sealed class RetrySchedule(RetryScheduleOptions options)
{
    /// <summary>When to try again after the given failed attempt (1-based), or null to give up.</summary>
    public DateTimeOffset? Next(int failedAttempts, DateTimeOffset now, TimeSpan? retryAfter, Random random)
    {
        var planned = TimeSpan.Zero;
        var delay = TimeSpan.Zero;
        for (var n = 1; n <= failedAttempts; n++)
        {
            delay = Delay(n);
            planned += delay;
        }
        if (planned > options.GiveUpAfter)
        {
            return null;
        }
        var jittered = delay * (1 + options.Jitter * (random.NextDouble() * 2 - 1));
        if (retryAfter is { } asked && asked > jittered)
        {
            // The receiver said when (a rate limit): sooner would be refused again, so its word wins, up to the whole window.
            jittered = asked < options.GiveUpAfter ? asked : options.GiveUpAfter;
        }
        return now + jittered;
    }

    /// <summary>How many attempts a message gets before it is dead, the first one included.</summary>
    public int MaxAttempts
    {
        get
        {
            var planned = TimeSpan.Zero;
            var n = 0;
            while (true)
            {
                planned += Delay(n + 1);
                if (planned > options.GiveUpAfter)
                {
                    return n + 1;
                }
                n++;
            }
        }
    }

    public TimeSpan Delay(int failedAttempt)
    {
        var seconds = options.FirstDelay.TotalSeconds * Math.Pow(options.Factor, failedAttempt - 1);
        return seconds >= options.MaxDelay.TotalSeconds ? options.MaxDelay : TimeSpan.FromSeconds(seconds);
    }
}
