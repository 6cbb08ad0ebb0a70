using System.ComponentModel.DataAnnotations;

namespace MemberCare.Features.Delivery;

/// <summary>The outbox worker's settings (section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    /// <summary>Off on a node that must not send (a read replica, a one-off admin verb).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long the worker sleeps when it found nothing due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Deliveries in flight at once on one node.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>How long a claim holds: a crashed node's rows are due again when it ends. Longer than a request's timeout.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public RetryScheduleOptions Retry { get; set; } = new();

    /// <summary>Hosts an administrator allows even though they resolve to loopback or private addresses.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class RetryScheduleOptions
{
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1.1, 10)]
    public double Factor { get; set; } = 3;

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Retries stop once the planned delays add up to this; the message is then dead.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each delay is moved by up to this fraction either way, so that a failed burst does not retry in lockstep.</summary>
    [Range(0, 0.9)]
    public double Jitter { get; set; } = 0.2;
}

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "MemberCare <care@localhost>";
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
}
