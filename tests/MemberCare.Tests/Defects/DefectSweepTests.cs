using System.Net;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;
using MemberCare.Features.Defects;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Defects;

public sealed class DefectSweepTests
{
    private static readonly DateTimeOffset s_monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_complaint_with_the_same_signature_during_the_watch_reopens_the_defect_and_tells_its_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(s_monday);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        var id = await VerifyingDefectAsync(app, clock, owner: "owner-7");
        var sweep = clock.Sweep;

        var other = await DefectData.CustomerAsync(app, "Per Olsen", CustomerTier.Standard, time.GetUtcNow());
        time.Advance(TimeSpan.FromDays(1));
        await DefectData.ComplaintAsync(app, other, "Wrong colour this time", "wrong_or_missing_item", "OTHER-1", time.GetUtcNow());
        Assert.Empty(await sweep.WatchRecurrencesAsync(ct));

        time.Advance(TimeSpan.FromDays(2));
        var (_, messageId) = await DefectData.ComplaintAsync(app, other, "Size L again instead of M", "wrong_or_missing_item", "DRS-114", time.GetUtcNow());
        Assert.Equal([id], await sweep.WatchRecurrencesAsync(ct));

        await using var db = await app.OpenDbAsync();
        var defect = await db.Defects.SingleAsync(d => d.Id == id, ct);
        Assert.Equal(DefectStatus.Reopened, defect.Status);
        Assert.Equal(messageId, defect.RecurrenceMessageId);
        var notice = await db.StaffNotifications.SingleAsync(n => n.DefectId == id, ct);
        Assert.Equal("owner-7", notice.UserId);
        Assert.Empty(await sweep.WatchRecurrencesAsync(ct));
    }

    [Fact]
    public async Task A_defect_handed_to_a_department_tells_the_department_lead_when_it_comes_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(s_monday);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        await using (var setup = await app.OpenDbAsync())
        {
            var quality = new Department("quality_desk", "Quality desk");
            quality.AppointLead("lead-3");
            setup.Departments.Add(quality);
            await setup.SaveChangesAsync(ct);
        }
        var id = await VerifyingDefectAsync(app, clock, owner: "owner-7");
        using var api = app.CreateApiClient();

        using var both = await api.PutAsync($"/api/v1/defects/{id}/owner", Api.JsonBody("""{"ownerUserId":"owner-7","ownerDepartment":"quality_desk"}"""), ct);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("ownerDepartment", (await Problem.ReadAsync(both)).Errors.Keys);
        using var unknown = await api.PutAsync($"/api/v1/defects/{id}/owner", Api.JsonBody("""{"ownerDepartment":"nobody_here"}"""), ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var handed = await api.PutAsync($"/api/v1/defects/{id}/owner", Api.JsonBody("""{"ownerDepartment":"quality_desk"}"""), ct);
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        var detail = await Api.ReadAsync<DefectDetail>(handed);
        Assert.Null(detail.OwnerId);
        Assert.Equal("quality_desk", detail.OwnerDepartment);
        Assert.Equal("Quality desk", (await clock.Log.ListAsync(null, null, ct)).Single(d => d.Id == id).OwnerName);

        var other = await DefectData.CustomerAsync(app, "Per Olsen", CustomerTier.Standard, time.GetUtcNow());
        time.Advance(TimeSpan.FromDays(2));
        await DefectData.ComplaintAsync(app, other, "Size L again instead of M", "wrong_or_missing_item", "DRS-114", time.GetUtcNow());
        Assert.Equal([id], await clock.Sweep.WatchRecurrencesAsync(ct));

        await using var db = await app.OpenDbAsync();
        var notice = await db.StaffNotifications.SingleAsync(n => n.DefectId == id, ct);
        Assert.Equal("lead-3", notice.UserId);
    }

    [Fact]
    public async Task A_watch_that_ends_quietly_verifies_the_fix_and_a_later_complaint_reopens_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(s_monday);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        var id = await VerifyingDefectAsync(app, clock, owner: "owner-7");
        var sweep = clock.Sweep;

        time.Advance(TimeSpan.FromDays(15));
        Assert.Equal(1, await sweep.ConfirmVerifiedAsync(ct));
        var other = await DefectData.CustomerAsync(app, "Per Olsen", CustomerTier.Standard, time.GetUtcNow());
        await DefectData.ComplaintAsync(app, other, "Size L again", "wrong_or_missing_item", "DRS-114", time.GetUtcNow());
        Assert.Empty(await sweep.WatchRecurrencesAsync(ct));

        await using var db = await app.OpenDbAsync();
        var defect = await db.Defects.SingleAsync(d => d.Id == id, ct);
        Assert.Equal(DefectStatus.Verifying, defect.Status);
        Assert.NotNull(defect.VerifiedAt);
    }

    [Fact]
    public async Task An_action_due_soon_is_reminded_once_however_many_sweeps_run_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(s_monday);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var clock = new DefectClock(app, time);
        var log = clock.Log;
        await DefectData.StaffAsync(app, "owner-3", "Olga Owner");
        var (defect, _) = await log.OpenAsync("Late parcels from Bergen", DefectCategory.LateDispatch, DefectSeverity.Medium, "where_is_my_order|warehouse:bergen",
            "lead", null, new LinkRequest(null, null, null, null, null), ct);
        await log.AddActionAsync(defect.Id, ActionKind.Corrective, "Second pick wave on Mondays", "owner-3", null, s_monday.AddDays(3), ct);
        var sweep = clock.Sweep;

        Assert.Equal(0, await sweep.RemindAsync(ct));
        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(1));
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => sweep.RemindAsync(ct), ct)));
        Assert.Equal(1, counts.Sum());
        time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(0, await sweep.RemindAsync(ct));
        time.Advance(TimeSpan.FromHours(13));
        Assert.Equal(1, await sweep.RemindAsync(ct));

        await using var db = await app.OpenDbAsync();
        var notices = await db.StaffNotifications.Where(n => n.DefectId == defect.Id).ToListAsync(ct);
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal("owner-3", n.UserId));
        Assert.Contains(notices, n => n.Text.Contains("is overdue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_briefing_email_is_enqueued_once_a_day_after_its_hour()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 5, 30, 0, TimeSpan.Zero));
        await using var probe = TestApp.Sqlite(DefectData.Quiet);
        var targetId = await DefectData.EmailTargetAsync(probe);
        var briefing = new DefectClock(probe, time, new DefectOptions { BriefingHour = 7, BriefingTargetId = targetId, TimeZone = "UTC" }).Briefing;

        Assert.False(await briefing.MailIfDueAsync(ct));
        time.Advance(TimeSpan.FromHours(2));
        var sent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => briefing.MailIfDueAsync(ct), ct)));
        Assert.Equal(1, sent.Count(s => s));
        Assert.False(await briefing.MailIfDueAsync(ct));
        time.Advance(TimeSpan.FromDays(1));
        Assert.True(await briefing.MailIfDueAsync(ct));

        await using var check = await probe.OpenDbAsync();
        var mails = await check.Outbox.OrderBy(m => m.Id).ToListAsync(ct);
        Assert.Equal(2, mails.Count);
        Assert.Equal("Daily briefing for 2026-03-01", mails[0].Subject);
        Assert.Equal("briefing.daily", mails[0].EventType);
        Assert.Equal(2, await check.BriefingMailings.CountAsync(ct));
    }

    /// <summary>
    /// On 1 March (UTC): A is answered in 30 minutes, B never (its 8-hour first response falls due that day); hand-off 1
    /// is acknowledged an hour late and completed in time, hand-off 2 acknowledged in time and never completed, hand-off 3
    /// is due the next day. A conversation of the day before counts nowhere.
    /// </summary>
    [Fact]
    public async Task The_briefing_counts_the_days_volumes_and_the_SLA_misses_of_conversations_and_hand_offs()
    {
        var ct = TestContext.Current.CancellationToken;
        var day = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await using var app = TestApp.Sqlite(DefectData.Quiet);
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, day.AddDays(-10));
        await DefectData.ComplaintAsync(app, customer, "Where is my parcel?", "where_is_my_order", null, day.AddDays(-1).AddHours(20), answeredAfter: TimeSpan.FromHours(1));
        var (a, _) = await DefectData.ComplaintAsync(app, customer, "Wrong size", "wrong_or_missing_item", "DRS-114", day.AddHours(2), answeredAfter: TimeSpan.FromMinutes(30));
        await DefectData.ComplaintAsync(app, customer, "Still wrong", "wrong_or_missing_item", "DRS-114", day.AddHours(3));
        await using (var db = await app.OpenDbAsync())
        {
            var details = new HandoffDetails("wrong_or_missing_item", "Check the bin", "Wrong size", null, "DRS-114", "M", null);
            var late = Handoff.Open(a, "warehouse", details, "agent", null, null, day.AddHours(3), day.AddHours(12), day.AddHours(20));
            late.Acknowledge("ware", day.AddHours(13));
            late.Complete("ware", "Relabelled", day.AddHours(19));
            var open = Handoff.Open(a, "warehouse", details, "agent", null, null, day.AddHours(3), day.AddHours(9), day.AddHours(18));
            open.Acknowledge("ware", day.AddHours(8));
            db.Handoffs.AddRange(late, open, Handoff.Open(a, "warehouse", details, "agent", null, null, day.AddHours(23), day.AddDays(1).AddHours(2), day.AddDays(2)));
            await db.SaveChangesAsync(ct);
        }
        var clock = new DefectClock(app, new FakeTimeProvider(day.AddDays(1).AddHours(8)), new DefectOptions { TimeZone = "UTC" });

        var briefing = await clock.Briefing.BuildAsync(clock.Briefing.Yesterday(), ct);

        Assert.Equal(new DateOnly(2026, 3, 1), briefing.Day);
        Assert.Equal(new BriefingVolumes(2, 2, 1, 1, 0, 1, 1), briefing.Volumes);
    }

    private static async Task<long> VerifyingDefectAsync(TestApp app, DefectClock clock, string owner)
    {
        var time = clock.Time;
        var ct = TestContext.Current.CancellationToken;
        await DefectData.StaffAsync(app, owner, "Owen Owner");
        var customer = await DefectData.CustomerAsync(app, "Kari Nordmann", CustomerTier.Gold, time.GetUtcNow());
        var (conversation, _) = await DefectData.ComplaintAsync(app, customer, "I got size L, not M", "wrong_or_missing_item", "DRS-114", time.GetUtcNow());
        var log = clock.Log;
        var (defect, _) = await log.OpenAsync("Wrong sizes", DefectCategory.PickOrPackError, DefectSeverity.High, "wrong_or_missing_item|sku:DRS-114",
            "lead", owner, new LinkRequest([conversation], null, null, null, null), ct);
        var (_, withAction) = await log.AddActionAsync(defect.Id, ActionKind.Corrective, "Relabel", owner, null, time.GetUtcNow().AddDays(1), ct);
        var (outcome, verifying) = await log.CompleteActionAsync(defect.Id, withAction!.Actions[0].Id, "Photo", ct);
        Assert.Equal(DefectOutcome.Done, outcome);
        Assert.Equal("verifying", verifying!.Status);
        return defect.Id;
    }
}
