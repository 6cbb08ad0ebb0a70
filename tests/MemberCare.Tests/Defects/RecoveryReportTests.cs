using MemberCare.Domain.Customers;
using MemberCare.Domain.Defects;
using MemberCare.Features.Defects;
using MemberCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Defects;

public sealed class RecoveryReportTests
{
    private static readonly DateTimeOffset s_hit = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Two Gold customers with one earlier order each are hit: the refunded one (answered in 30 minutes) orders again on
    /// day 30, the one given a voucher (answered after 5 hours) does not. Of four unaffected Gold customers with one
    /// earlier order, one orders within 90 days and one on day 100; the Standard customer who orders is not comparable.
    /// </summary>
    [Fact]
    public async Task Recovered_customers_are_compared_with_unaffected_customers_of_the_same_tier_and_history()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(s_hit.AddDays(-60));
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        var refunded = await GoldWithOneOrderAsync(app, "Anna Refund");
        var vouchered = await GoldWithOneOrderAsync(app, "Berit Voucher");
        var peers = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            peers.Add(await GoldWithOneOrderAsync(app, $"Peer {i}"));
        }
        var standard = await DefectData.CustomerAsync(app, "Stian Standard", CustomerTier.Standard, s_hit.AddDays(-60));
        await DefectData.OrderAsync(app, standard, s_hit.AddDays(-50));
        await DefectData.OrderAsync(app, standard, s_hit.AddDays(5));

        time.SetUtcNow(s_hit);
        var (c1, _) = await DefectData.ComplaintAsync(app, refunded, "Wrong size", "wrong_or_missing_item", "DRS-114", s_hit.AddHours(-2), answeredAfter: TimeSpan.FromMinutes(30));
        var (c2, _) = await DefectData.ComplaintAsync(app, vouchered, "Wrong size", "wrong_or_missing_item", "DRS-114", s_hit.AddHours(-2), answeredAfter: TimeSpan.FromHours(5));
        var log = clock.Log;
        var (defect, _) = await log.OpenAsync("Wrong sizes", DefectCategory.PickOrPackError, DefectSeverity.High, null, "lead", null,
            new LinkRequest([c1, c2], null, null, null, null), ct);
        await log.PlanRecoveryAsync(defect.Id, refunded, Remedy.Refund, 899, ct);
        await log.PlanRecoveryAsync(defect.Id, vouchered, Remedy.Voucher, 200, ct);
        await log.CompleteRecoveryAsync(defect.Id, refunded, 10, ct);
        await log.CompleteRecoveryAsync(defect.Id, vouchered, 20, ct);

        await DefectData.OrderAsync(app, refunded, s_hit.AddDays(30));
        await DefectData.OrderAsync(app, peers[0], s_hit.AddDays(10));
        await DefectData.OrderAsync(app, peers[1], s_hit.AddDays(100));
        time.SetUtcNow(s_hit.AddDays(120));

        var report = await clock.Recovery.ComebackAsync(ct);

        Assert.Equal(new ComebackGroup("all", 2, 1, 0.5, 2, 0.25, 0.25), report.All);
        Assert.Equal(
            [new ComebackGroup("refund", 1, 1, 1, 1, 0.25, 0.75), new ComebackGroup("voucher", 1, 0, 0, 1, 0.25, -0.25)],
            report.ByRemedy);
        Assert.Equal(
            [new ComebackGroup("within_1_hour", 1, 1, 1, 1, 0.25, 0.75), new ComebackGroup("within_24_hours", 1, 0, 0, 1, 0.25, -0.25)],
            report.ByResponseSpeed);

        var ledger = await clock.Recovery.LedgerAsync(ct);
        Assert.Equal(899m, ledger.Total.Refunds);
        Assert.Equal(200m, ledger.Total.Vouchers);
        Assert.Equal(30, ledger.Total.HandlingMinutes);
        Assert.Equal(899m + 200m + (30 * 6m), ledger.Total.Total);
    }

    [Fact]
    public async Task Buyers_of_the_affected_sku_who_never_complained_are_listed_for_outreach()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var now = TimeProvider.System.GetUtcNow();
        var complained = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, now);
        var silent = await DefectData.CustomerAsync(app, "Siri Stille", CustomerTier.Gold, now);
        var unrelated = await DefectData.CustomerAsync(app, "Ulf Annet", CustomerTier.Gold, now);
        await DefectData.OrderAsync(app, complained, now.AddDays(-3));
        var (_, silentOrder) = await DefectData.OrderAsync(app, silent, now.AddDays(-2));
        await DefectData.OrderAsync(app, unrelated, now.AddDays(-2), sku: "TOP-9");
        var log = app.Services.GetRequiredService<DefectLog>();
        var (defect, _) = await log.OpenAsync("Seams split", DefectCategory.ProductFault, DefectSeverity.High, "product_quality|sku:DRS-114", "lead", null,
            new LinkRequest(null, null, ["DRS-114"], [complained], null), ct);

        var outreach = await app.Services.GetRequiredService<RecoveryReport>().OutreachAsync(defect.Id, ct);

        var candidate = Assert.Single(outreach!);
        Assert.Equal(silent, candidate.CustomerId);
        Assert.Equal(silentOrder, candidate.OrderNumber);
    }

    [Fact]
    public async Task Measures_count_defective_orders_per_thousand_and_the_perfect_order_rate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var now = TimeProvider.System.GetUtcNow();
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, now.AddDays(-20));
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await DefectData.OrderAsync(app, customer, now.AddDays(-10 + i), deliveredAt: now.AddDays(-8 + i), promisedBy: now.AddDays(-7 + i))).Number);
        }
        var late = (await DefectData.OrderAsync(app, customer, now.AddDays(-10), sku: "TOP-9", warehouse: "Bergen", deliveredAt: now.AddDays(-2), promisedBy: now.AddDays(-6))).Number;
        var log = app.Services.GetRequiredService<DefectLog>();
        await log.OpenAsync("Wrong item", DefectCategory.PickOrPackError, DefectSeverity.High, null, "lead", null,
            new LinkRequest(null, [numbers[0]], null, null, null), ct);

        var m = await app.Services.GetRequiredService<DefectMeasures>().ComputeAsync(now.AddDays(-30), now, ct);

        Assert.Equal(4, m.Orders);
        Assert.Equal(250, m.DefectsPerThousandOrders);
        Assert.Equal(250, m.ByCategory.Single(c => c.Key == "pick_or_pack_error").PerThousand);
        Assert.Equal(new RateLine("DRS-114", 3, 1, 333.33), m.BySku.Single());
        Assert.Equal(new PerfectOrders(4, 3, 3, 4, 3, 2, 0.5), m.PerfectOrders);
        Assert.Equal(0, m.HoursToOpen ?? 0);
        Assert.NotNull(late);
    }

    /// <summary>
    /// Four orders: Oslo and Linwear (DRS-114) twice, Bergen and Kaia (TOP-9) twice. Defect A (pick or pack) touches one
    /// Bergen order, opened 5 hours after its complaint; its watch ends quietly 14 days after opening. Defect B touches one
    /// Oslo order, opened 3 hours after its complaint, and comes back during its watch.
    /// </summary>
    [Fact]
    public async Task Measures_break_the_rate_down_by_supplier_and_warehouse_and_count_recurrence_and_time_to_open_and_verify()
    {
        var ct = TestContext.Current.CancellationToken;
        var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(t0);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        await DefectData.StaffAsync(app, "owner-9", "Owen Owner");
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, t0.AddDays(-30));
        var oslo1 = (await DefectData.OrderAsync(app, customer, t0.AddDays(-10), warehouse: "Oslo", deliveredAt: t0.AddDays(-8))).Number;
        await DefectData.OrderAsync(app, customer, t0.AddDays(-10), warehouse: "Oslo", deliveredAt: t0.AddDays(-8));
        var bergen1 = (await DefectData.OrderAsync(app, customer, t0.AddDays(-10), sku: "TOP-9", supplier: "Kaia", warehouse: "Bergen", deliveredAt: t0.AddDays(-8))).Number;
        await DefectData.OrderAsync(app, customer, t0.AddDays(-10), sku: "TOP-9", supplier: "Kaia", warehouse: "Bergen", deliveredAt: t0.AddDays(-8));
        var (complaintA, _) = await DefectData.ComplaintAsync(app, customer, "Wrong top", "wrong_or_missing_item", "TOP-9", t0.AddHours(-5));
        var (complaintB, _) = await DefectData.ComplaintAsync(app, customer, "Seams split", "product_quality", "DRS-114", t0.AddHours(-3));
        var log = clock.Log;
        var (a, _) = await log.OpenAsync("Wrong tops", DefectCategory.PickOrPackError, DefectSeverity.High, "wrong_or_missing_item|sku:top-9", "lead", "owner-9",
            new LinkRequest([complaintA], [bergen1], null, null, null), ct);
        var (b, _) = await log.OpenAsync("Split seams", DefectCategory.ProductFault, DefectSeverity.High, "product_quality|sku:drs-114", "lead", "owner-9",
            new LinkRequest([complaintB], [oslo1], null, null, null), ct);
        foreach (var id in new[] { a.Id, b.Id })
        {
            var (_, withAction) = await log.AddActionAsync(id, ActionKind.Corrective, "Fix it", "owner-9", null, t0.AddDays(1), ct);
            await log.CompleteActionAsync(id, withAction!.Actions[0].Id, "Done", ct);
        }
        var other = await DefectData.CustomerAsync(app, "Per Olsen", CustomerTier.Standard, t0);
        time.Advance(TimeSpan.FromDays(2));
        await DefectData.ComplaintAsync(app, other, "Seams split again", "product_quality", "DRS-114", time.GetUtcNow());
        Assert.Equal([b.Id], await clock.Sweep.WatchRecurrencesAsync(ct));
        time.Advance(TimeSpan.FromDays(14));
        Assert.Equal(1, await clock.Sweep.ConfirmVerifiedAsync(ct));

        var m = await clock.Measures.ComputeAsync(t0.AddDays(-30), t0.AddDays(1), ct);

        Assert.Equal(4, m.Orders);
        Assert.Equal(2, m.DefectiveOrders);
        Assert.Equal(500, m.DefectsPerThousandOrders);
        Assert.Equal([new RateLine("Bergen", 2, 1, 500), new RateLine("Oslo", 2, 1, 500)], m.ByWarehouse.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal([new RateLine("Kaia", 2, 1, 500), new RateLine("Linwear", 2, 1, 500)], m.BySupplier.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(250, m.ByCategory.Single(c => c.Key == "product_fault").PerThousand);
        Assert.Equal(new PerfectOrders(4, 4, 3, 3, 3, 2, 0.5), m.PerfectOrders);
        Assert.Equal(2, m.DefectsWatched);
        Assert.Equal(1, m.DefectsRecurred);
        Assert.Equal(0.5, m.RecurrenceRate);
        Assert.Equal(4, m.HoursToOpen);
        Assert.Equal((14 * 24) + 5, m.HoursToVerified);
    }

    private static async Task<long> GoldWithOneOrderAsync(TestApp app, string name)
    {
        var id = await DefectData.CustomerAsync(app, name, CustomerTier.Gold, s_hit.AddDays(-60));
        await DefectData.OrderAsync(app, id, s_hit.AddDays(-40));
        return id;
    }
}
