using MemberCare.Domain.Channels;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Channels.Webhooks;

public sealed record ChannelHealthView(
    string Source,
    DateTimeOffset? LastEventAt,
    long Deliveries,
    long SignatureFailures,
    DateTimeOffset? LastSignatureFailureAt,
    long DeliveryFailures,
    DateTimeOffset? LastDeliveryFailureAt,
    string? LastFailure);

/// <summary>Persisted per-source counters, so a channel that stopped delivering or started failing signatures shows.</summary>
public sealed class ChannelHealthLog(IDbContextFactory<MemberCareDb> dbFactory, ILogger<ChannelHealthLog> logger)
{
    public Task RecordDeliveryAsync(WebhookSource source, DateTimeOffset at, CancellationToken ct) =>
        UpdateAsync(source, rows => rows.ExecuteUpdateAsync(s => s
            .SetProperty(h => h.Deliveries, h => h.Deliveries + 1)
            .SetProperty(h => h.LastEventAt, at), ct), ct);

    public Task RecordSignatureFailureAsync(WebhookSource source, DateTimeOffset at, CancellationToken ct) =>
        UpdateAsync(source, rows => rows.ExecuteUpdateAsync(s => s
            .SetProperty(h => h.SignatureFailures, h => h.SignatureFailures + 1)
            .SetProperty(h => h.LastSignatureFailureAt, at), ct), ct);

    public Task RecordDeliveryFailureAsync(WebhookSource source, string reason, DateTimeOffset at, CancellationToken ct)
    {
        var shortened = reason.Length > 300 ? reason[..300] : reason;
        return UpdateAsync(source, rows => rows.ExecuteUpdateAsync(s => s
            .SetProperty(h => h.DeliveryFailures, h => h.DeliveryFailures + 1)
            .SetProperty(h => h.LastDeliveryFailureAt, at)
            .SetProperty(h => h.LastFailure, shortened), ct), ct);
    }

    public async Task<IReadOnlyList<ChannelHealthView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ChannelHealth.AsNoTracking().ToListAsync(ct);
        return [.. rows.OrderBy(h => h.Source).Select(h => new ChannelHealthView(
            h.Source.ToString().ToLowerInvariant(), h.LastEventAt, h.Deliveries, h.SignatureFailures, h.LastSignatureFailureAt,
            h.DeliveryFailures, h.LastDeliveryFailureAt, h.LastFailure))];
    }

    private async Task UpdateAsync(WebhookSource source, Func<IQueryable<ChannelHealth>, Task<int>> update, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                if (await update(db.ChannelHealth.Where(h => h.Source == source)) > 0)
                {
                    return;
                }
                try
                {
                    db.ChannelHealth.Add(new ChannelHealth(source));
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (ex.IsUniqueViolation())
                {
                    db.ChangeTracker.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            // Counters are for operators; a failed count must not turn an answered delivery into a failure.
            logger.LogWarning(ex, "Could not update the health counters of {Source}", source);
        }
    }
}
