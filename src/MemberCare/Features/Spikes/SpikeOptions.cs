using System.ComponentModel.DataAnnotations;
using MemberCare.Domain.Spikes;

namespace MemberCare.Features.Spikes;

/// <summary>Spike detection's settings (section "Spikes"); docs/spikes.md explains each.</summary>
public sealed class SpikeOptions
{
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:10", "365.00:00:00")]
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(7);

    [Range(0.001, 1000)]
    public double MinRate { get; set; } = 0.05;

    [Range(1e-12, 0.05)]
    public double Significance { get; set; } = 1e-6;

    [Range(2, 100_000)]
    public int MinCount { get; set; } = 5;

    /// <summary>How long detection observes before it alerts at all, so the first baselines are not guesses.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "60.00:00:00")]
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromDays(1);

    /// <summary>While an alert on a signature is open this long, the spike's further messages join it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long an untriaged message holds the watermark back before detection passes it by.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TriageGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PostgreSQL: how long an id the watermark passed while it was invisible (not committed yet) is looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PruneEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Concerns that are never defects, comma-separated.</summary>
    public string IgnoredConcerns { get; set; } = "praise";

    /// <summary>Also group messages by text similarity (MinHash bands), to find clusters no label names.</summary>
    public bool TextClusters { get; set; } = true;

    public SpikeRule Rule => new(Window, HalfLife, MinRate, Significance, MinCount);

    public bool Ignores(string concern) =>
        IgnoredConcerns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(concern, StringComparer.Ordinal);
}
