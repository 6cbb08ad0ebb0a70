using MemberCare.Domain.Defects;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Spikes;

public sealed record SpikeAlertSummary(
    long Id,
    string Signature,
    string Kind,
    string Concern,
    string Label,
    string Status,
    int Count,
    double Expected,
    int Level,
    DateTimeOffset WindowStart,
    DateTimeOffset TippedAt,
    DateTimeOffset RaisedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt);

public sealed record LinkedMessage(long MessageId, long ConversationId, string CustomerName, string Text, DateTimeOffset At);

public sealed record SpikeAlertDetail(SpikeAlertSummary Alert, IReadOnlyList<LinkedMessage> Messages);

/// <summary>What an accepted alert hands on to become a defect: the signature and everything it linked.</summary>
public sealed record AcceptedSpike(long AlertId, string Concern, string Signature, string Label, IReadOnlyList<long> MessageIds, IReadOnlyList<long> ConversationIds, long DefectId);

public enum DecisionOutcome
{
    Done,
    NotFound,
    AlreadyDecided,
}

/// <summary>The leads' side of spike detection: the alerts, and accepting or dismissing one.</summary>
public sealed class SpikeAlerts(IDbContextFactory<MemberCareDb> dbFactory, IOptions<SpikeOptions> options, TimeProvider time, Defects.DefectLog defects)
{
    public const int MaxList = 200;

    public async Task<IReadOnlyList<SpikeAlertSummary>> ListAsync(SpikeAlertStatus? status, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.SpikeAlerts.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(a => a.Status == s);
        }
        var alerts = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, MaxList)).ToListAsync(ct);
        return [.. alerts.Select(Summary)];
    }

    public async Task<SpikeAlertDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.SpikeAlerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return null;
        }
        var messages = await db.SpikeAlertMessages.Where(l => l.AlertId == id)
            .Join(db.Messages, l => l.MessageId, m => m.Id, (l, m) => m)
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new { m.Id, m.ConversationId, CustomerName = c.Customer!.Name, m.Text, m.CreatedAt })
            .OrderBy(m => m.Id)
            .ToListAsync(ct);
        return new SpikeAlertDetail(
            Summary(alert),
            [.. messages.Select(m => new LinkedMessage(m.Id, m.ConversationId, m.CustomerName ?? "", m.Text.Length > 300 ? m.Text[..300] : m.Text, m.CreatedAt))]);
    }

    /// <summary>
    /// Accepts a proposed alert. This is where a defect is born from it (issue #7, item 1): the defect is written in
    /// the same SaveChanges as the acceptance, from what <see cref="AcceptedSpike"/> carries.
    /// </summary>
    public async Task<(DecisionOutcome Outcome, AcceptedSpike? Accepted)> AcceptAsync(long id, string by, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.SpikeAlerts.Include(a => a.Messages).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return (DecisionOutcome.NotFound, null);
        }
        if (alert.Status != SpikeAlertStatus.Proposed)
        {
            return (DecisionOutcome.AlreadyDecided, null);
        }
        alert.Accept(by, time.GetUtcNow());
        var messageIds = alert.Messages.Select(m => m.MessageId).Order().ToList();
        var conversationIds = await db.Messages.Where(m => messageIds.Contains(m.Id)).Select(m => m.ConversationId).Distinct().OrderBy(c => c).ToListAsync(ct);
        // The proposed defect becomes a real one in the same save: an accepted alert always has its defect.
        var (defect, _) = await defects.AddAsync(db, $"Spike: {alert.Label}", CategoryOf(alert.Concern), DefectSeverity.High,
            alert.Signature.ToLowerInvariant(), by, ownerId: null, new Defects.LinkRequest(conversationIds, null, null, null, null), ct);
        if (!await TrySaveAsync(db, ct))
        {
            return (DecisionOutcome.AlreadyDecided, null);
        }
        return (DecisionOutcome.Done, new AcceptedSpike(alert.Id, alert.Concern, alert.Signature, alert.Label, messageIds, conversationIds, defect.Id));
    }

    /// <summary>The mistake a spike of a concern most likely points at; the lead can reclassify the defect.</summary>
    public static DefectCategory CategoryOf(string concern) => concern switch
    {
        "wrong_or_missing_item" => DefectCategory.PickOrPackError,
        "damaged_item" => DefectCategory.CarrierDamage,
        "where_is_my_order" => DefectCategory.LateDispatch,
        "product_quality" => DefectCategory.ProductFault,
        "not_as_described" or "sizing_fit" => DefectCategory.ListingError,
        "website_app" or "payment_billing" => DefectCategory.PricingOrWebsiteError,
        _ => DefectCategory.ServiceError,
    };

    /// <summary>
    /// Dismisses a proposed alert; its signature then alerts only above the dismissed count. The same messages also
    /// lifted other signatures (their text bands, their supplier); each that most of them share is raised to the number
    /// of them it holds, so the pattern does not come back under another name at the same level.
    /// </summary>
    public async Task<(DecisionOutcome Outcome, SpikeAlertSummary? Alert)> DismissAsync(long id, string by, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.SpikeAlerts.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return (DecisionOutcome.NotFound, null);
        }
        if (alert.Status != SpikeAlertStatus.Proposed)
        {
            return (DecisionOutcome.AlreadyDecided, null);
        }
        var now = time.GetUtcNow();
        var linked = db.Messages.Where(m => db.SpikeAlertMessages.Any(l => l.AlertId == id && l.MessageId == m.Id));
        var keys = await MessageSignatures.KeysAsync(db, await MessageSignatures.Read(db, linked).ToListAsync(ct), options.Value, options.Value.TextClusters, ct);
        var shared = keys.SelectMany(k => k.Keys).GroupBy(s => s.Signature)
            .Where(g => g.Key != alert.Signature && g.Count() * 2 > keys.Count).ToDictionary(g => g.Key, g => (g.First(), g.Count()));
        // A signature counted too rarely to have a baseline (a text band) gets one here, to carry the dismissed level.
        var baselines = await db.SpikeBaselines.Where(b => b.Signature == alert.Signature || shared.Keys.Contains(b.Signature)).ToDictionaryAsync(b => b.Signature, ct);
        SignatureBaseline BaselineOf(string signature, SignatureKind kind, string label)
        {
            if (!baselines.TryGetValue(signature, out var baseline))
            {
                baseline = SignatureBaseline.Start(signature, kind, alert.Concern, label, options.Value.Rule.BucketOf(now));
                baselines[signature] = baseline;
                db.SpikeBaselines.Add(baseline);
            }
            return baseline;
        }
        alert.Dismiss(BaselineOf(alert.Signature, alert.Kind, alert.Label), by, now);
        foreach (var (signature, (key, count)) in shared)
        {
            BaselineOf(signature, key.Kind, key.Label).RaiseThreshold(count);
        }
        return await TrySaveAsync(db, ct) ? (DecisionOutcome.Done, Summary(alert)) : (DecisionOutcome.AlreadyDecided, null);
    }

    private static async Task<bool> TrySaveAsync(MemberCareDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private static SpikeAlertSummary Summary(SpikeAlert a) => new(
        a.Id, a.Signature, a.Kind.ToString().ToLowerInvariant(), a.Concern, a.Label, a.Status.ToString().ToLowerInvariant(),
        a.Count, Math.Round(a.Expected, 3), a.Level, a.WindowStart, a.TippedAt, a.RaisedAt, a.DecidedBy, a.DecidedAt);
}
