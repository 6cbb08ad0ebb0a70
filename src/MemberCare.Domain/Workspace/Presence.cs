namespace MemberCare.Domain.Workspace;

public enum PresenceActivity
{
    Viewing,
    Typing,
}

/// <summary>
/// Who has a conversation open, and whether they are writing in it. Kept in the database with an expiry so that
/// every node sees the same thing and a closed browser tab disappears by itself.
/// </summary>
public sealed class Presence
{
    private Presence()
    {
    }

    public long ConversationId { get; private set; }
    public string UserId { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public PresenceActivity Activity { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    public static Presence Start(long conversationId, string userId, string displayName, PresenceActivity activity, DateTimeOffset expiresAt) => new()
    {
        ConversationId = conversationId,
        UserId = userId,
        DisplayName = displayName,
        Activity = activity,
        ExpiresAt = expiresAt.ToUniversalTime(),
    };

    /// <summary>Returns whether what others see changed (a new activity), as opposed to a mere extension.</summary>
    public bool Renew(PresenceActivity activity, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var changed = Activity != activity || ExpiresAt <= now;
        Activity = activity;
        ExpiresAt = expiresAt.ToUniversalTime();
        return changed;
    }
}
