using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Inbox;

/// <summary>The views every agent has, and the ones each agent saves, with how many conversations each holds.</summary>
public sealed class InboxViews(IDbContextFactory<MemberCareDb> dbFactory, InboxQuery inbox, TimeProvider time)
{
    /// <summary>Built-in views: a resource key for the name, and the query string.</summary>
    public static IReadOnlyList<(string NameKey, string Query)> BuiltIn { get; } =
    [
        ("ViewActive", ""),
        ("ViewMine", "assigned=me"),
        ("ViewUnassigned", "assigned=unassigned"),
        ("ViewTeam", "assigned=team"),
        ("ViewBreaching", "sla=soon"),
    ];

    public async Task<IReadOnlyList<ViewCount>> CountsAsync(InboxViewer viewer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.SavedViews.AsNoTracking().Where(v => v.UserId == viewer.UserId).OrderBy(v => v.Name).ToListAsync(ct);
        var views = BuiltIn.Select(b => (Name: b.NameKey, b.Query, Id: (long?)null))
            .Concat(saved.Select(s => (s.Name, s.Query, Id: (long?)s.Id)));
        var counts = new List<ViewCount>();
        foreach (var (name, query, id) in views)
        {
            var count = await inbox.CountAsync(InboxFilter.FromQuery(query), viewer, ct);
            counts.Add(new ViewCount(name, query, count, count >= InboxQuery.CountCap, id));
        }
        return counts;
    }

    public async Task<bool> SaveAsync(string userId, string name, InboxFilter filter, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 60)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = name.Trim();
        await db.SavedViews.Where(v => v.UserId == userId && v.Name == trimmed).ExecuteDeleteAsync(ct);
        db.SavedViews.Add(new SavedView(userId, trimmed, filter.FirstPage.ToQuery(), time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task DeleteAsync(string userId, long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SavedViews.Where(v => v.UserId == userId && v.Id == id).ExecuteDeleteAsync(ct);
    }
}
