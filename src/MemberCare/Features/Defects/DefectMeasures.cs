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

    /// <summary>Every count is a COUNT or GROUP BY in the database; only the few defects of the period are read as rows.</summary>
    public async Task<Measures> ComputeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var start = from.ToUniversalTime();
        var end = to.ToUniversalTime();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orders = db.Orders.AsNoTracking().Where(o => o.PlacedAt >= start && o.PlacedAt < end && o.Status != OrderStatus.Cancelled);
        var orderLinks = db.DefectLinks.AsNoTracking().Where(l => l.Kind == DefectLinkKind.Order);
        IQueryable<long?> LinkedTo(DefectCategory[] categories) =>
            orderLinks.Where(l => db.Defects.Any(d => d.Id == l.DefectId && categories.Contains(d.Category))).Select(l => l.RefId);
        var defective = orders.Where(o => orderLinks.Any(l => l.RefId == o.Id));
        var total = await orders.CountAsync(ct);
        var defectiveCount = await defective.CountAsync(ct);
        double PerThousand(int bad, int all) => all == 0 ? 0 : Math.Round(bad * 1000.0 / all, 2);

        var perCategory = await orderLinks.Join(db.Defects, l => l.DefectId, d => d.Id, (l, d) => new { l.RefId, d.Category })
            .Where(x => orders.Any(o => o.Id == x.RefId))
            .GroupBy(x => x.Category)
            .Select(g => new { g.Key, Orders = g.Select(x => x.RefId).Distinct().Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Orders, ct);
        var byCategory = Enum.GetValues<DefectCategory>()
            .Select(c => new RateLine(c.ToKey(), total, perCategory.GetValueOrDefault(c), PerThousand(perCategory.GetValueOrDefault(c), total)))
            .ToList();

        var lines = db.OrderLines.AsNoTracking();
        var badSkus = await lines.Where(l => defective.Any(o => o.Id == l.OrderId))
            .GroupBy(l => l.Sku).Select(g => new { g.Key, Orders = g.Select(l => l.OrderId).Distinct().Count() }).ToDictionaryAsync(g => g.Key, g => g.Orders, ct);
        var skuKeys = badSkus.Keys.ToList();
        var bySku = (await lines.Where(l => skuKeys.Contains(l.Sku) && orders.Any(o => o.Id == l.OrderId))
                .GroupBy(l => l.Sku).Select(g => new { g.Key, Orders = g.Select(l => l.OrderId).Distinct().Count() }).ToListAsync(ct))
            .Select(g => new RateLine(g.Key, g.Orders, badSkus[g.Key], PerThousand(badSkus[g.Key], g.Orders))).OrderByDescending(l => l.PerThousand).ToList();
        var badSuppliers = await lines.Where(l => l.Supplier != null && defective.Any(o => o.Id == l.OrderId))
            .GroupBy(l => l.Supplier!).Select(g => new { g.Key, Orders = g.Select(l => l.OrderId).Distinct().Count() }).ToDictionaryAsync(g => g.Key, g => g.Orders, ct);
        var bySupplier = (await lines.Where(l => l.Supplier != null && orders.Any(o => o.Id == l.OrderId))
                .GroupBy(l => l.Supplier!).Select(g => new { g.Key, Orders = g.Select(l => l.OrderId).Distinct().Count() }).ToListAsync(ct))
            .Select(g => new RateLine(g.Key, g.Orders, badSuppliers.GetValueOrDefault(g.Key), PerThousand(badSuppliers.GetValueOrDefault(g.Key), g.Orders)))
            .OrderByDescending(l => l.PerThousand).ToList();
        var badWarehouses = await defective.Where(o => o.Warehouse != null).GroupBy(o => o.Warehouse!).Select(g => new { g.Key, Orders = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Orders, ct);
        var byWarehouse = (await orders.Where(o => o.Warehouse != null).GroupBy(o => o.Warehouse!).Select(g => new { g.Key, Orders = g.Count() }).ToListAsync(ct))
            .Select(g => new RateLine(g.Key, g.Orders, badWarehouses.GetValueOrDefault(g.Key), PerThousand(badWarehouses.GetValueOrDefault(g.Key), g.Orders)))
            .OrderByDescending(l => l.PerThousand).ToList();

        var late = LinkedTo([DefectCategory.LateDispatch]);
        var incomplete = LinkedTo(s_incomplete);
        var damaged = LinkedTo(s_damaged);
        var incorrect = LinkedTo(s_incorrect);
        var onTime = orders.Where(o => !late.Contains((long?)o.Id)
            && (o.PromisedBy == null || (o.DeliveredAt ?? o.ShippedAt) == null || (o.DeliveredAt ?? o.ShippedAt) <= o.PromisedBy));
        var perfect = await onTime.CountAsync(o => !incomplete.Contains((long?)o.Id) && !damaged.Contains((long?)o.Id) && !incorrect.Contains((long?)o.Id), ct);
        var perfectOrders = new PerfectOrders(total, await onTime.CountAsync(ct), await orders.CountAsync(o => !incomplete.Contains((long?)o.Id), ct),
            await orders.CountAsync(o => !damaged.Contains((long?)o.Id), ct), await orders.CountAsync(o => !incorrect.Contains((long?)o.Id), ct), perfect,
            total == 0 ? 1 : Math.Round(perfect / (double)total, 4));

        var defects = await db.Defects.AsNoTracking().Where(d => d.OpenedAt >= start && d.OpenedAt < end)
            .Select(d => new { d.Id, d.OpenedAt, d.FirstComplaintAt, d.VerifiedAt, d.VerifyingSince, d.ReopenCount }).ToListAsync(ct);
        var ids = defects.Select(d => d.Id).ToHashSet();
        var ledger = await recovery.LedgerAsync(ct);
        var cost = ledger.ByDefect.Where(l => ids.Contains(l.DefectId!.Value)).Sum(l => l.Total);
        var watched = defects.Where(d => d.VerifyingSince != null || d.ReopenCount > 0).ToList();
        var recurred = watched.Count(d => d.ReopenCount > 0);
        var toOpen = defects.Where(d => d.FirstComplaintAt != null).Select(d => (d.OpenedAt - d.FirstComplaintAt!.Value).TotalHours).ToList();
        var toVerified = defects.Where(d => d.FirstComplaintAt != null && d.VerifiedAt != null).Select(d => (d.VerifiedAt!.Value - d.FirstComplaintAt!.Value).TotalHours).ToList();
        return new Measures(start, end, total, defectiveCount, PerThousand(defectiveCount, total),
            byCategory, bySku, bySupplier, byWarehouse, perfectOrders, cost,
            watched.Count, recurred, watched.Count == 0 ? 0 : Math.Round(recurred / (double)watched.Count, 4),
            toOpen.Count == 0 ? null : Math.Round(toOpen.Average(), 2),
            toVerified.Count == 0 ? null : Math.Round(toVerified.Average(), 2));
    }
}
