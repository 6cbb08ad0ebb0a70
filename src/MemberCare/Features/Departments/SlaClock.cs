using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;

namespace MemberCare.Features.Departments;

/// <summary>A hand-off's two deadlines, counted in the department's business time.</summary>
public readonly record struct HandoffDeadlines(DateTimeOffset AcknowledgeBy, DateTimeOffset CompleteBy);

/// <summary>Where a hand-off stands against its clock at this moment.</summary>
public enum SlaState
{
    OnTrack,
    DueSoon,
    Breached,
    Met,
    Missed,
}

/// <summary>
/// SLA arithmetic over a department's calendar and the current time. Pure: it reads the clock and nothing else,
/// so tests move a FakeTimeProvider across evenings, weekends and holidays.
/// </summary>
public sealed class SlaClock(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public HandoffDeadlines DeadlinesFrom(DateTimeOffset requestedAt, BusinessCalendar calendar, TimeSpan acknowledgeWithin, TimeSpan completeWithin) =>
        new(calendar.Add(requestedAt, acknowledgeWithin), calendar.Add(requestedAt, completeWithin));

    public HandoffDeadlines DeadlinesNow(BusinessCalendar calendar, TimeSpan acknowledgeWithin, TimeSpan completeWithin) =>
        DeadlinesFrom(Now, calendar, acknowledgeWithin, completeWithin);

    /// <summary>Business time left before <paramref name="due"/>; negative wall time once it has passed.</summary>
    public TimeSpan BusinessTimeLeft(DateTimeOffset due, BusinessCalendar calendar)
    {
        var now = Now;
        return due >= now ? calendar.Between(now, due) : due - now;
    }

    public SlaState StateOf(Handoff handoff, TimeSpan remindBefore)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        if (!handoff.IsOpen)
        {
            return handoff.Status == HandoffStatus.Done && handoff.ClosedAt <= handoff.CompleteDueAt ? SlaState.Met : SlaState.Missed;
        }
        var due = handoff.DueAt!.Value;
        var now = Now;
        return now > due ? SlaState.Breached : due - now <= remindBefore ? SlaState.DueSoon : SlaState.OnTrack;
    }
}
