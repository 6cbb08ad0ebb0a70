using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Inbox;

/// <summary>Whose inbox it is: "assigned to me" and "my team" depend on it.</summary>
public sealed record InboxViewer(string UserId, string? DepartmentKey);

public sealed record InboxRow(
    long Id,
    string CustomerName,
    Channel Channel,
    ConversationStatus Status,
    Priority Priority,
    string? Subject,
    string? Preview,
    string? ConcernType,
    string? Language,
    string? AssigneeId,
    string? AssigneeName,
    int MessageCount,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? SlaDueAt);

public sealed record InboxSlice(IReadOnlyList<InboxRow> Rows, string? NextCursor);

public sealed record ViewCount(string Name, string Query, int Count, bool Capped, long? SavedViewId = null);

/// <summary>The inbox's reads: a page of conversations for a view, and how many each saved view holds.</summary>
public sealed class InboxQuery(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time)
{
    public const int PageSize = 25;

    /// <summary>Counts stop here: "1000+" tells an agent as much as an exact figure, and costs a bounded scan.</summary>
    public const int CountCap = 1000;

    public async Task<InboxSlice> PageAsync(InboxFilter filter, InboxViewer viewer, CancellationToken ct, int pageSize = PageSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await FilterAsync(db, filter, viewer, ct);
        var sort = filter.SortOrder;
        query = Ordered(After(query, sort, filter.After), sort);
        var rows = await query.Take(pageSize + 1)
            .Select(c => new
            {
                c.Id,
                CustomerName = c.Customer!.Name,
                c.Channel,
                c.Status,
                c.Priority,
                c.PriorityRank,
                c.Subject,
                c.LastMessagePreview,
                c.ConcernType,
                c.Language,
                c.AssigneeId,
                AssigneeName = db.Users.Where(u => u.Id == c.AssigneeId).Select(u => u.DisplayName).FirstOrDefault(),
                c.MessageCount,
                c.LastMessageAt,
                c.SlaDueAt,
            })
            .ToListAsync(ct);
        var page = rows.Take(pageSize).ToList();
        string? next = null;
        if (rows.Count > pageSize)
        {
            var last = page[^1];
            next = sort switch
            {
                InboxSort.Due => InboxCursor.Encode(sort, last.SlaDueAt!.Value.UtcTicks, 0, last.Id),
                InboxSort.Priority => InboxCursor.Encode(sort, last.PriorityRank, last.LastMessageAt.UtcTicks, last.Id),
                _ => InboxCursor.Encode(sort, last.LastMessageAt.UtcTicks, 0, last.Id),
            };
        }
        return new InboxSlice(
            [.. page.Select(r => new InboxRow(r.Id, r.CustomerName, r.Channel, r.Status, r.Priority, r.Subject, r.LastMessagePreview,
                r.ConcernType, r.Language, r.AssigneeId, r.AssigneeName, r.MessageCount, r.LastMessageAt, r.SlaDueAt))],
            next);
    }

    /// <summary>How many conversations a view holds, up to <see cref="CountCap"/>.</summary>
    public async Task<int> CountAsync(InboxFilter filter, InboxViewer viewer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await FilterAsync(db, filter.FirstPage, viewer, ct);
        // Counted in the view's own order, so the count walks the same index as the view's first page.
        return await Ordered(query, filter.SortOrder).Take(CountCap).CountAsync(ct);
    }

    private static IQueryable<Conversation> Ordered(IQueryable<Conversation> query, InboxSort sort) => sort switch
    {
        InboxSort.Due => query.Where(c => c.SlaDueAt != null).OrderBy(c => c.SlaDueAt).ThenBy(c => c.Id),
        InboxSort.Priority => query.OrderByDescending(c => c.PriorityRank).ThenByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id),
        _ => query.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id),
    };

    private async Task<IQueryable<Conversation>> FilterAsync(MemberCareDb db, InboxFilter filter, InboxViewer viewer, CancellationToken ct)
    {
        var query = db.Conversations.AsNoTracking();
        if (filter.StatusValue is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        else if (filter.ActiveOnly)
        {
            query = query.Where(c => c.Status != ConversationStatus.Resolved && c.Status != ConversationStatus.Closed);
        }
        if (filter.ChannelValue is { } channel)
        {
            query = query.Where(c => c.Channel == channel);
        }
        if (filter.PriorityValue is { } priority)
        {
            query = query.Where(c => c.Priority == priority);
        }
        if (!string.IsNullOrWhiteSpace(filter.Concern))
        {
            var concern = filter.Concern.Trim();
            query = query.Where(c => c.ConcernType == concern);
        }
        if (!string.IsNullOrWhiteSpace(filter.Language))
        {
            var language = filter.Language.Trim().ToLowerInvariant();
            query = query.Where(c => c.Language == language);
        }
        switch (filter.Assigned?.ToLowerInvariant())
        {
            case InboxFilter.Me:
                query = query.Where(c => c.AssigneeId == viewer.UserId);
                break;
            case InboxFilter.Unassigned:
                query = query.Where(c => c.AssigneeId == null);
                break;
            case InboxFilter.Team:
                var team = viewer.DepartmentKey is { } department
                    ? await db.Users.Where(u => u.DepartmentKey == department).Select(u => u.Id).ToListAsync(ct)
                    : [viewer.UserId];
                query = query.Where(c => c.AssigneeId != null && team.Contains(c.AssigneeId));
                break;
            default:
                break;
        }
        if (filter.BreachingSoon)
        {
            var soon = time.GetUtcNow() + SlaTargets.BreachingSoonWindow;
            query = query.Where(c => c.SlaDueAt != null && c.SlaDueAt <= soon);
        }
        return query;
    }

    private static IQueryable<Conversation> After(IQueryable<Conversation> query, InboxSort sort, string? cursor)
    {
        if (!InboxCursor.TryDecode(cursor, sort, out var key1, out var key2, out var id))
        {
            return query;
        }
        switch (sort)
        {
            case InboxSort.Due:
                var due = new DateTimeOffset(key1, TimeSpan.Zero);
                return query.Where(c => c.SlaDueAt >= due && (c.SlaDueAt > due || c.Id > id));
            case InboxSort.Priority:
                var rank = (int)key1;
                var lastAt = new DateTimeOffset(key2, TimeSpan.Zero);
                return query.Where(c => c.PriorityRank <= rank
                    && (c.PriorityRank < rank || c.LastMessageAt < lastAt || (c.LastMessageAt == lastAt && c.Id < id)));
            default:
                var at = new DateTimeOffset(key1, TimeSpan.Zero);
                return query.Where(c => c.LastMessageAt <= at && (c.LastMessageAt < at || c.Id < id));
        }
    }
}
