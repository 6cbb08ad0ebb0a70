using MemberCare.Domain.Customers;
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

    /// <summary>The cost ledger, summed in the database per defect and remedy; the lines are composed from those sums.</summary>
    public async Task<CostLedger> LedgerAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Money is summed as double (SQLite has no decimal), then rounded back to cents.
        var sums = await db.RecoveryTasks.AsNoTracking()
            .Join(db.Defects, r => r.DefectId, d => d.Id, (r, d) => new { d.Id, d.Title, d.CauseCategory, r.Remedy, Amount = (double)r.Amount, r.HandlingMinutes })
            .GroupBy(x => new { x.Id, x.Title, x.CauseCategory, x.Remedy })
            .Select(g => new { g.Key.Id, g.Key.Title, g.Key.CauseCategory, g.Key.Remedy, Amount = g.Sum(x => x.Amount), Minutes = g.Sum(x => x.HandlingMinutes) })
            .ToListAsync(ct);
        var items = sums.Select(x => new Sum(x.Id, x.Title, x.CauseCategory, x.Remedy, Math.Round((decimal)x.Amount, 2), x.Minutes)).ToList();
        var minuteCost = options.Value.MinuteCost;
        CostLine Line(string key, long? defectId, IEnumerable<Sum> group)
        {
            var list = group.ToList();
            var refunds = list.Where(i => i.Remedy == Remedy.Refund).Sum(i => i.Amount);
            var reshipments = list.Where(i => i.Remedy == Remedy.Reshipment).Sum(i => i.Amount);
            var vouchers = list.Where(i => i.Remedy == Remedy.Voucher).Sum(i => i.Amount);
            var minutes = list.Sum(i => i.Minutes);
            var handling = minutes * minuteCost;
            return new CostLine(key, defectId, list.Select(i => i.Defect).Distinct().Count(), refunds, reshipments, vouchers, minutes, handling, refunds + reshipments + vouchers + handling);
        }
        return new CostLedger(
            [.. items.GroupBy(i => (i.Defect, i.Title)).OrderBy(g => g.Key.Defect).Select(g => Line($"#{g.Key.Defect} {g.Key.Title}", g.Key.Defect, g))],
            [.. items.GroupBy(i => i.CauseCategory?.ToKey() ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, null, g))],
            Line("total", null, items));
    }

    /// <summary>
    /// Of the customers whose recovery is done and whose 90 days have passed, the share who ordered again within 90 days
    /// of being hit, beside the share of comparable customers never hit by a defect (same tier, same order-history band)
    /// who ordered in the 90 days from the start of that day. The comparison is one GROUP BY per tier and day in the
    /// database, so it reads no customer or order table whole.
    /// </summary>
    public async Task<ComebackReport> ComebackAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromDays(WindowDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recovered = await db.RecoveryTasks.AsNoTracking().Where(r => r.DoneAt != null)
            .Join(db.Customers, r => r.CustomerId, c => c.Id, (r, c) => new { r.DefectId, r.CustomerId, r.Remedy, r.CreatedAt, c.Tier })
            .ToListAsync(ct);
        var complete = recovered.Where(r => r.CreatedAt + window <= now).ToList();
        var affected = complete.Select(r => r.CustomerId).Distinct().ToList();
        var orders = (await db.Orders.AsNoTracking().Where(o => affected.Contains(o.CustomerId)).Select(o => new { o.CustomerId, o.PlacedAt }).ToListAsync(ct))
            .ToLookup(o => o.CustomerId, o => o.PlacedAt);
        var firstResponses = await db.DefectLinks.AsNoTracking().Where(l => l.Kind == DefectLinkKind.Conversation)
            .Join(db.Conversations.Where(c => affected.Contains(c.CustomerId)), l => l.RefId, c => (long?)c.Id, (l, c) => new { l.DefectId, c.CustomerId, c.CreatedAt, c.FirstResponseAt })
            .ToListAsync(ct);

        var hit = db.RecoveryTasks.Select(r => r.CustomerId);
        var peers = new Dictionary<(CustomerTier Tier, DateTimeOffset Day), Dictionary<int, (int Customers, int CameBack)>>();
        foreach (var (tier, day) in complete.Select(r => (r.Tier, Day: DayOf(r.CreatedAt))).Distinct())
        {
            var until = day + window;
            var bands = await db.Customers.AsNoTracking().Where(c => c.Tier == tier && !hit.Contains(c.Id))
                .Select(c => new
                {
                    Before = db.Orders.Count(o => o.CustomerId == c.Id && o.PlacedAt <= day),
                    After = db.Orders.Any(o => o.CustomerId == c.Id && o.PlacedAt > day && o.PlacedAt <= until),
                })
                .Select(x => new { Band = x.Before == 0 ? 0 : x.Before == 1 ? 1 : x.Before <= 3 ? 2 : 3, x.After })
                .GroupBy(x => x.Band)
                .Select(g => new { g.Key, Customers = g.Count(), CameBack = g.Count(x => x.After) })
                .ToListAsync(ct);
            peers[(tier, day)] = bands.ToDictionary(b => b.Key, b => (b.Customers, b.CameBack));
        }

        var cases = complete.Select(r =>
        {
            var cameBack = orders[r.CustomerId].Any(p => p > r.CreatedAt && p <= r.CreatedAt + window);
            var band = HistoryBand(orders[r.CustomerId].Count(p => p <= r.CreatedAt));
            double? peerRate = peers[(r.Tier, DayOf(r.CreatedAt))].TryGetValue(band, out var p) && p.Customers > 0 ? p.CameBack / (double)p.Customers : null;
            var response = firstResponses.Where(f => f.DefectId == r.DefectId && f.CustomerId == r.CustomerId).Select(f => f.FirstResponseAt - f.CreatedAt).Min();
            return new Case(r.Remedy.ToKey(), Speed(response), cameBack, peerRate);
        }).ToList();
        return new ComebackReport(WindowDays, recovered.Count - complete.Count, Group("all", cases),
            [.. cases.GroupBy(c => c.Remedy).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g))],
            [.. cases.GroupBy(c => c.Speed).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g))]);
    }

    private static DateTimeOffset DayOf(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>
    /// Customers to contact before they complain: they bought a SKU linked to the defect, are not linked to it, and have
    /// never complained about it (no conversation about that order, and none with the defect's concern since they
    /// ordered). One line per customer, their latest such order.
    /// </summary>
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
        var concern = DefectSignature.Concern(defect.SignatureKey);
        var rows = await db.OrderLines.AsNoTracking()
            .Where(l => skus.Contains(l.Sku))
            .Join(db.Orders, l => l.OrderId, o => o.Id, (l, o) => new { o.CustomerId, o.Number, l.Sku, o.PlacedAt })
            .Where(x => !linkedCustomers.Contains(x.CustomerId)
                && !db.Conversations.Any(c => c.CustomerId == x.CustomerId
                    && (c.OrderNumber == x.Number || (c.ConcernType == concern && c.CreatedAt >= x.PlacedAt))))
            .Join(db.Customers, x => x.CustomerId, c => c.Id, (x, c) => new { c.Id, c.Name, c.Email, x.Number, x.Sku, x.PlacedAt })
            .OrderByDescending(x => x.PlacedAt)
            .Take(500)
            .ToListAsync(ct);
        return [.. rows.DistinctBy(x => x.Id).Select(x => new OutreachCandidate(x.Id, x.Name, x.Email, x.Number, x.Sku, x.PlacedAt))];
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

    private sealed record Sum(long Defect, string Title, CauseCategory? CauseCategory, Remedy Remedy, decimal Amount, int Minutes);
}
