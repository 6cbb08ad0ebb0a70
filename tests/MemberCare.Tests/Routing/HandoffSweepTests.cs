using System.Net.Http.Json;
using MemberCare.Features.Departments;
using MemberCare.Tests.Support;
using MemberCare.Tests.Workspace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Routing;

public sealed class HandoffSweepTests
{
    [Fact]
    public async Task The_sweep_reminds_once_before_the_deadline_and_escalates_to_the_lead_once_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        // Monday 23 November 2026, 09:00 in Oslo.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Routing:SweepInterval"] = "01:00:00" }, time);
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var lead = await StaffSession.CreateAsync(app, Api.Unique("lena"), "lead");
        using (var put = await api.PutAsJsonAsync("/api/v1/departments/warehouse", new { leadUserId = lead }, ct))
        {
            put.EnsureSuccessStatusCode();
        }
        await HandoffScenario.ConnectWebhookAsync(app, api, "warehouse");
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "50001");
        await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var sweep = app.Services.GetRequiredService<HandoffSweep>();

        // Due at 11:00 Oslo; 10:40 is inside the 30-minute reminder window.
        time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 40, 0, TimeSpan.Zero));
        await sweep.SweepAsync(ct);
        await sweep.SweepAsync(ct);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 10, 5, 0, TimeSpan.Zero));
        await sweep.SweepAsync(ct);
        await sweep.SweepAsync(ct);

        await using var db = await app.OpenDbAsync();
        var events = await db.Outbox.OrderBy(m => m.Id).Select(m => m.EventType).ToListAsync(ct);
        Assert.Equal(["handoff.requested", "handoff.reminder", "handoff.escalated"], events);
        var notice = await db.StaffNotifications.SingleAsync(n => n.UserId == lead, ct);
        Assert.Contains("Overdue acknowledgement", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attainment_counts_hand_offs_answered_in_time_and_those_that_breached()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Routing:SweepInterval"] = "01:00:00" }, time);
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var quick = await HandoffScenario.HandOffAsync(api, await HandoffScenario.ConversationWithOrderAsync(app, api, "50002"), "warehouse");
        await HandoffScenario.HandOffAsync(api, await HandoffScenario.ConversationWithOrderAsync(app, api, "50003"), "warehouse");
        using (var answered = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{quick.GetProperty("id").GetString()}/answer", new { text = "Fixed." }))
        {
            answered.EnsureSuccessStatusCode();
        }
        time.Advance(TimeSpan.FromDays(3));

        var attainment = await api.GetFromJsonAsync<List<SlaAttainment>>("/api/v1/departments/attainment?days=30", ct);

        var row = Assert.Single(attainment!, a => a.Department == "warehouse");
        Assert.Equal(2, row.Handoffs);
        Assert.Equal(1, row.Open);
        Assert.Equal(1, row.Breached);
        Assert.Equal(0.5, row.AcknowledgedOnTime);
        Assert.Equal(0.5, row.CompletedOnTime);
    }
}
