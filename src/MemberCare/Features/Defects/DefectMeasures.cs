using MemberCare.Domain.Defects;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Defects;

public sealed record RateLine(string Key, int Orders, int DefectiveOrders, double PerThousand);

public sealed record PerfectOrders(int Orders, int OnTime, int Complete, int Undamaged, int Correct, int Perfect, double Rate);

public sealed record Measures(
    DateTimeOffset From,
    DateTimeOffset To,
    int Orders,
    int DefectiveOrders,
    double DefectsPerThousandOrders,
    IReadOnlyList<RateLine> ByCategory,
    IReadOnlyList<RateLine> BySku,
    IReadOnlyList<RateLine> BySupplier,
    IReadOnlyList<RateLine> ByWarehouse,
    PerfectOrders PerfectOrders,
    decimal CostOfMistakes,
    int DefectsWatched,
    int DefectsRecurred,
    double RecurrenceRate,
    double? HoursToOpen,
    double? HoursToVerified);

/// <summary>
/// The quality measures of the product brief, over the orders placed in a period: defect rate per 1,000 orders,
/// perfect order rate, cost of mistakes, recurrence, and how fast complaints become defects and fixes hold.
/// </summary>
public sealed class DefectMeasures(IDbContextFactory<MemberCareDb> dbFactory, RecoveryReport recovery)
{
    private static readonly DefectCategory[] s_incomplete = [DefectCategory.PickOrPackError];
    private static readonly DefectCategory[] s_damaged = [DefectCategory.CarrierDamage, DefectCategory.ProductFault];
    private static readonly DefectCategory[] s_incorrect = [DefectCategory.PickOrPackError, DefectCategory.ListingError, DefectCategory.PricingOrWebsiteError];

    public async Task<Measures> ComputeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var start = from.ToUniversalTime();
        var end = to.ToUniversalTime();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines)
            .Where(o => o.PlacedAt >= start && o.PlacedAt < end && o.Status != OrderStatus.Cancelled)
            .ToListAsync(ct);
        var orderIds = orders.Select(o => o.Id).ToList();
        var links = await db.DefectLinks.AsNoTracking().Where(l => l.Kind == DefectLinkKind.Order && orderIds.Contains(l.RefId!.Value))
            .Join(db.Defects, l => l.DefectId, d => d.Id, (l, d) => new { OrderId = l.RefId!.Value, d.Category })
            .ToListAsync(ct);
        var categoriesOf = links.ToLookup(l => l.OrderId, l => l.Category);
        var defective = orders.Where(o => categoriesOf[o.Id].Any()).ToList();
        double PerThousand(int bad, int all) => all == 0 ? 0 : Math.Round(bad * 1000.0 / all, 2);
        RateLine Line(string key, ICollection<Order> all) => new(key, all.Count, all.Count(o => categoriesOf[o.Id].Any()), PerThousand(all.Count(o => categoriesOf[o.Id].Any()), all.Count));

        var byCategory = Enum.GetValues<DefectCategory>()
            .Select(c => new RateLine(c.ToKey(), orders.Count, orders.Count(o => categoriesOf[o.Id].Contains(c)), PerThousand(orders.Count(o => categoriesOf[o.Id].Contains(c)), orders.Count)))
            .ToList();
        var bySku = orders.SelectMany(o => o.Lines.Select(l => (l.Sku, Order: o))).GroupBy(x => x.Sku)
            .Select(g => Line(g.Key, g.Select(x => x.Order).Distinct().ToList())).Where(l => l.DefectiveOrders > 0).OrderByDescending(l => l.PerThousand).ToList();
        var bySupplier = orders.SelectMany(o => o.Lines.Where(l => l.Supplier != null).Select(l => (Supplier: l.Supplier!, Order: o))).GroupBy(x => x.Supplier)
            .Select(g => Line(g.Key, g.Select(x => x.Order).Distinct().ToList())).OrderByDescending(l => l.PerThousand).ToList();
        var byWarehouse = orders.Where(o => o.Warehouse != null).GroupBy(o => o.Warehouse!)
            .Select(g => Line(g.Key, g.ToList())).OrderByDescending(l => l.PerThousand).ToList();

        bool OnTime(Order o) => !categoriesOf[o.Id].Contains(DefectCategory.LateDispatch)
            && (o.PromisedBy is not { } promised || (o.DeliveredAt ?? o.ShippedAt) is not { } arrived || arrived <= promised);
        bool Complete(Order o) => !categoriesOf[o.Id].Any(s_incomplete.Contains);
        bool Undamaged(Order o) => !categoriesOf[o.Id].Any(s_damaged.Contains);
        bool Correct(Order o) => !categoriesOf[o.Id].Any(s_incorrect.Contains);
        var perfect = orders.Count(o => OnTime(o) && Complete(o) && Undamaged(o) && Correct(o));
        var perfectOrders = new PerfectOrders(orders.Count, orders.Count(OnTime), orders.Count(Complete), orders.Count(Undamaged), orders.Count(Correct), perfect,
            orders.Count == 0 ? 1 : Math.Round(perfect / (double)orders.Count, 4));

        var defects = await db.Defects.AsNoTracking().Where(d => d.OpenedAt >= start && d.OpenedAt < end)
            .Select(d => new { d.Id, d.OpenedAt, d.FirstComplaintAt, d.VerifiedAt, d.VerifyingSince, d.ReopenCount }).ToListAsync(ct);
        var ids = defects.Select(d => d.Id).ToHashSet();
        var ledger = await recovery.LedgerAsync(ct);
        var cost = ledger.ByDefect.Where(l => ids.Contains(l.DefectId!.Value)).Sum(l => l.Total);
        var watched = defects.Where(d => d.VerifyingSince != null || d.ReopenCount > 0).ToList();
        var recurred = watched.Count(d => d.ReopenCount > 0);
        var toOpen = defects.Where(d => d.FirstComplaintAt != null).Select(d => (d.OpenedAt - d.FirstComplaintAt!.Value).TotalHours).ToList();
        var toVerified = defects.Where(d => d.FirstComplaintAt != null && d.VerifiedAt != null).Select(d => (d.VerifiedAt!.Value - d.FirstComplaintAt!.Value).TotalHours).ToList();
        return new Measures(start, end, orders.Count, defective.Count, PerThousand(defective.Count, orders.Count),
            byCategory, bySku, bySupplier, byWarehouse, perfectOrders, cost,
            watched.Count, recurred, watched.Count == 0 ? 0 : Math.Round(recurred / (double)watched.Count, 4),
            toOpen.Count == 0 ? null : Math.Round(toOpen.Average(), 2),
            toVerified.Count == 0 ? null : Math.Round(toVerified.Average(), 2));
    }
}
