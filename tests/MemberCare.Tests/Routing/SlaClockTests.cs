using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;
using MemberCare.Features.Departments;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Routing;

public sealed class SlaClockTests
{
    // Oslo is UTC+1 in winter: 08:00 local is 07:00 UTC.
    private static readonly BusinessCalendar s_oslo = BusinessCalendar.Parse("Europe/Oslo", BusinessCalendar.DefaultHours, "2026-12-24,2026-12-25");

    private static DateTimeOffset Oslo(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(1));

    [Fact]
    public void A_request_on_a_friday_afternoon_is_due_on_monday_morning()
    {
        var time = new FakeTimeProvider(Oslo(11, 27, 15));
        var clock = new SlaClock(time);

        var due = clock.DeadlinesNow(s_oslo, TimeSpan.FromHours(2), TimeSpan.FromHours(16));

        Assert.Equal(Oslo(11, 30, 9), due.AcknowledgeBy);
        Assert.Equal(Oslo(12, 1, 15), due.CompleteBy);
    }

    [Fact]
    public void A_request_in_the_evening_starts_counting_the_next_morning()
    {
        var clock = new SlaClock(new FakeTimeProvider(Oslo(11, 24, 17, 30)));

        Assert.Equal(Oslo(11, 25, 10), clock.DeadlinesNow(s_oslo, TimeSpan.FromHours(2), TimeSpan.FromHours(2)).AcknowledgeBy);
    }

    [Fact]
    public void Holidays_before_a_weekend_carry_the_deadline_to_the_next_working_day()
    {
        var clock = new SlaClock(new FakeTimeProvider(Oslo(12, 23, 15)));

        // One hour left on the 23rd; the 24th and 25th are holidays, then a weekend.
        Assert.Equal(Oslo(12, 28, 9), clock.DeadlinesNow(s_oslo, TimeSpan.FromHours(2), TimeSpan.FromHours(2)).AcknowledgeBy);
    }

    [Fact]
    public void Business_time_left_skips_the_weekend_and_turns_negative_after_the_deadline()
    {
        var time = new FakeTimeProvider(Oslo(11, 27, 15));
        var clock = new SlaClock(time);
        var due = Oslo(11, 30, 9);

        Assert.Equal(TimeSpan.FromHours(2), clock.BusinessTimeLeft(due, s_oslo));
        time.SetUtcNow(Oslo(11, 30, 9, 30));
        Assert.Equal(TimeSpan.FromMinutes(-30), clock.BusinessTimeLeft(due, s_oslo));
    }

    [Fact]
    public void A_hand_off_is_due_soon_within_the_reminder_window_and_breached_after_its_deadline()
    {
        var time = new FakeTimeProvider(Oslo(11, 27, 15));
        var clock = new SlaClock(time);
        var deadlines = clock.DeadlinesNow(s_oslo, TimeSpan.FromHours(2), TimeSpan.FromHours(16));
        var handoff = Handoff.Open(1, "warehouse", new HandoffDetails(null, null, "wrong size", null, null, null, null), "Agent", null, null,
            time.GetUtcNow(), deadlines.AcknowledgeBy, deadlines.CompleteBy);
        var window = TimeSpan.FromMinutes(30);

        Assert.Equal(SlaState.OnTrack, clock.StateOf(handoff, window));
        time.SetUtcNow(Oslo(11, 30, 8, 45));
        Assert.Equal(SlaState.DueSoon, clock.StateOf(handoff, window));
        time.SetUtcNow(Oslo(11, 30, 9, 1));
        Assert.Equal(SlaState.Breached, clock.StateOf(handoff, window));

        Assert.True(handoff.Complete("Warehouse", "Sent the right size", time.GetUtcNow()));
        Assert.Equal(SlaState.Met, clock.StateOf(handoff, window));
    }

    [Fact]
    public void A_calendar_with_an_hour_that_does_not_parse_names_the_hours()
    {
        var error = Assert.Throws<ArgumentException>(() => BusinessCalendar.Parse("Europe/Oslo", "mon 8-16", ""));
        Assert.Equal("hours", error.ParamName);
        Assert.Equal("timeZone", Assert.Throws<ArgumentException>(() => BusinessCalendar.Parse("Mars/Olympus", "", "")).ParamName);
    }
}
