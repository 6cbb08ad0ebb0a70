using System.ComponentModel.DataAnnotations;

namespace MemberCare.Features.Triage.Retraining;

/// <summary>Triage:Retrain: the scheduled retrain (off by default) and how often nodes look for a promoted set.</summary>
public sealed class TriageRetrainOptions
{
    /// <summary>Off: this node never trains; it still loads the sets other nodes promote.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long after the last attempt (on any node) the next may start.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The shared corpora folder (what <c>membercare train --data</c> reads); required when enabled.</summary>
    public string? DataFolder { get; set; }

    /// <summary>The project's labels (data/triage); the agents' corrections are added to a copy of it.</summary>
    public string? LabelsFolder { get; set; }

    /// <summary>A retrain starts only once this many corrections arrived since the last attempt.</summary>
    [Range(0, 10_000_000)]
    public int MinNewCorrections { get; set; } = 50;

    /// <summary>How far below the current set's macro-F1 a candidate's may fall on a held-out corpus and still count as not worse.</summary>
    [Range(0.0, 0.1)]
    public double Tolerance { get; set; } = 0.005;

    /// <summary>How long a node's claim lasts; a node that dies while training frees the retrain after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "2.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often every node looks for a newer promoted set in the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where training writes its copies of the labels and its models, and where releases are unpacked.</summary>
    public string WorkFolder { get; set; } = Path.Combine(Path.GetTempPath(), "membercare-retrain");
}
