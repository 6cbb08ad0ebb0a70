using MemberCare.Features.Departments;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Routing;

/// <summary>The lifecycle and the SLA sweep's claim on a real PostgreSQL database.</summary>
public sealed class HandoffPostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_hand_off_is_announced_in_the_outbox_on_PostgreSQL()
    {
        await using var app = await database.CreateAppAsync();
        await Lifecycle.RequestAnnouncesAsync(app);
    }

    [Fact]
    public async Task The_answer_closes_the_loop_on_PostgreSQL()
    {
        await using var app = await database.CreateAppAsync();
        await Lifecycle.AnswerClosesTheLoopAsync(app);
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_remind_about_each_hand_off_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var quiet = new Dictionary<string, string?> { ["Routing:SweepInterval"] = "01:00:00" };
        await using var first = await database.CreateAppAsync(quiet, time);
        var api = await HandoffScenario.ApiWithoutRulesAsync(first);
        await HandoffScenario.ConnectWebhookAsync(first, api, "logistics");
        var conversations = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var conversation = await HandoffScenario.ConversationWithOrderAsync(first, api, $"3{i:0000}");
            await HandoffScenario.HandOffAsync(api, conversation, "logistics");
            conversations.Add(conversation);
        }
        await using var second = TestApp.Postgres(await database.ConnectionStringAsync(), quiet, time);
        second.CreateClient();

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(45));
        await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<HandoffSweep>().SweepAsync(ct), ct),
            Task.Run(() => second.Services.GetRequiredService<HandoffSweep>().SweepAsync(ct), ct));

        // Moving the clock also fires each node's own sweep, so up to four sweeps race; one that claimed the rows makes
        // the others skip them and may commit a moment after the two above return. Wait for the claims to settle.
        await using var db = await first.OpenDbAsync();
        for (var waited = 0; waited < 100 && await db.Handoffs.CountAsync(h => h.RemindedAt != null && conversations.Contains(h.ConversationId), ct) < 5; waited++)
        {
            await Task.Delay(100, ct);
        }
        var reminders = await db.Outbox.Where(m => m.EventType == "handoff.reminder").Select(m => m.Body).ToListAsync(ct);
        var state = await db.Handoffs.Where(h => conversations.Contains(h.ConversationId))
            .Select(h => new { h.Id, h.Status, h.DepartmentKey, h.AcknowledgeDueAt, h.RemindedAt, h.EscalatedAt }).ToListAsync(ct);
        Assert.True(reminders.Count == 5, $"{reminders.Count} reminders at {time.GetUtcNow():O}; hand-offs: {string.Join("; ", state)}");
        Assert.Equal(5, await db.Handoffs.CountAsync(h => h.RemindedAt != null && conversations.Contains(h.ConversationId), ct));
    }
}
