using System.Globalization;

namespace MemberCare.Domain.Departments;

/// <summary>
/// When a department works: opening windows per weekday and closed dates, in its own time zone. SLA time only runs
/// inside the windows, so a request at 17:00 on a Friday starts counting on Monday morning.
/// </summary>
public sealed class BusinessCalendar
{
    public const string DefaultHours = "mon 08:00-16:00; tue 08:00-16:00; wed 08:00-16:00; thu 08:00-16:00; fri 08:00-16:00";

    private static readonly string[] s_dayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly List<(TimeOnly Start, TimeOnly End)>[] _windows;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessCalendar(TimeZoneInfo timeZone, List<(TimeOnly, TimeOnly)>[] windows, HashSet<DateOnly> holidays)
    {
        TimeZone = timeZone;
        _windows = windows;
        _holidays = holidays;
    }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyCollection<DateOnly> HolidayDates => _holidays;

    /// <summary>The windows in their canonical text form, such as "mon 08:00-16:00; tue 08:00-12:00,13:00-16:00".</summary>
    public string HoursText => string.Join("; ", Enumerable.Range(0, 7).Select(i => (i + 1) % 7)
        .Where(d => _windows[d].Count > 0)
        .Select(d => s_dayKeys[d] + " " + string.Join(",", _windows[d].Select(w => $"{w.Start:HH\\:mm}-{End(w.End)}"))));

    public string HolidaysText => string.Join(",", _holidays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> WindowsOn(DayOfWeek day) => _windows[(int)day];

    /// <summary>Reads the text forms; throws ArgumentException naming the part it cannot read.</summary>
    public static BusinessCalendar Parse(string timeZone, string? hours, string? holidays)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? "Europe/Oslo" : timeZone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"'{timeZone}' is not a time zone (use an IANA name such as Europe/Oslo).", nameof(timeZone), ex);
        }
        var windows = Enumerable.Range(0, 7).Select(_ => new List<(TimeOnly, TimeOnly)>()).ToArray();
        foreach (var part in (hours ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var day = pieces.Length == 2 ? Array.IndexOf(s_dayKeys, pieces[0].ToLowerInvariant()) : -1;
            if (day < 0)
            {
                throw new ArgumentException($"'{part}' is not a day with hours, such as 'mon 08:00-16:00'.", nameof(hours));
            }
            foreach (var range in pieces[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var ends = range.Split('-', StringSplitOptions.TrimEntries);
                if (ends.Length != 2
                    || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                    || !TryParseEnd(ends[1], out var end)
                    || (end <= start && end != TimeOnly.MinValue))
                {
                    throw new ArgumentException($"'{range}' is not a time range such as 08:00-16:00.", nameof(hours));
                }
                windows[day].Add((start, end));
            }
            windows[day].Sort((a, b) => a.Item1.CompareTo(b.Item1));
            for (var i = 1; i < windows[day].Count; i++)
            {
                if (windows[day][i].Item1 < End(windows[day][i - 1].Item2, asTime: true))
                {
                    throw new ArgumentException($"The hours on {s_dayKeys[day]} overlap.", nameof(hours));
                }
            }
        }
        var closed = new HashSet<DateOnly>();
        foreach (var date in (holidays ?? "").Split([',', ';', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new ArgumentException($"'{date}' is not a date such as 2026-12-24.", nameof(holidays));
            }
            closed.Add(parsed);
        }
        return new BusinessCalendar(zone, windows, closed);
    }

    public bool IsOpenOn(DateOnly date) => !_holidays.Contains(date) && _windows[(int)date.DayOfWeek].Count > 0;

    /// <summary>The instant when <paramref name="duration"/> of business time has passed after <paramref name="from"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset from, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var local = TimeZoneInfo.ConvertTime(from, TimeZone).DateTime;
        var left = duration;
        // Two years without one open window means a calendar that never opens; the deadline is then the wall time.
        for (var day = 0; day < 732; day++)
        {
            var date = DateOnly.FromDateTime(local);
            if (!_holidays.Contains(date))
            {
                foreach (var (start, end) in _windows[(int)date.DayOfWeek])
                {
                    var windowStart = date.ToDateTime(start);
                    var windowEnd = end == TimeOnly.MinValue ? date.AddDays(1).ToDateTime(TimeOnly.MinValue) : date.ToDateTime(end);
                    var begin = local > windowStart ? local : windowStart;
                    if (begin >= windowEnd)
                    {
                        continue;
                    }
                    if (windowEnd - begin >= left)
                    {
                        return ToUtc(begin + left);
                    }
                    left -= windowEnd - begin;
                }
            }
            local = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }
        return from + duration;
    }

    /// <summary>How much business time lies between two instants; zero when <paramref name="to"/> is not later.</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }
        var local = TimeZoneInfo.ConvertTime(from, TimeZone).DateTime;
        var until = TimeZoneInfo.ConvertTime(to, TimeZone).DateTime;
        var total = TimeSpan.Zero;
        while (local < until)
        {
            var date = DateOnly.FromDateTime(local);
            if (!_holidays.Contains(date))
            {
                foreach (var (start, end) in _windows[(int)date.DayOfWeek])
                {
                    var windowStart = date.ToDateTime(start);
                    var windowEnd = end == TimeOnly.MinValue ? date.AddDays(1).ToDateTime(TimeOnly.MinValue) : date.ToDateTime(end);
                    var begin = local > windowStart ? local : windowStart;
                    var finish = until < windowEnd ? until : windowEnd;
                    if (finish > begin)
                    {
                        total += finish - begin;
                    }
                }
            }
            local = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }
        return total;
    }

    private DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A window that starts inside the spring-forward gap opens at the first real minute after it.
        while (TimeZone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, TimeZone), TimeSpan.Zero);
    }

    private static bool TryParseEnd(string text, out TimeOnly end)
    {
        if (text == "24:00")
        {
            end = TimeOnly.MinValue;
            return true;
        }
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
    }

    private static string End(TimeOnly end) => end == TimeOnly.MinValue ? "24:00" : end.ToString("HH\\:mm", CultureInfo.InvariantCulture);

    private static TimeOnly End(TimeOnly end, bool asTime) => asTime && end == TimeOnly.MinValue ? TimeOnly.MaxValue : end;
}
