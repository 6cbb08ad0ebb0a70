using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage;

/// <summary>
/// Loads the models at start, picks up a new set written to the models folder, and triages the inbound
/// messages that were stored without triage (models missing or broken at the time). The database holds
/// which messages wait, so the work survives restarts; on PostgreSQL each node claims its batch with
/// FOR UPDATE SKIP LOCKED, so several nodes never triage the same message.
/// </summary>
public sealed class TriageBackfill(
    IDbContextFactory<MemberCareDb> dbFactory,
    TriageModels models,
    TriageEngine engine,
    MessageTriager triager,
    IOptions<TriageOptions> options,
    TimeProvider time,
    ILogger<TriageBackfill> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Loaded before the server takes a request, so the first messages are triaged at intake.
        models.EnsureLoaded();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.BackfillInterval, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (models.EnsureLoaded() && engine.IsReady)
                {
                    await TriageWaitingAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Triage backfill failed; it tries again in {Interval}", options.Value.BackfillInterval);
            }
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Triages waiting messages batch by batch until none wait; returns how many it triaged.</summary>
    public async Task<int> TriageWaitingAsync(CancellationToken ct)
    {
        var total = 0;
        int done;
        do
        {
            done = await TriageBatchAsync(ct);
            total += done;
        }
        while (done == options.Value.BackfillBatchSize && !ct.IsCancellationRequested);
        if (total > 0)
        {
            logger.LogInformation("Triaged {Count} messages that were stored untriaged", total);
        }
        return total;
    }

    private async Task<int> TriageBatchAsync(CancellationToken ct)
    {
        var size = options.Value.BackfillBatchSize;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // SQLite has one writer and no row locks; on PostgreSQL the claimed rows stay locked until commit.
        await using var transaction = db.IsSqlite ? null : await db.Database.BeginTransactionAsync(ct);
        List<long> ids = db.IsSqlite
            ? await db.Messages
                .Where(m => m.TriagedAt == null && m.Direction == MessageDirection.Inbound)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(size).ToListAsync(ct)
            : await db.Database.SqlQuery<long>($"""
                SELECT "Id" AS "Value" FROM "Messages"
                WHERE "TriagedAt" IS NULL AND "Direction" = 'Inbound'
                ORDER BY "Id" LIMIT {size}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return 0;
        }
        var messages = await db.Messages.Where(m => ids.Contains(m.Id) && m.TriagedAt == null).OrderBy(m => m.Id).ToListAsync(ct);
        var conversationIds = messages.Select(m => m.ConversationId).Distinct().ToList();
        var conversations = await db.Conversations.Include(c => c.Customer)
            .Where(c => conversationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var newestInbound = await db.Messages
            .Where(m => conversationIds.Contains(m.ConversationId) && m.Direction == MessageDirection.Inbound)
            .GroupBy(m => m.ConversationId)
            .Select(g => new { ConversationId = g.Key, Id = g.Max(m => m.Id) })
            .ToDictionaryAsync(g => g.ConversationId, g => g.Id, ct);

        var triaged = 0;
        foreach (var message in messages)
        {
            var conversation = conversations[message.ConversationId];
            var newest = newestInbound.GetValueOrDefault(message.ConversationId) == message.Id;
            if (await triager.RecordAsync(db, message, conversation, conversation.Customer!.Tier, newest, fromText: null, ct))
            {
                triaged++;
            }
        }
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        return triaged;
    }
}
