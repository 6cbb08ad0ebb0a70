using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Delivery;

/// <summary>
/// Runs on every node: claims due messages from the outbox under a lease, sends them, and records the outcome.
/// Delivery is at least once: a node that dies between sending and recording leaves its claim to expire, and the
/// message goes again with the same webhook id. PostgreSQL nodes claim with FOR UPDATE SKIP LOCKED, so two nodes
/// never wait on each other nor take the same row; SQLite has one writer and claims with a guarded UPDATE.
/// </summary>
public sealed class OutboxWorker(
    IDbContextFactory<MemberCareDb> dbFactory,
    OutboundSender sender,
    IOptionsMonitor<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.WorkerEnabled)
        {
            return;
        }
        // Let the migrations and the rest of the start-up finish first.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                logger.LogWarning(ex, "The outbox worker's round failed; it tries again after the poll interval.");
            }
            if (!full)
            {
                try
                {
                    await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims one batch and delivers it; true when the batch was full, so more may be due at once.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var token = Guid.NewGuid().ToString("N");
        var claimed = await ClaimAsync(token, settings, ct);
        if (claimed.Count == 0)
        {
            return false;
        }
        var schedule = new RetrySchedule(settings.Retry);
        Dictionary<long, DeliveryTarget> targets;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var ids = claimed.Select(m => m.TargetId).Distinct().ToList();
            targets = await db.DeliveryTargets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        }
        var unfinished = new HashSet<long>(claimed.Select(m => m.Id));
        try
        {
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct }, async (message, token) =>
            {
                DeliveryAttempt attempt;
                try
                {
                    attempt = targets.TryGetValue(message.TargetId, out var found)
                        ? await sender.SendAsync(found, message, token)
                        : new DeliveryAttempt(false, "The target is gone.", Permanent: true);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A malformed row (a body a platform call cannot be read from, a bad address) must fail and back
                    // off like any other failure, not come back at every lease.
                    attempt = new DeliveryAttempt(false, $"{ex.GetType().Name}: {ex.Message}");
                }
                targets.TryGetValue(message.TargetId, out var target);
                await RecordAsync(message.Id, message.ClaimToken!, attempt, schedule, target, token);
                lock (unfinished)
                {
                    unfinished.Remove(message.Id);
                }
            });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A clean stop hands the rest back at once; a crash leaves them to the lease.
            await ReleaseAsync(token, [.. unfinished]);
            throw;
        }
        return claimed.Count == settings.BatchSize;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(string token, DeliveryOptions settings, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lease = now + settings.Lease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.IsSqlite)
        {
            var candidates = await Due(db.Outbox, now).OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(settings.BatchSize).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return [];
            }
            // Guarded: a row another node claimed between the read and this update no longer matches.
            await Due(db.Outbox, now).Where(m => candidates.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, lease), ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Outbox" SET "ClaimToken" = {token}, "ClaimedUntil" = {lease}
                WHERE "Id" IN (
                    SELECT "Id" FROM "Outbox"
                    WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now} AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "NextAttemptAt"
                    LIMIT {settings.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                """, ct);
        }
        return await db.Outbox.AsNoTracking().Where(m => m.ClaimToken == token).ToListAsync(ct);
    }

    private static IQueryable<OutboxMessage> Due(IQueryable<OutboxMessage> outbox, DateTimeOffset now) =>
        outbox.Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now));

    private async Task RecordAsync(long id, string token, DeliveryAttempt attempt, RetrySchedule schedule, DeliveryTarget? target, CancellationToken ct)
    {
        // Recorded even when the stop signal came during the send: the receiver has it, and a record saves a duplicate.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == id && m.ClaimToken == token, CancellationToken.None);
        if (message is null)
        {
            // The lease ran out and another node took the row; its outcome counts.
            return;
        }
        var now = time.GetUtcNow();
        var reply = message.MessageId is { } messageId ? await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, CancellationToken.None) : null;
        if (attempt.Succeeded)
        {
            message.Delivered(now);
            reply?.DeliverySent();
        }
        else
        {
            var retryAt = attempt.Permanent ? null : schedule.Next(message.Attempts + 1, now, attempt.RetryAfter, Random.Shared);
            message.Failed(attempt.Error ?? "Failed.", retryAt);
            if (message.Status == OutboxStatus.Dead)
            {
                reply?.DeliveryFailed(attempt.Error ?? "Failed.");
                logger.LogWarning("Outbox message {WebhookId} to {Target} is dead after {Attempts} attempt(s): {Error}",
                    message.WebhookId, target?.Name, message.Attempts, attempt.Error);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task ReleaseAsync(string token, long[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Outbox.Where(m => m.ClaimToken == token && ids.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            logger.LogInformation(ex, "Could not hand back {Count} claimed outbox message(s); their lease ends them.", ids.Length);
        }
    }
}
