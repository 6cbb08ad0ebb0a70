using MemberCare.Domain;
using MemberCare.Domain.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Channels.Health;

/// <summary>One inbound channel as operators see it.</summary>
public sealed record ChannelHealthRow(
    string Channel,
    DateTimeOffset? LastEventAt,
    int EventsLast24Hours,
    long Deliveries,
    long SignatureFailures,
    DateTimeOffset? LastSignatureFailureAt,
    long RefusedDeliveries,
    DateTimeOffset? LastRefusedAt,
    string? LastFailure,
    int OutboundFailures,
    bool Silent,
    DateTimeOffset? SilentSince,
    TimeSpan SilenceThreshold);

/// <summary>Outbound messages per target kind that are failing (retrying after an error) or dead.</summary>
public sealed record OutboundHealthRow(string Kind, int Failing, int Dead);

public sealed record ChannelHealthReport(DateTimeOffset At, IReadOnlyList<ChannelHealthRow> Channels, IReadOnlyList<OutboundHealthRow> Outbound);

/// <summary>Reads the per-channel counters, the last day's traffic, the outbox's failures and the open silence alerts.</summary>
public sealed class ChannelHealthBoard(IDbContextFactory<MemberCareDb> dbFactory, Microsoft.Extensions.Options.IOptionsMonitor<ChannelsOptions> options, TimeProvider time)
{
    public static IReadOnlyList<WebhookSource> Sources { get; } = Enum.GetValues<WebhookSource>();

    public static string Name(WebhookSource source) => source.ToString().ToLowerInvariant();

    public async Task<ChannelHealthReport> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = now.AddHours(-24);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var health = await db.ChannelHealth.AsNoTracking().ToDictionaryAsync(h => h.Source, ct);
        var silences = await db.ChannelSilences.AsNoTracking().Where(s => s.ClearedAt == null).ToListAsync(ct);
        var webhookCounts = await db.WebhookDeliveries.Where(d => d.ReceivedAt >= since)
            .GroupBy(d => d.Source).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var messageCounts = await db.Messages.Where(m => m.Direction == MessageDirection.Inbound && m.CreatedAt >= since
                && (m.Channel == Channel.Email || m.Channel == Channel.Chat || m.Channel == Channel.WebForm || m.Channel == Channel.Review))
            .GroupBy(m => m.Channel).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var outbound = await (from m in db.Outbox
                              join t in db.DeliveryTargets on m.TargetId equals t.Id
                              where m.Status == OutboxStatus.Dead || (m.Status == OutboxStatus.Pending && m.LastError != null)
                              group m by new { t.Kind, m.Status } into g
                              select new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var outboundRows = outbound.GroupBy(o => o.Kind).OrderBy(g => g.Key)
            .Select(g => new OutboundHealthRow(g.Key.ToString(),
                g.Where(o => o.Status == OutboxStatus.Pending).Sum(o => o.Count),
                g.Where(o => o.Status == OutboxStatus.Dead).Sum(o => o.Count)))
            .ToList();

        var rows = Sources.Select(source =>
        {
            health.TryGetValue(source, out var h);
            var events = source switch
            {
                WebhookSource.Email => messageCounts.GetValueOrDefault(Channel.Email),
                WebhookSource.Chat => messageCounts.GetValueOrDefault(Channel.Chat) + messageCounts.GetValueOrDefault(Channel.WebForm),
                WebhookSource.Reviews => messageCounts.GetValueOrDefault(Channel.Review),
                _ => webhookCounts.GetValueOrDefault(source),
            };
            var silence = silences.Where(s => s.Source == source && IsCurrent(s, h)).OrderByDescending(s => s.SilentSince).FirstOrDefault();
            var outboundFailures = OutboundKind(source) is { } kind
                ? outboundRows.Where(o => o.Kind == kind.ToString()).Sum(o => o.Failing + o.Dead)
                : 0;
            return new ChannelHealthRow(Name(source), h?.LastEventAt, events, h?.Deliveries ?? 0,
                h?.SignatureFailures ?? 0, h?.LastSignatureFailureAt, h?.DeliveryFailures ?? 0, h?.LastDeliveryFailureAt, h?.LastFailure,
                outboundFailures, silence is not null, silence?.SilentSince, options.CurrentValue.SilenceThreshold(source));
        }).ToList();
        return new ChannelHealthReport(now, rows, outboundRows);
    }

    /// <summary>An alert is current until the channel has an event after the one it fell silent after.</summary>
    public static bool IsCurrent(ChannelSilence silence, ChannelHealth? health) =>
        silence.IsOpen && (health?.LastEventAt is not { } last || last <= silence.SilentSince);

    /// <summary>The outbound kind that answers on a channel, whose failures show on that channel's row.</summary>
    public static DeliveryKind? OutboundKind(WebhookSource source) => source switch
    {
        WebhookSource.Meta => DeliveryKind.MetaGraph,
        WebhookSource.X => DeliveryKind.XApi,
        WebhookSource.Email => DeliveryKind.Email,
        _ => null,
    };
}
