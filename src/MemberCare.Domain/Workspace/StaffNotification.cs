namespace MemberCare.Domain.Workspace;

/// <summary>Something a colleague wants a person to see, such as an @mention in an internal note.</summary>
public sealed class StaffNotification
{
    private StaffNotification()
    {
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public long? ConversationId { get; private set; }

    /// <summary>Set for a defect's reminder or recurrence rather than a conversation's mention.</summary>
    public long? DefectId { get; private set; }
    public long? MessageId { get; private set; }
    public string FromName { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    public static StaffNotification Mention(string userId, long conversationId, long? messageId, string fromName, string text, DateTimeOffset at) => new()
    {
        UserId = userId,
        ConversationId = conversationId,
        MessageId = messageId,
        FromName = fromName,
        Text = text.Length <= 200 ? text : text[..200],
        CreatedAt = at.ToUniversalTime(),
    };

    /// <summary>A note about a conversation that is not a mention: a department answered, a hand-off breached.</summary>
    public static StaffNotification About(string userId, long conversationId, string fromName, string text, DateTimeOffset at) =>
        Mention(userId, conversationId, null, fromName, text, at);
    public static StaffNotification AboutDefect(string userId, long defectId, string fromName, string text, DateTimeOffset at) => new()
    {
        UserId = userId,
        DefectId = defectId,
        FromName = fromName,
        Text = text.Length <= 200 ? text : text[..200],
        CreatedAt = at.ToUniversalTime(),
    };

    /// <summary>A note about the system rather than a case, such as a channel that has gone silent.</summary>
    public static StaffNotification AboutSystem(string userId, string fromName, string text, DateTimeOffset at) => new()
    {
        UserId = userId,
        FromName = fromName,
        Text = text.Length <= 200 ? text : text[..200],
        CreatedAt = at.ToUniversalTime(),
    };

    public void MarkRead(DateTimeOffset at) => ReadAt ??= at.ToUniversalTime();
}
