namespace MemberCare.Domain.Conversations;

/// <summary>
/// How long care has to answer and to resolve, by priority. Routing (a later issue) sets priority and may bring
/// per-department policies; these are the defaults every case starts with.
/// </summary>
public static class SlaTargets
{
    public static TimeSpan FirstResponse(Priority priority) => priority switch
    {
        Priority.Urgent => TimeSpan.FromHours(1),
        Priority.High => TimeSpan.FromHours(4),
        Priority.Normal => TimeSpan.FromHours(8),
        _ => TimeSpan.FromHours(24),
    };

    public static TimeSpan Resolution(Priority priority) => priority switch
    {
        Priority.Urgent => TimeSpan.FromHours(8),
        Priority.High => TimeSpan.FromHours(24),
        Priority.Normal => TimeSpan.FromHours(48),
        _ => TimeSpan.FromHours(96),
    };

    /// <summary>A case is breaching soon when its deadline is within this window (or already past).</summary>
    public static TimeSpan BreachingSoonWindow { get; } = TimeSpan.FromHours(1);
}
