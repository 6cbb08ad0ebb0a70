using System.Diagnostics;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Spikes;

/// <summary>
/// Counts every triaged inbound message under its signatures, off the request path: a loop reads the messages after
/// the stored watermark, adds them to per-slice counters, teaches the baselines each closed window and raises an alert
/// when a signature's sliding window reaches its Poisson level. On PostgreSQL the node that locks the watermark row
/// does the batch and the others skip it; a unique (signature, window) key stands behind that, so no alert is raised twice.
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
        var total = DetectionPass.None;
        DetectionPass pass;
        do
        {
            pass = await CountBatchAsync(ct);
            total = new DetectionPass(total.Messages + pass.Messages, total.Raised + pass.Raised, total.Extended + pass.Extended, total.NewMessages + pass.NewMessages);
        }
        while (pass.NewMessages >= options.Value.BatchSize && !ct.IsCancellationRequested);
        await PruneAsync(ct);
        if (total.Raised > 0)
        {
            logger.LogInformation("Spike detection raised {Raised} alerts over {Messages} messages", total.Raised, total.Messages);
        }
        return total;
    }

    /// <summary>
    /// Counts one batch. Reading the messages and computing their signatures takes no write lock; the write is one
    /// upsert per few hundred (signature, slice) rows plus the watermark, so SQLite's single writer (intake) waits for
    /// milliseconds, not for the pass. On PostgreSQL the pass holds the watermark row locked, which stops no writer.
    /// </summary>
    private async Task<DetectionPass> CountBatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var rule = o.Rule;
        var started = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var claim = db.IsSqlite ? null : await db.Database.BeginTransactionAsync(ct);
        var cursor = db.IsSqlite
            ? await db.SpikeCursors.SingleOrDefaultAsync(c => c.Id == SpikeCursor.SingletonId, ct)
            : await db.SpikeCursors.FromSql($"""SELECT * FROM "SpikeCursors" WHERE "Id" = {SpikeCursor.SingletonId} FOR UPDATE SKIP LOCKED""")
                .SingleOrDefaultAsync(ct);
        if (cursor is null)
        {
            return DetectionPass.None;
        }
        var now = time.GetUtcNow();

        // A message still in triage holds the watermark back for a moment; one left untriaged longer is passed by.
        var graceSince = now - o.TriageGrace;
        var after = cursor.LastMessageId;
        var waiting = await db.Messages
            .Where(m => m.TriagedAt == null && m.Direction == MessageDirection.Inbound && m.Id > after && m.CreatedAt > graceSince)
            .Select(m => (long?)m.Id).MinAsync(ct);
        var batch = await MessageSignatures.Read(db, db.Messages
                .Where(m => m.Id > after && m.Direction == MessageDirection.Inbound && (waiting == null || m.Id < waiting))
                .OrderBy(m => m.Id)
                .Take(o.BatchSize))
            .ToListAsync(ct);
        batch.Sort((a, b) => a.Id.CompareTo(b.Id));
        var through = batch.Count == 0 ? after : batch[^1].Id;
        // On PostgreSQL an id is allocated before its transaction commits, so a lower id can appear after a higher one
        // was counted: the ids the watermark passes while invisible are noted and looked for again (SQLite has one
        // writer at a time, so there ids become visible in order).
        List<CountedMessage> late = db.IsSqlite ? [] : await GapsAsync(db, after, through, now, ct);
        var newMessages = batch.Count;
        if (late.Count > 0)
        {
            batch.AddRange(late);
            batch.Sort((a, b) => a.Id.CompareTo(b.Id));
        }
        if (batch.Count == 0)
        {
            if (claim is not null && db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(ct);
                await claim.CommitAsync(ct);
            }
            return DetectionPass.None;
        }
        var read = Stopwatch.GetElapsedTime(started);
        var keysByMessage = await MessageSignatures.KeysAsync(db, batch, o, textBands: false, ct);
        var counts = SliceCounts.Of(keysByMessage, rule);
        var bands = o.TextClusters ? TextBands.Of(keysByMessage) : null;
        var keyed = Stopwatch.GetElapsedTime(started);

        await using (var write = claim is null ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            if (write is not null)
            {
                await db.Entry(cursor).ReloadAsync(ct);
                if (cursor.LastMessageId != after)
                {
                    return DetectionPass.None;
                }
            }
            cursor.Advance(through, batch.Min(m => m.At), rule);
            if (bands is not null)
            {
                // Only bands that recur become signatures; their messages are tested like any other signature's.
                var keysOf = keysByMessage.ToDictionary(k => k.Message.Id, k => k.Keys);
                foreach (var (message, key) in await bands.AddToAsync(db, counts, rule, ct))
                {
                    keysOf[message.Id].Add(key);
                }
            }
            await counts.AddToAsync(db, ct);
            await CloseWindowsAsync(db, cursor, rule.BucketOf(batch.Max(m => m.At)), rule, o.WarmUp, ct);
            await db.SaveChangesAsync(ct);
            if (write is not null)
            {
                await write.CommitAsync(ct);
            }
        }

        var written = Stopwatch.GetElapsedTime(started);
        var (raised, extended) = await DetectAsync(db, keysByMessage, cursor, now, ct);
        if (claim is not null)
        {
            await claim.CommitAsync(ct);
        }
        logger.LogDebug("Spike pass over {Messages} messages ({Late} late), {Rows} slice rows, {Bands} text bands: read {Read:F0} ms, signatures {Keys:F0} ms, write {Write:F0} ms, detect {Detect:F0} ms",
            batch.Count, late.Count, counts.Count, bands?.Count ?? 0, read.TotalMilliseconds, (keyed - read).TotalMilliseconds, (written - keyed).TotalMilliseconds, (Stopwatch.GetElapsedTime(started) - written).TotalMilliseconds);
        return new DetectionPass(batch.Count, raised, extended, newMessages);
    }

    /// <summary>
    /// PostgreSQL only, inside the claim: counts the noted ids that have become visible (and are triaged, or past the
    /// triage grace), forgets ids noted longer than <see cref="SpikeOptions.GapTimeout"/> ago (a rolled-back insert
    /// leaves its id unused for ever), and notes the ids in (<paramref name="after"/>, <paramref name="through"/>] that
    /// are not visible now. Usually there are none, and it costs one COUNT over the batch's id range.
    /// </summary>
    private async Task<List<CountedMessage>> GapsAsync(MemberCareDb db, long after, long through, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var gaps = await db.SpikeGaps.ToListAsync(ct);
        var late = new List<CountedMessage>();
        if (gaps.Count > 0)
        {
            var noted = gaps.Select(g => g.MessageId).ToList();
            var graceSince = now - o.TriageGrace;
            var ready = await db.Messages
                .Where(m => noted.Contains(m.Id) && (m.Direction != MessageDirection.Inbound || m.TriagedAt != null || m.CreatedAt <= graceSince))
                .Select(m => m.Id).ToListAsync(ct);
            late = await MessageSignatures.Read(db, db.Messages.Where(m => ready.Contains(m.Id) && m.Direction == MessageDirection.Inbound)).ToListAsync(ct);
            var forgetBefore = now - o.GapTimeout;
            db.SpikeGaps.RemoveRange(gaps.Where(g => ready.Contains(g.MessageId) || g.NotedAt < forgetBefore));
        }
        if (through > after && await db.Messages.CountAsync(m => m.Id > after && m.Id <= through, ct) < through - after)
        {
            var visible = (await db.Messages.Where(m => m.Id > after && m.Id <= through).Select(m => m.Id).ToListAsync(ct)).ToHashSet();
            var known = gaps.Select(g => g.MessageId).ToHashSet();
            // The newest ids are the ones a running transaction may still hold; a hole of thousands is history.
            var missing = 0;
            for (var id = through; id > after && missing < MaxGapsNoted; id--)
            {
                if (!visible.Contains(id) && !known.Contains(id))
                {
                    db.SpikeGaps.Add(SpikeGap.Note(id, now));
                    missing++;
                }
            }
        }
        return late;
    }

    /// <summary>At most this many invisible ids are noted per pass (the newest).</summary>
    public const int MaxGapsNoted = 1000;

    /// <summary>
    /// Teaches the baselines every window that ended before <paramref name="through"/>: one GROUP BY over the closed
    /// slices. A text band counted once in a window gets no baseline row (it carries no pattern, and without a row
    /// it reads as the minimum rate), so rows are made only for what recurs.
    /// </summary>
    private static async Task CloseWindowsAsync(MemberCareDb db, SpikeCursor cursor, DateTimeOffset through, SpikeRule rule, TimeSpan warmUp, CancellationToken ct)
    {
        var closedThrough = cursor.ClosedThrough!.Value;
        if (through <= closedThrough)
        {
            return;
        }
        // The partial first window is not learned (SpikeRule.FirstFullWindow).
        var firstFull = rule.FirstFullWindow(cursor.ObservedSince!.Value);
        closedThrough = closedThrough < firstFull ? firstFull : closedThrough;
        if (through <= closedThrough)
        {
            cursor.Close(through);
            return;
        }
        long from = closedThrough.UtcTicks, to = through.UtcTicks, window = rule.Window.Ticks;
        var slices = db.SpikeBuckets.Where(b => b.SliceStart >= from && b.SliceStart < to);
        var recurring = await slices
            .GroupBy(b => new { b.Signature, Bucket = b.SliceStart - (b.SliceStart % window) })
            .Select(g => new { g.Key.Signature, g.Key.Bucket, Count = g.Sum(b => b.Count) })
            .Where(g => g.Count >= 2 || !g.Signature.Contains("|text:"))
            .ToListAsync(ct);
        var knownOnce = await slices
            .Where(b => b.Signature.Contains("|text:") && db.SpikeBaselines.Any(s => s.Signature == b.Signature))
            .GroupBy(b => new { b.Signature, Bucket = b.SliceStart - (b.SliceStart % window) })
            .Select(g => new { g.Key.Signature, g.Key.Bucket, Count = g.Sum(b => b.Count) })
            .Where(g => g.Count < 2)
            .ToListAsync(ct);
        var windows = recurring.Concat(knownOnce).OrderBy(w => w.Bucket).ToList();
        var baselines = await BaselinesAsync(db, [.. windows.Select(w => w.Signature).Distinct()], ct);
        var observedSince = cursor.ObservedSince!.Value;
        foreach (var w in windows)
        {
            var bucket = new DateTimeOffset(w.Bucket, TimeSpan.Zero);
            if (!baselines.TryGetValue(w.Signature, out var baseline))
            {
                baseline = SignatureBaseline.Start(w.Signature, SignatureKeys.KindOf(w.Signature), SignatureKeys.ConcernOf(w.Signature), SignatureKeys.LabelOf(w.Signature), bucket);
                baselines[w.Signature] = baseline;
                db.SpikeBaselines.Add(baseline);
            }
            baseline.Close(bucket, w.Count, rule, observedSince, learning: bucket + rule.Window - observedSince <= warmUp);
        }
        cursor.Close(through);
    }

    /// <summary>
    /// Tests the batch's signatures: the window's count is a sum over its slices, read only for signatures the batch
    /// touched and only where it reaches the minimum count; the baselines are read for those few.
    /// </summary>
    private async Task<(int Raised, int Extended)> DetectAsync(
        MemberCareDb db, List<(CountedMessage Message, List<SignatureKey> Keys)> keysByMessage, SpikeCursor cursor, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var rule = o.Rule;
        var observedSince = cursor.ObservedSince!.Value;
        var closedThrough = cursor.ClosedThrough!.Value;
        var live = keysByMessage.Where(k => k.Message.At >= now - o.Window && k.Message.At - observedSince >= o.WarmUp).ToList();
        if (live.Count == 0)
        {
            return (0, 0);
        }
        var windowFrom = rule.WindowFrom(live.Max(k => k.Message.At));
        var keys = live.SelectMany(k => k.Keys).DistinctBy(k => k.Signature).ToDictionary(k => k.Signature);
        var sums = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in keys.Keys.Chunk(500))
        {
            var found = await db.SpikeBuckets
                .Where(b => chunk.Contains(b.Signature) && b.SliceStart >= windowFrom)
                .GroupBy(b => b.Signature)
                .Select(g => new { g.Key, Count = g.Sum(b => b.Count) })
                .Where(g => g.Count >= rule.MinCount)
                .ToListAsync(ct);
            foreach (var f in found)
            {
                sums[f.Key] = f.Count;
            }
        }
        if (sums.Count == 0)
        {
            return (0, 0);
        }
        var baselines = await BaselinesAsync(db, [.. sums.Keys], ct);
        var candidates = new List<Candidate>();
        foreach (var (signature, count) in sums)
        {
            var baseline = baselines.GetValueOrDefault(signature);
            var rate = baseline?.Rate(rule, observedSince, closedThrough) ?? rule.Rate(0, observedSince, closedThrough);
            var level = rule.AlertLevel(rate, baseline?.DismissedLevel ?? 0);
            if (count < level)
            {
                continue;
            }
            // The message that tipped it: the window held count minus this batch's messages before the batch began.
            var mine = live.Where(k => k.Keys.Any(s => s.Signature == signature)).Select(k => k.Message).ToList();
            var tipping = mine[Math.Clamp(level - (count - mine.Count) - 1, 0, mine.Count - 1)];
            candidates.Add(new Candidate(keys[signature], tipping, count, rate, level));
        }
        return candidates.Count == 0 ? (0, 0) : await RaiseAsync(db, candidates, windowFrom, now, ct);
    }

    private async Task<(int Raised, int Extended)> RaiseAsync(MemberCareDb db, List<Candidate> candidates, long windowFrom, DateTimeOffset now, CancellationToken ct)
    {
        var rule = options.Value.Rule;
        var cooldownSince = rule.BucketOf(now - options.Value.Cooldown);
        var linkedNow = new HashSet<long>();
        int raised = 0, extended = 0;
        foreach (var c in candidates.OrderBy(c => Array.IndexOf(s_specificFirst, c.Key.Kind)).ThenBy(c => c.Key.Signature, StringComparer.Ordinal))
        {
            var signature = c.Key.Signature;
            var ids = (await db.SpikeBuckets.Where(b => b.Signature == signature && b.SliceStart >= windowFrom).ToListAsync(ct))
                .SelectMany(b => b.LinkedIds()).Distinct().ToList();
            var open = await db.SpikeAlerts.Include(a => a.Messages)
                .Where(a => a.Signature == signature && a.WindowStart >= cooldownSince && a.Status != SpikeAlertStatus.Dismissed)
                .OrderByDescending(a => a.WindowStart).FirstOrDefaultAsync(ct);
            if (open is not null)
            {
                if (open.Link(ids, c.Count) > 0)
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
            var windowStart = rule.BucketOf(c.Tipping.At);
            if (await db.SpikeAlerts.AnyAsync(a => a.Signature == signature && a.WindowStart == windowStart, ct))
            {
                continue;
            }
            db.SpikeAlerts.Add(SpikeAlert.Raise(signature, c.Key.Kind, c.Tipping.Concern!, c.Key.Label, windowStart, c.Tipping.Id, c.Tipping.At, c.Rate, c.Level, ids, c.Count, now));
            linkedNow.UnionWith(ids);
            raised++;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (db.IsSqlite && ex.IsUniqueViolation())
        {
            // Two passes on one SQLite file raised the same signature and window; the first one stands.
            db.ChangeTracker.Clear();
            return (0, 0);
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

    /// <summary>Slices are needed until their window is closed and has slid past; a text signature that faded away is as good as a new one.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cursor = await db.SpikeCursors.SingleOrDefaultAsync(c => c.Id == SpikeCursor.SingletonId, ct);
        if (cursor?.ClosedThrough is not { } closedThrough || (cursor.LastPrunedAt is { } last && now - last < o.PruneEvery))
        {
            return;
        }
        var slicesBefore = (closedThrough - o.Window).UtcTicks;
        await db.SpikeBuckets.Where(b => b.SliceStart < slicesBefore).ExecuteDeleteAsync(ct);
        await db.SpikeTextBands.Where(b => b.LastSlice < slicesBefore).ExecuteDeleteAsync(ct);
        var fadedBefore = now - (4 * o.HalfLife);
        await db.SpikeBaselines.Where(b => b.Kind == SignatureKind.Text && b.LastSeenAt < fadedBefore && b.DismissedLevel == 0).ExecuteDeleteAsync(ct);
        await db.SpikeCursors.Where(c => c.Id == SpikeCursor.SingletonId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastPrunedAt, now), ct);
    }

    private sealed record Candidate(SignatureKey Key, CountedMessage Tipping, int Count, double Rate, int Level);
}

/// <summary>What a pass counted (<paramref name="NewMessages"/> of them after the watermark, the rest late ones) and raised.</summary>
public sealed record DetectionPass(int Messages, int Raised, int Extended, int NewMessages = 0)
{
    public static DetectionPass None { get; } = new(0, 0, 0);
}
