using System.Globalization;

namespace MemberCare.Components.Common;

/// <summary>Times as staff read them: in the store's time zone, in the interface's culture.</summary>
public static class Times
{
    private static readonly TimeZoneInfo s_zone = FindZone();

    public static string Format(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, s_zone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>"in 2 h 5 min" or "5 min ago", for SLA deadlines.</summary>
    public static (TimeSpan Left, bool Overdue) Until(DateTimeOffset due, DateTimeOffset now) =>
        due >= now ? (due - now, false) : (now - due, true);

    public static string Span(TimeSpan span) => span.TotalHours >= 48
        ? FormattableString.Invariant($"{(int)span.TotalDays} d")
        : span.TotalMinutes >= 60
            ? FormattableString.Invariant($"{(int)span.TotalHours} h {span.Minutes} min")
            : FormattableString.Invariant($"{Math.Max(0, (int)span.TotalMinutes)} min");

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
