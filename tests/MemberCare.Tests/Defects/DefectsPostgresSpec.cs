using MemberCare.Domain.Defects;
using MemberCare.Features.Defects;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Defects;

/// <summary>The defect loop on a real PostgreSQL database, and two nodes sharing its reminders.</summary>
public sealed class DefectsPostgresSpec(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_mistake_goes_from_a_conversation_to_a_closed_defect_on_PostgreSQL()
    {
        await using var app = await database.CreateAppAsync(DefectData.Quiet);
        await DefectJourney.RunAsync(app);
        var outreach = await app.Services.GetRequiredService<RecoveryReport>().OutreachAsync(1, TestContext.Current.CancellationToken);
        Assert.NotNull(outreach);
        var measures = await app.Services.GetRequiredService<DefectMeasures>()
            .ComputeAsync(TimeProvider.System.GetUtcNow().AddDays(-30), TimeProvider.System.GetUtcNow().AddDays(1), TestContext.Current.CancellationToken);
        Assert.Equal(1, measures.DefectiveOrders);
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_remind_an_action_owner_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var first = await database.CreateAppAsync(DefectData.Quiet);
        await using var second = await database.CreateAppAsync(DefectData.Quiet);
        await DefectData.StaffAsync(first, "owner-3", "Olga Owner");
        var one = new DefectClock(first, time);
        var two = new DefectClock(second, time);
        var (defect, _) = await one.Log.OpenAsync("Late parcels", DefectCategory.LateDispatch, DefectSeverity.Medium, "where_is_my_order|warehouse:bergen",
            "lead", null, new LinkRequest(null, null, null, null, null), ct);
        for (var i = 0; i < 10; i++)
        {
            await one.Log.AddActionAsync(defect.Id, ActionKind.Corrective, $"Step {i}", "owner-3", null, time.GetUtcNow().AddHours(6), ct);
        }

        var counts = await Task.WhenAll(
            Task.Run(() => one.Sweep.RemindAsync(ct), ct),
            Task.Run(() => two.Sweep.RemindAsync(ct), ct),
            Task.Run(() => one.Sweep.RemindAsync(ct), ct),
            Task.Run(() => two.Sweep.RemindAsync(ct), ct));

        Assert.Equal(10, counts.Sum());
        await using var db = await first.OpenDbAsync();
        Assert.Equal(10, await db.StaffNotifications.CountAsync(n => n.DefectId == defect.Id, ct));
    }

    [Fact]
    public async Task Two_nodes_past_the_briefing_hour_enqueue_one_email_a_day()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 7, 30, 0, TimeSpan.Zero));
        await using var first = await database.CreateAppAsync(DefectData.Quiet);
        await using var second = await database.CreateAppAsync(DefectData.Quiet);
        var targetId = await DefectData.EmailTargetAsync(first);
        var settings = new DefectOptions { BriefingHour = 7, BriefingTargetId = targetId, TimeZone = "UTC" };
        var one = new DefectClock(first, time, settings).Briefing;
        var two = new DefectClock(second, time, settings).Briefing;

        var sent = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? one : two).MailIfDueAsync(ct), ct)));

        Assert.Equal(1, sent.Count(s => s));
        await using var check = await first.OpenDbAsync();
        var mail = await check.Outbox.SingleAsync(m => m.TargetId == targetId, ct);
        Assert.Equal("Daily briefing for 2026-03-01", mail.Subject);
        Assert.True(await check.BriefingMailings.AnyAsync(m => m.Day == new DateOnly(2026, 3, 2), ct));
    }
}
