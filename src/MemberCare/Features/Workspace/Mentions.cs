using System.Text.RegularExpressions;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Conversations;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Workspace;

public sealed record NotificationView(long Id, long? ConversationId, long? DefectId, string FromName, string Text, DateTimeOffset CreatedAt, bool Read);

/// <summary>Internal notes that @mention colleagues by user name, and the notifications that follow.</summary>
public sealed partial class Mentions(
    IDbContextFactory<MemberCareDb> dbFactory,
    ConversationDesk desk,
    IWorkspaceFeed feed,
    TimeProvider time)
{
    /// <summary>The user names a note mentions: "@kari" or "@ola.n", not an e-mail address such as "a@b.no".</summary>
    public static IReadOnlyList<string> Find(string text) =>
        [.. MentionPattern().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase)];

    public async Task<(DeskOutcome Outcome, MessageView? Note, int Notified)> AddNoteAsync(
        long conversationId, string authorUserId, string authorName, string text, CancellationToken ct)
    {
        var (outcome, note) = await desk.AddNoteAsync(conversationId, authorName, text, ct);
        if (outcome != DeskOutcome.Done || note is null)
        {
            return (outcome, note, 0);
        }
        var names = Find(text).Select(n => n.ToUpperInvariant()).ToList();
        if (names.Count == 0)
        {
            return (outcome, note, 0);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mentioned = await db.Users
            .Where(u => u.NormalizedUserName != null && names.Contains(u.NormalizedUserName) && u.Id != authorUserId)
            .Select(u => u.Id)
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        db.StaffNotifications.AddRange(mentioned.Select(id => StaffNotification.Mention(id, conversationId, note.Id, authorName, text, now)));
        await db.SaveChangesAsync(ct);
        await feed.PublishAsync([.. mentioned.Select(id => new WorkspaceEvent(WorkspaceEventKind.Notification, conversationId, id))], ct);
        return (outcome, note, mentioned.Count);
    }

    public async Task<IReadOnlyList<NotificationView>> RecentAsync(string userId, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.StaffNotifications.AsNoTracking()
            .Where(n => n.UserId == userId)
            .OrderByDescending(n => n.Id)
            .Take(limit)
            .Select(n => new NotificationView(n.Id, n.ConversationId, n.DefectId, n.FromName, n.Text, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.StaffNotifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    public async Task MarkAllReadAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var unread = await db.StaffNotifications.Where(n => n.UserId == userId && n.ReadAt == null).ToListAsync(ct);
        foreach (var notification in unread)
        {
            notification.MarkRead(now);
        }
        await db.SaveChangesAsync(ct);
    }

    [GeneratedRegex(@"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})")]
    private static partial Regex MentionPattern();
}
