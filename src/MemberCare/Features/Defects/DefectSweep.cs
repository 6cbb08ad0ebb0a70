using System.Text.Json;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Defects;

/// <summary>
/// The defect loop's background work: recurrences reopen watched defects, quiet watches become verified fixes, and
/// due actions remind their owners. Every node runs it; each change is claimed in the database, so nothing happens twice.
/// </summary>
public sealed class DefectSweep(
    IDbContextFactory<MemberCareDb> dbFactory,
    IOptions<DefectOptions> options,
    TimeProvider time,
    ILogger<DefectSweep> logger)
{
    /// <summary>Reopens each watched defect that a newer triaged message shares a signature with; returns the ids reopened.</summary>
    public async Task<IReadOnlyList<long>> WatchRecurrencesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var watched = await db.Defects
            .Where(d => (d.Status == DefectStatus.Verifying || d.Status == DefectStatus.Closed) && d.VerifyUntil != null && d.VerifyUntil >= now)
            .ToListAsync(ct);
        var reopened = new List<long>();
        foreach (var defect in watched)
        {
            var concern = DefectSignature.Concern(defect.SignatureKey);
            var since = defect.VerifyingSince!.Value;
            var linked = db.DefectLinks.Where(l => l.DefectId == defect.Id && l.Kind == DefectLinkKind.Conversation).Select(l => l.RefId);
            var candidates = await db.Messages.AsNoTracking()
                .Where(m => m.Direction == MessageDirection.Inbound && m.Concern == concern && m.TriagedAt != null && m.CreatedAt > since
                    && !linked.Contains(m.ConversationId))
                .OrderBy(m => m.Id)
                .Take(200)
                .Select(m => new SignedMessage(m.Id, m.ConversationId, m.Concern!, m.Entities, m.Text))
                .ToListAsync(ct);
            foreach (var message in candidates)
            {
                var signatures = await SignaturesAsync(db, message, ct);
                if (!signatures.Contains(defect.SignatureKey) || !defect.RecordRecurrence(message.Id, now))
                {
                    continue;
                }
                foreach (var owner in await OwnersAsync(db, defect, ct))
                {
                    db.StaffNotifications.Add(StaffNotification.AboutDefect(owner, defect.Id, "MemberCare",
                        $"Defect #{defect.Id} came back: a new complaint matches {defect.SignatureKey}. It is reopened.", now));
                }
                try
                {
                    await db.SaveChangesAsync(ct);
                    reopened.Add(defect.Id);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Another node reopened it first; its notification is the one the owner gets.
                    db.ChangeTracker.Clear();
                }
                break;
            }
        }
        return reopened;
    }

    /// <summary>Who hears that a defect came back: its owner, or its department's lead, or else the department's members.</summary>
    private static async Task<IReadOnlyList<string>> OwnersAsync(MemberCareDb db, Defect defect, CancellationToken ct)
    {
        if (defect.OwnerId is { } user)
        {
            return [user];
        }
        if (defect.OwnerDepartment is not { } department)
        {
            return [];
        }
        var lead = await db.Departments.Where(d => d.Key == department).Select(d => d.LeadUserId).FirstOrDefaultAsync(ct);
        return lead is not null ? [lead] : await db.Users.Where(u => u.DepartmentKey == department).Select(u => u.Id).ToListAsync(ct);
    }

    /// <summary>The signatures a message carries: its concern with each SKU, supplier, carrier and warehouse it touches.</summary>
    public static async Task<HashSet<string>> SignaturesAsync(MemberCareDb db, SignedMessage message, CancellationToken ct)
    {
        var skus = new List<string>();
        var orderNumbers = new List<string>();
        if (message.Entities is { } json)
        {
            using var entities = JsonDocument.Parse(json);
            if (entities.RootElement.TryGetProperty("skus", out var s))
            {
                skus.AddRange(s.EnumerateArray().Select(e => e.GetString() ?? "").Where(e => e.Length > 0));
            }
            if (entities.RootElement.TryGetProperty("orderNumbers", out var o))
            {
                orderNumbers.AddRange(o.EnumerateArray().Select(e => e.GetString() ?? "").Where(e => e.Length > 0));
            }
        }
        var conversationOrder = await db.Conversations.AsNoTracking().Where(c => c.Id == message.ConversationId).Select(c => c.OrderNumber).FirstOrDefaultAsync(ct);
        if (conversationOrder is not null)
        {
            orderNumbers.Add(conversationOrder);
        }
        var signatures = new HashSet<string> { DefectSignature.Normalize(message.Concern) };
        var orders = await db.Orders.AsNoTracking().Where(o => orderNumbers.Contains(o.Number)).Include(o => o.Lines).ToListAsync(ct);
        foreach (var order in orders)
        {
            Add(signatures, message.Concern, "carrier", order.Carrier);
            Add(signatures, message.Concern, "warehouse", order.Warehouse);
            foreach (var line in order.Lines)
            {
                Add(signatures, message.Concern, "sku", line.Sku);
                Add(signatures, message.Concern, "supplier", line.Supplier);
            }
        }
        foreach (var sku in skus)
        {
            Add(signatures, message.Concern, "sku", sku);
        }
        return signatures;
    }

    /// <summary>Marks the defects whose watch ended without a recurrence as verified; returns how many.</summary>
    public async Task<int> ConfirmVerifiedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Defects
            .Where(d => d.VerifiedAt == null && d.VerifyUntil != null && d.VerifyUntil < now
                && (d.Status == DefectStatus.Verifying || d.Status == DefectStatus.Closed))
            .ToListAsync(ct);
        var confirmed = due.Count(d => d.ConfirmVerified(now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return 0;
        }
        return confirmed;
    }

    /// <summary>
    /// Reminds the owners of actions due within the lead time (or overdue), at most once a day per action. Each action is
    /// claimed with a conditional update of its reminder time, so of two nodes only the one whose update lands reminds.
    /// </summary>
    public async Task<int> RemindAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var horizon = now + TimeSpan.FromHours(options.Value.ReminderLeadHours);
        var again = now - TimeSpan.FromDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.DefectActions.AsNoTracking()
            .Where(a => a.DoneAt == null && a.DueAt <= horizon && (a.RemindedAt == null || a.RemindedAt <= again))
            .OrderBy(a => a.DueAt)
            .Take(200)
            .Select(a => new { a.Id, a.DefectId, a.Description, a.OwnerUserId, a.OwnerDepartment, a.DueAt, a.RemindedAt })
            .ToListAsync(ct);
        var reminded = 0;
        foreach (var action in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var previous = action.RemindedAt;
            var claimed = await db.DefectActions
                .Where(a => a.Id == action.Id && a.RemindedAt == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RemindedAt, now), ct);
            if (claimed == 0)
            {
                continue;
            }
            var owners = action.OwnerUserId is { } user
                ? [user]
                : await db.Users.AsNoTracking().Where(u => u.DepartmentKey == action.OwnerDepartment).Select(u => u.Id).ToListAsync(ct);
            var when = action.DueAt < now ? "is overdue" : $"is due {action.DueAt:yyyy-MM-dd HH:mm} UTC";
            foreach (var owner in owners)
            {
                db.StaffNotifications.Add(StaffNotification.AboutDefect(owner, action.DefectId, "MemberCare",
                    $"Action on defect #{action.DefectId} {when}: {action.Description}", now));
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            reminded++;
        }
        if (reminded > 0)
        {
            logger.LogInformation("Reminded the owners of {Count} defect actions", reminded);
        }
        return reminded;
    }

    private static void Add(HashSet<string> signatures, string concern, string area, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            signatures.Add(DefectSignature.Make(concern, area, value));
        }
    }
}

public sealed record SignedMessage(long Id, long ConversationId, string Concern, string? Entities, string Text);

/// <summary>Runs the sweep and the briefing mailing on a timer, on every node.</summary>
public sealed class DefectSweeper(DefectSweep sweep, DailyBriefing briefing, IOptions<DefectOptions> options, TimeProvider time, ILogger<DefectSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweep.WatchRecurrencesAsync(stoppingToken);
                await sweep.ConfirmVerifiedAsync(stoppingToken);
                await sweep.RemindAsync(stoppingToken);
                await briefing.MailIfDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The defect sweep failed; it runs again on the next tick");
            }
        }
    }
}
