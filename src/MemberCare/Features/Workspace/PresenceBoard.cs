using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Workspace;

public sealed record PresenceView(string UserId, string DisplayName, PresenceActivity Activity);

/// <summary>
/// Who is viewing or typing in a conversation. Rows live in the database with an expiry, renewed by each open
/// screen's heartbeat, so every node sees the same people and a closed tab drops out by itself.
/// </summary>
public sealed class PresenceBoard(IDbContextFactory<MemberCareDb> dbFactory, IWorkspaceFeed feed, TimeProvider time)
{
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(30);

    public async Task ReportAsync(long conversationId, string userId, string displayName, PresenceActivity activity, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changed = false;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.Presences.FirstOrDefaultAsync(p => p.ConversationId == conversationId && p.UserId == userId, ct);
            if (row is null)
            {
                db.Presences.Add(Presence.Start(conversationId, userId, displayName, activity, now + Lifetime));
                changed = true;
            }
            else
            {
                changed = row.Renew(activity, now + Lifetime, now);
            }
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException ex) when ((ex.IsUniqueViolation() || ex is DbUpdateConcurrencyException) && attempt == 1)
            {
                // The same person in a second tab inserted first; renew theirs instead.
            }
        }
        if (changed)
        {
            await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.Presence, conversationId, userId)], ct);
        }
    }

    public async Task LeaveAsync(long conversationId, string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.Presences.Where(p => p.ConversationId == conversationId && p.UserId == userId).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            await feed.PublishAsync([new WorkspaceEvent(WorkspaceEventKind.Presence, conversationId, userId)], ct);
        }
    }

    public async Task<IReadOnlyList<PresenceView>> OthersAsync(long conversationId, string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Presences.AsNoTracking()
            .Where(p => p.ConversationId == conversationId && p.UserId != userId && p.ExpiresAt > now)
            .OrderBy(p => p.DisplayName)
            .Select(p => new PresenceView(p.UserId, p.DisplayName, p.Activity))
            .ToListAsync(ct);
    }

    /// <summary>Expired rows are invisible already; sweeping them keeps the table small.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Presences.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Deletes expired presence rows now and then; any node may do it, and doing it twice is harmless.</summary>
public sealed class PresenceSweeper(PresenceBoard board, TimeProvider time, ILogger<PresenceSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await board.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not sweep expired presence");
            }
        }
    }
}
