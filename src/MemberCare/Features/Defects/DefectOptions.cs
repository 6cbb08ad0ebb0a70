using System.ComponentModel.DataAnnotations;

namespace MemberCare.Features.Defects;

public sealed class DefectOptions
{
    /// <summary>How long a fixed defect's signature is watched for a recurrence.</summary>
    [Range(1, 365)]
    public int VerificationDays { get; set; } = 14;

    /// <summary>How often the sweep looks for recurrences, due actions and the briefing e-mail.</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 30;

    /// <summary>An action is reminded this many hours before it is due, and again each day it stays overdue.</summary>
    [Range(1, 168)]
    public int ReminderLeadHours { get; set; } = 24;

    /// <summary>The hour (0–23, in <see cref="TimeZone"/>) the daily briefing is e-mailed; none sends no e-mail.</summary>
    [Range(0, 23)]
    public int? BriefingHour { get; set; }

    /// <summary>The delivery target (an e-mail address) the briefing goes to.</summary>
    public long? BriefingTargetId { get; set; }

    public string TimeZone { get; set; } = "Europe/Oslo";

    /// <summary>What one minute of staff time costs, for the cost of mistakes.</summary>
    [Range(0, 100000)]
    public decimal MinuteCost { get; set; } = 6m;

    public TimeSpan VerificationPeriod => TimeSpan.FromDays(VerificationDays);

    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}
