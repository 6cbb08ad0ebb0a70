using MemberCare.Domain.Conversations;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Spikes;

/// <summary>
/// Counts every triaged inbound message under its signatures, off the request path: a loop reads the messages after
/// the stored watermark, updates the stored baselines and raises an alert when a signature's sliding window reaches
/// its Poisson level. On PostgreSQL the node that locks the watermark row does the batch and the others skip it;
/// a unique (signature, window) key stands behind that, so no alert is raised twice.
/// </summary>
public sealed class SpikeDetector(
    IDbContextFactory<MemberCareDb> dbFactory,
    IOptions<SpikeOptions> options,
    TimeProvider time,
    ILogger<SpikeDetector> logger) : BackgroundService
{
    private static readonly SignatureKind[] s_specificFirst =
        [SignatureKind.Sku, SignatureKind.Supplier, SignatureKind.SiteArea, SignatureKind.Warehouse, SignatureKind.Carrier, SignatureKind.Text, SignatureKind.Concern];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Spike detection failed; it tries again in {Interval}", options.Value.Interval);
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

    /// <summary>Counts the messages waiting after the watermark, batch by batch; returns what it counted and raised.</summary>
    public async Task<DetectionPass> RunOnceAsync(CancellationToken ct)
    {
        var total = new DetectionPass(0, 0, 0);
        DetectionPass pass;
        do
        {
            pass = await CountBatchAsync(ct);
            total = new DetectionPass(total.Messages + pass.Messages, total.Raised + pass.Raised, total.Extended + pass.Extended);
        }
        while (pass.Messages == options.Value.BatchSize && !ct.IsCancellationRequested);
        await PruneAsync(ct);
        if (total.Raised > 0)
        {
            logger.LogInformation("Spike detection raised {Raised} alerts over {Messages} messages", total.Raised, total.Messages);
        }
        return total;
    }

    private async Task<DetectionPass> CountBatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var rule = o.Rule;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var cursor = db.IsSqlite
            ? await db.SpikeCursors.SingleOrDefaultAsync(c => c.Id == SpikeCursor.SingletonId, ct)
            : await db.SpikeCursors.FromSql($"""SELECT * FROM "SpikeCursors" WHERE "Id" = {SpikeCursor.SingletonId} FOR UPDATE SKIP LOCKED""")
                .SingleOrDefaultAsync(ct);
        if (cursor is null)
        {
            return new DetectionPass(0, 0, 0);
        }
        var now = time.GetUtcNow();

        // A message still in triage holds the watermark back for a moment; one left untriaged longer is passed by.
        var graceSince = now - o.TriageGrace;
        var waiting = await db.Messages
            .Where(m => m.TriagedAt == null && m.Direction == MessageDirection.Inbound && m.Id > cursor.LastMessageId && m.CreatedAt > graceSince)
            .Select(m => (long?)m.Id).MinAsync(ct);
        var after = cursor.LastMessageId;
        var batch = await MessageSignatures.Read(db, db.Messages
                .Where(m => m.Id > after && m.Direction == MessageDirection.Inbound && (waiting == null || m.Id < waiting))
                .OrderBy(m => m.Id)
                .Take(o.BatchSize))
            .ToListAsync(ct);
        if (batch.Count == 0)
        {
            return new DetectionPass(0, 0, 0);
        }
        batch.Sort((a, b) => a.Id.CompareTo(b.Id));
        cursor.Advance(batch[^1].Id, batch[0].At);
        var observedSince = cursor.ObservedSince!.Value;
        var keysByMessage = await MessageSignatures.KeysAsync(db, batch, o, ct);

        var baselines = await BaselinesAsync(db, keysByMessage.SelectMany(k => k.Keys.Select(s => s.Signature)).Distinct().ToList(), ct);
        var candidates = new Dictionary<string, CountedMessage>(StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        var liveSince = now - o.Window;
        foreach (var (message, keys) in keysByMessage)
        {
            foreach (var key in keys)
            {
                if (!baselines.TryGetValue(key.Signature, out var baseline))
                {
                    baseline = SignatureBaseline.Start(key.Signature, key.Kind, message.Concern!, key.Label, rule.BucketOf(message.At));
                    baselines[key.Signature] = baseline;
                    db.SpikeBaselines.Add(baseline);
                }
                var bucketBefore = baseline.BucketStart;
                baseline.Count(message.At, rule, observedSince);
                db.SpikeHits.Add(new SpikeHit(key.Signature, message.Id, message.At));
                if (message.At < liveSince || message.At - observedSince < o.WarmUp)
                {
                    continue;
                }
                if (bucketBefore != baseline.BucketStart || !levels.TryGetValue(key.Signature, out var level))
                {
                    level = baseline.AlertLevel(rule, observedSince);
                    levels[key.Signature] = level;
                }
                if (baseline.UpperBoundOfWindow >= level)
                {
                    candidates[key.Signature] = message;
                }
            }
        }
        await db.SaveChangesAsync(ct);

        var (raised, extended) = candidates.Count == 0 ? (0, 0) : await RaiseAsync(db, candidates, baselines, rule, observedSince, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new DetectionPass(batch.Count, raised, extended);
    }

    private async Task<(int Raised, int Extended)> RaiseAsync(
        MemberCareDb db,
        Dictionary<string, CountedMessage> candidates,
        Dictionary<string, SignatureBaseline> baselines,
        SpikeRule rule,
        DateTimeOffset observedSince,
        DateTimeOffset now,
        CancellationToken ct)
    {
        var cooldownSince = rule.BucketOf(now - options.Value.Cooldown);
        var linkedNow = new HashSet<long>();
        int raised = 0, extended = 0;
        foreach (var (signature, tipping) in candidates.OrderBy(c => Array.IndexOf(s_specificFirst, baselines[c.Key].Kind)).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            var baseline = baselines[signature];
            var from = tipping.At - rule.Window;
            var ids = await db.SpikeHits
                .Where(h => h.Signature == signature && h.At > from && h.At <= tipping.At)
                .Select(h => h.MessageId).Distinct().ToListAsync(ct);
            var rate = baseline.Rate(rule, observedSince);
            var level = rule.AlertLevel(rate, baseline.DismissedLevel);
            if (ids.Count < level)
            {
                continue;
            }
            var open = await db.SpikeAlerts.Include(a => a.Messages)
                .Where(a => a.Signature == signature && a.WindowStart >= cooldownSince && a.Status != SpikeAlertStatus.Dismissed)
                .OrderByDescending(a => a.WindowStart).FirstOrDefaultAsync(ct);
            if (open is not null)
            {
                if (open.Link(ids, ids.Count) > 0)
                {
                    extended++;
                }
                linkedNow.UnionWith(ids);
                continue;
            }
            // One incident lifts its SKU, supplier, carrier and concern at once; the most specific signature speaks
            // for it, and a broader one alerts only when most of its window is something else. Messages a lead has
            // judged already (accepted or dismissed) count as covered too.
            if (ids.Count(linkedNow.Contains) * 2 > ids.Count)
            {
                continue;
            }
            var covered = await db.SpikeAlertMessages
                .Where(l => ids.Contains(l.MessageId))
                .Join(db.SpikeAlerts.Where(a => a.WindowStart >= cooldownSince), l => l.AlertId, a => a.Id, (l, a) => l.MessageId)
                .Distinct().CountAsync(ct);
            if (covered * 2 > ids.Count)
            {
                continue;
            }
            var windowStart = rule.BucketOf(tipping.At);
            if (await db.SpikeAlerts.AnyAsync(a => a.Signature == signature && a.WindowStart == windowStart, ct))
            {
                continue;
            }
            db.SpikeAlerts.Add(SpikeAlert.Raise(baseline, windowStart, tipping.Id, tipping.At, rate, level, ids, now));
            linkedNow.UnionWith(ids);
            raised++;
        }
        return (raised, extended);
    }

    private static async Task<Dictionary<string, SignatureBaseline>> BaselinesAsync(MemberCareDb db, List<string> signatures, CancellationToken ct)
    {
        var baselines = new Dictionary<string, SignatureBaseline>(StringComparer.Ordinal);
        foreach (var chunk in signatures.Chunk(500))
        {
            foreach (var baseline in await db.SpikeBaselines.Where(b => chunk.Contains(b.Signature)).ToListAsync(ct))
            {
                baselines[baseline.Signature] = baseline;
            }
        }
        return baselines;
    }

    /// <summary>Hits are needed for two windows only; a text signature that faded away is as good as a new one.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cursor = await db.SpikeCursors.SingleOrDefaultAsync(c => c.Id == SpikeCursor.SingletonId, ct);
        if (cursor is null || (cursor.LastPrunedAt is { } last && now - last < o.PruneEvery))
        {
            return;
        }
        var hitsBefore = now - (2 * o.Window);
        await db.SpikeHits.Where(h => h.At < hitsBefore).ExecuteDeleteAsync(ct);
        var fadedBefore = now - (4 * o.HalfLife);
        await db.SpikeBaselines.Where(b => b.Kind == SignatureKind.Text && b.LastSeenAt < fadedBefore && b.DismissedLevel == 0).ExecuteDeleteAsync(ct);
        await db.SpikeCursors.Where(c => c.Id == SpikeCursor.SingletonId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastPrunedAt, now), ct);
    }
}

public sealed record DetectionPass(int Messages, int Raised, int Extended);
