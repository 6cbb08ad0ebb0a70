using MemberCare.Domain.Defects;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Defects;

public sealed record CostLine(string Key, long? DefectId, int Defects, decimal Refunds, decimal Reshipments, decimal Vouchers, int HandlingMinutes, decimal HandlingCost, decimal Total);

public sealed record CostLedger(IReadOnlyList<CostLine> ByDefect, IReadOnlyList<CostLine> ByCauseCategory, CostLine Total);

public sealed record ComebackGroup(string Key, int Customers, int OrderedAgain, double Rate, int Compared, double ComparableRate, double Difference);

public sealed record ComebackReport(int WindowDays, int StillInWindow, ComebackGroup All, IReadOnlyList<ComebackGroup> ByRemedy, IReadOnlyList<ComebackGroup> ByResponseSpeed);

public sealed record OutreachCandidate(long CustomerId, string Name, string? Email, string OrderNumber, string Sku, DateTimeOffset PlacedAt);

/// <summary>What mistakes cost, whether the customers we recovered came back, and whom to contact before they complain.</summary>
public sealed class RecoveryReport(IDbContextFactory<MemberCareDb> dbFactory, IOptions<DefectOptions> options, TimeProvider time)
{
    public const int WindowDays = 90;

    public async Task<CostLedger> LedgerAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.RecoveryTasks.AsNoTracking()
            .Join(db.Defects, r => r.DefectId, d => d.Id, (r, d) => new { d.Id, d.Title, d.CauseCategory, r.Remedy, r.Amount, r.HandlingMinutes })
            .ToListAsync(ct);
        var minuteCost = options.Value.MinuteCost;
        CostLine Line(string key, long? defectId, IEnumerable<(long Defect, Remedy Remedy, decimal Amount, int Minutes)> items)
        {
            var list = items.ToList();
            var refunds = list.Where(i => i.Remedy == Remedy.Refund).Sum(i => i.Amount);
            var reshipments = list.Where(i => i.Remedy == Remedy.Reshipment).Sum(i => i.Amount);
            var vouchers = list.Where(i => i.Remedy == Remedy.Voucher).Sum(i => i.Amount);
            var minutes = list.Sum(i => i.Minutes);
            var handling = minutes * minuteCost;
            return new CostLine(key, defectId, list.Select(i => i.Defect).Distinct().Count(), refunds, reshipments, vouchers, minutes, handling, refunds + reshipments + vouchers + handling);
        }
        var items = rows.Select(r => (Defect: r.Id, r.Remedy, r.Amount, Minutes: r.HandlingMinutes, r.Title, r.CauseCategory)).ToList();
        return new CostLedger(
            [.. items.GroupBy(i => (i.Defect, i.Title)).OrderBy(g => g.Key.Defect)
                .Select(g => Line($"#{g.Key.Defect} {g.Key.Title}", g.Key.Defect, g.Select(i => (i.Defect, i.Remedy, i.Amount, i.Minutes))))],
            [.. items.GroupBy(i => i.CauseCategory?.ToKey() ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Line(g.Key, null, g.Select(i => (i.Defect, i.Remedy, i.Amount, i.Minutes))))],
            Line("total", null, items.Select(i => (i.Defect, i.Remedy, i.Amount, i.Minutes))));
    }

    /// <summary>
    /// Of the customers whose recovery is done and whose 90 days have passed, the share who ordered again within 90 days
    /// of being hit, beside the share of comparable customers never hit by a defect (same tier, same order-history band)
    /// who ordered in the same 90 days.
    /// </summary>
    public async Task<ComebackReport> ComebackAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromDays(WindowDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recovered = await db.RecoveryTasks.AsNoTracking().Where(r => r.DoneAt != null)
            .Select(r => new { r.DefectId, r.CustomerId, r.Remedy, r.CreatedAt }).ToListAsync(ct);
        var hit = await db.RecoveryTasks.AsNoTracking().Select(r => r.CustomerId).Distinct().ToListAsync(ct);
        var hitSet = hit.ToHashSet();
        var customers = await db.Customers.AsNoTracking().Select(c => new { c.Id, c.Tier }).ToListAsync(ct);
        var orders = (await db.Orders.AsNoTracking().Select(o => new { o.CustomerId, o.PlacedAt }).ToListAsync(ct))
            .ToLookup(o => o.CustomerId, o => o.PlacedAt);
        var firstResponses = await db.DefectLinks.AsNoTracking().Where(l => l.Kind == DefectLinkKind.Conversation)
            .Join(db.Conversations, l => l.RefId, c => (long?)c.Id, (l, c) => new { l.DefectId, c.CustomerId, c.CreatedAt, c.FirstResponseAt })
            .ToListAsync(ct);
        var unaffected = customers.Where(c => !hitSet.Contains(c.Id)).ToList();
        var tierOf = customers.ToDictionary(c => c.Id, c => c.Tier);

        var complete = recovered.Where(r => r.CreatedAt + window <= now).ToList();
        var cases = complete.Select(r =>
        {
            var cameBack = orders[r.CustomerId].Any(p => p > r.CreatedAt && p <= r.CreatedAt + window);
            var band = HistoryBand(orders[r.CustomerId].Count(p => p <= r.CreatedAt));
            var peers = unaffected.Where(c => c.Tier == tierOf.GetValueOrDefault(r.CustomerId) && HistoryBand(orders[c.Id].Count(p => p <= r.CreatedAt)) == band).ToList();
            double? peerRate = peers.Count == 0 ? null
                : peers.Count(p => orders[p.Id].Any(o => o > r.CreatedAt && o <= r.CreatedAt + window)) / (double)peers.Count;
            var response = firstResponses.Where(f => f.DefectId == r.DefectId && f.CustomerId == r.CustomerId).Select(f => f.FirstResponseAt - f.CreatedAt).Min();
            return new Case(r.Remedy.ToKey(), Speed(response), cameBack, peerRate);
        }).ToList();
        return new ComebackReport(WindowDays, recovered.Count - complete.Count, Group("all", cases),
            [.. cases.GroupBy(c => c.Remedy).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g))],
            [.. cases.GroupBy(c => c.Speed).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g))]);
    }

    public async Task<IReadOnlyList<OutreachCandidate>?> OutreachAsync(long defectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var defect = await db.Defects.AsNoTracking().Include(d => d.Links).FirstOrDefaultAsync(d => d.Id == defectId, ct);
        if (defect is null)
        {
            return null;
        }
        var skus = defect.Links.Where(l => l.Kind == DefectLinkKind.Sku).Select(l => l.Key).ToList();
        var linkedCustomers = defect.Links.Where(l => l.Kind == DefectLinkKind.Customer).Select(l => l.RefId!.Value).ToList();
        var rows = await db.OrderLines.AsNoTracking()
            .Where(l => skus.Contains(l.Sku))
            .Join(db.Orders, l => l.OrderId, o => o.Id, (l, o) => new { o.CustomerId, o.Number, l.Sku, o.PlacedAt })
            .Where(x => !linkedCustomers.Contains(x.CustomerId))
            .Join(db.Customers, x => x.CustomerId, c => c.Id, (x, c) => new { c.Id, c.Name, c.Email, x.Number, x.Sku, x.PlacedAt })
            .OrderByDescending(x => x.PlacedAt)
            .Take(500)
            .ToListAsync(ct);
        return [.. rows.Select(x => new OutreachCandidate(x.Id, x.Name, x.Email, x.Number, x.Sku, x.PlacedAt))];
    }

    private static int HistoryBand(int ordersBefore) => ordersBefore switch
    {
        0 => 0,
        1 => 1,
        <= 3 => 2,
        _ => 3,
    };

    private static string Speed(TimeSpan? response) => response switch
    {
        null => "no_reply",
        { TotalHours: <= 1 } => "within_1_hour",
        { TotalHours: <= 24 } => "within_24_hours",
        _ => "later",
    };

    private static ComebackGroup Group(string key, IEnumerable<Case> cases)
    {
        var list = cases.ToList();
        var compared = list.Where(c => c.PeerRate is not null).ToList();
        var rate = list.Count == 0 ? 0 : list.Count(c => c.CameBack) / (double)list.Count;
        var peerRate = compared.Count == 0 ? 0 : compared.Average(c => c.PeerRate!.Value);
        return new ComebackGroup(key, list.Count, list.Count(c => c.CameBack), Math.Round(rate, 4), compared.Count, Math.Round(peerRate, 4), Math.Round(rate - peerRate, 4));
    }

    private sealed record Case(string Remedy, string Speed, bool CameBack, double? PeerRate);
}
