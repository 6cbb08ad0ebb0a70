using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Routing;
using MemberCare.Features.Workspace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Departments;

/// <summary>
/// Reminds a department before a hand-off's deadline and escalates to its lead after it. Each node sweeps, and each
/// hand-off is claimed in the database first (FOR UPDATE SKIP LOCKED on PostgreSQL, a guarded UPDATE on SQLite), so
/// two nodes never both remind.
/// </summary>
public sealed class HandoffSweep(
    IDbContextFactory<MemberCareDb> dbFactory,
    RuleBook rules,
    SlaClock clock,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    IWorkspaceFeed feed,
    ILogger<HandoffSweep> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The hand-off SLA sweep failed; it tries again in {Interval}", options.Value.SweepInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: returns how many reminders and escalations this node sent.</summary>
    public async Task<(int Reminded, int Escalated)> SweepAsync(CancellationToken ct)
    {
        // A claimed hand-off is acted on with this node's view of its department; another node may have changed the
        // department's connection or lead moments ago, so the view is brought up to date first (one version read).
        await rules.RefreshAsync(ct);
        var now = clock.Now;
        var soon = now + options.Value.RemindBefore;
        var reminded = await ClaimAndActAsync(
            db => db.Handoffs.Where(h => h.RemindedAt == null && h.EscalatedAt == null
                && ((h.Status == HandoffStatus.Requested && h.AcknowledgeDueAt <= soon && h.AcknowledgeDueAt > now)
                    || (h.Status == HandoffStatus.Acknowledged && h.CompleteDueAt <= soon && h.CompleteDueAt > now))),
            """ "RemindedAt" IS NULL AND "EscalatedAt" IS NULL AND (("Status" = 'Requested' AND "AcknowledgeDueAt" <= {0} AND "AcknowledgeDueAt" > {1}) OR ("Status" = 'Acknowledged' AND "CompleteDueAt" <= {0} AND "CompleteDueAt" > {1})) """,
            soon, now, (db, id) => db.Handoffs.Where(h => h.Id == id && h.RemindedAt == null).ExecuteUpdateAsync(s => s.SetProperty(h => h.RemindedAt, now), ct),
            (db, handoff, policy) =>
            {
                handoff.Reminded(now);
                Handoffs.Announce(db, policy, handoff, "handoff.reminder", $"Due soon: hand-off {handoff.Key}", [], [], now);
                return null;
            }, ct);
        var escalated = await ClaimAndActAsync(
            db => db.Handoffs.Where(h => h.EscalatedAt == null
                && ((h.Status == HandoffStatus.Requested && h.AcknowledgeDueAt <= now) || (h.Status == HandoffStatus.Acknowledged && h.CompleteDueAt <= now))),
            """ "EscalatedAt" IS NULL AND (("Status" = 'Requested' AND "AcknowledgeDueAt" <= {1}) OR ("Status" = 'Acknowledged' AND "CompleteDueAt" <= {1})) AND {0} = {0} """,
            soon, now, (db, id) => db.Handoffs.Where(h => h.Id == id && h.EscalatedAt == null).ExecuteUpdateAsync(s => s.SetProperty(h => h.EscalatedAt, now), ct),
            (db, handoff, policy) =>
            {
                handoff.Escalated(now);
                Handoffs.Announce(db, policy, handoff, "handoff.escalated", $"Overdue: hand-off {handoff.Key}", [], [], now);
                if (policy.LeadUserId is { } lead)
                {
                    var stage = handoff.Status == HandoffStatus.Requested ? "acknowledgement" : "answer";
                    db.StaffNotifications.Add(StaffNotification.About(lead, handoff.ConversationId, policy.Name,
                        $"Overdue {stage} for a hand-off to {policy.Name} (conversation {handoff.ConversationId}).", now));
                    return lead;
                }
                return null;
            }, ct);
        return (reminded, escalated);
    }

    private async Task<int> ClaimAndActAsync(
        Func<MemberCareDb, IQueryable<Handoff>> due,
        string postgresFilter,
        DateTimeOffset soon,
        DateTimeOffset now,
        Func<MemberCareDb, long, Task<int>> sqliteClaim,
        Func<MemberCareDb, Handoff, DepartmentPolicy, string?> act,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        List<long> ids;
        if (db.IsSqlite)
        {
            var candidates = await due(db).OrderBy(h => h.Id).Select(h => h.Id).Take(BatchSize).ToListAsync(ct);
            ids = [];
            foreach (var id in candidates)
            {
                // The guarded UPDATE is the claim: a second node's finds the column already set and changes nothing.
                if (await sqliteClaim(db, id) == 1)
                {
                    ids.Add(id);
                }
            }
        }
        else
        {
#pragma warning disable EF1002 // The filter is a constant of this class; the times go in as parameters.
            ids = await db.Database.SqlQueryRaw<long>(
                $"""SELECT "Id" AS "Value" FROM "Handoffs" WHERE {postgresFilter} ORDER BY "Id" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""",
                soon, now).ToListAsync(ct);
#pragma warning restore EF1002
        }
        if (ids.Count == 0)
        {
            return 0;
        }
        var handoffs = await db.Handoffs.Where(h => ids.Contains(h.Id)).ToListAsync(ct);
        // Where the reminder goes and who the lead is are read now, inside the claim, not from this node's cached view.
        var keys = handoffs.Select(h => h.DepartmentKey).Distinct().ToList();
        var departments = await db.Departments.AsNoTracking().Where(d => keys.Contains(d.Key)).ToDictionaryAsync(d => d.Key, ct);
        var notified = new List<WorkspaceEvent>();
        foreach (var handoff in handoffs)
        {
            if (!rules.Current.Departments.TryGetValue(handoff.DepartmentKey, out var cached) || !departments.TryGetValue(handoff.DepartmentKey, out var department))
            {
                continue;
            }
            var policy = cached with { DeliveryTargetId = department.DeliveryTargetId, LeadUserId = department.LeadUserId };
            if (act(db, handoff, policy) is { } lead)
            {
                notified.Add(new WorkspaceEvent(WorkspaceEventKind.Notification, handoff.ConversationId, lead));
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await feed.PublishAsync(notified, ct);
        return handoffs.Count;
    }
}
