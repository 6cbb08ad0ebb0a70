namespace MemberCare.Domain.Conversations;

public enum ConversationStatus
{
    New,
    Open,
    WaitingOnDepartment,
    WaitingOnCustomer,
    Resolved,
    Closed,
}

public enum Priority
{
    Low,
    Normal,
    High,
    Urgent,
}

public enum MessageDirection
{
    Inbound,
    Outbound,
    Note,
}

public static class ConversationStatuses
{
    private static readonly Dictionary<ConversationStatus, ConversationStatus[]> s_allowed = new()
    {
        [ConversationStatus.New] = [ConversationStatus.Open, ConversationStatus.WaitingOnDepartment, ConversationStatus.WaitingOnCustomer, ConversationStatus.Resolved, ConversationStatus.Closed],
        [ConversationStatus.Open] = [ConversationStatus.WaitingOnDepartment, ConversationStatus.WaitingOnCustomer, ConversationStatus.Resolved],
        [ConversationStatus.WaitingOnDepartment] = [ConversationStatus.Open, ConversationStatus.WaitingOnCustomer, ConversationStatus.Resolved],
        [ConversationStatus.WaitingOnCustomer] = [ConversationStatus.Open, ConversationStatus.WaitingOnDepartment, ConversationStatus.Resolved],
        [ConversationStatus.Resolved] = [ConversationStatus.Open, ConversationStatus.Closed],
        [ConversationStatus.Closed] = [],
    };

    /// <summary>
    /// The transitions an agent may make. New can be closed straight away (spam); a closed case is final,
    /// and a customer writing again after resolution starts a new conversation instead.
    /// </summary>
    public static IReadOnlyList<ConversationStatus> AllowedFrom(ConversationStatus from) => s_allowed[from];

    public static bool CanMove(ConversationStatus from, ConversationStatus to) => s_allowed[from].Contains(to);

    public static string ToKey(this ConversationStatus status) => status switch
    {
        ConversationStatus.New => "new",
        ConversationStatus.Open => "open",
        ConversationStatus.WaitingOnDepartment => "waiting_on_department",
        ConversationStatus.WaitingOnCustomer => "waiting_on_customer",
        ConversationStatus.Resolved => "resolved",
        ConversationStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? key, out ConversationStatus status)
    {
        foreach (var candidate in Enum.GetValues<ConversationStatus>())
        {
            if (string.Equals(candidate.ToKey(), key?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static IReadOnlyList<string> Keys { get; } = [.. Enum.GetValues<ConversationStatus>().Select(s => s.ToKey())];
}
