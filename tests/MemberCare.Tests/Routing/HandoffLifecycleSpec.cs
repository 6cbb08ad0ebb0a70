using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Domain.Routing;
using MemberCare.Tests.Support;
using MemberCare.Tests.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Routing;

/// <summary>The hand-off lifecycle over HTTP, on SQLite here and on PostgreSQL in <see cref="HandoffPostgresTests"/>.</summary>
public sealed class HandoffLifecycleSpec
{
    [Fact]
    public async Task A_hand_off_waits_on_the_department_and_writes_its_event_to_the_outbox_in_the_same_save()
    {
        await using var app = TestApp.Sqlite();
        await Lifecycle.RequestAnnouncesAsync(app);
    }

    [Fact]
    public async Task Acknowledging_and_answering_brings_the_conversation_back_with_a_suggested_reply()
    {
        await using var app = TestApp.Sqlite();
        await Lifecycle.AnswerClosesTheLoopAsync(app);
    }

    [Fact]
    public async Task Acknowledging_a_hand_off_twice_returns_409()
    {
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "20001");
        var handoff = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var id = handoff.GetProperty("id").GetString();

        using var first = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{id}/acknowledge");
        using var second = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{id}/acknowledge");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task The_conversation_waits_until_the_last_of_several_hand_offs_is_closed()
    {
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "20002");
        var toWarehouse = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var toReturns = await HandoffScenario.HandOffAsync(api, conversation, "returns", "Please send a free return label.");
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var returns = await HandoffScenario.DepartmentClientAsync(app, api, "returns");

        using var answered = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{toWarehouse.GetProperty("id").GetString()}/answer", new { text = "We picked L by mistake; an M goes out today." });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("waiting_on_department", await HandoffScenario.StatusOfAsync(api, conversation));
        var midway = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/handoffs", TestContext.Current.CancellationToken);
        Assert.True(midway.GetProperty("waitingOnDepartment").GetBoolean());
        Assert.Equal(JsonValueKind.Null, midway.GetProperty("suggestedReply").ValueKind);

        using var rejected = await HandoffScenario.PostAsync(returns, $"/api/v1/department/handoffs/{toReturns.GetProperty("id").GetString()}/reject", new { text = "An exchange needs no return label." });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("open", await HandoffScenario.StatusOfAsync(api, conversation));
    }

    [Fact]
    public async Task Answering_without_text_is_refused_naming_the_field_and_changes_nothing()
    {
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "20003");
        var handoff = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");

        using var response = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{handoff.GetProperty("id").GetString()}/answer", new { text = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text", (await Problem.ReadAsync(response)).Errors.Keys);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(HandoffStatus.Requested, (await db.Handoffs.SingleAsync(TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Handing_off_to_a_department_that_does_not_exist_returns_400_naming_the_department()
    {
        await using var app = TestApp.Sqlite();
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "20004");

        using var response = await HandoffScenario.PostAsync(api, $"/api/v1/conversations/{conversation}/handoffs", new { department = "astrology" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("department", (await Problem.ReadAsync(response)).Errors.Keys);
    }
}

/// <summary>Scenarios run on both providers.</summary>
internal static class Lifecycle
{
    public static async Task RequestAnnouncesAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "10234");
        var target = await HandoffScenario.ConnectWebhookAsync(app, api, "warehouse");

        var handoff = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");

        Assert.Equal("requested", handoff.GetProperty("status").GetString());
        Assert.Equal("waiting_on_department", await HandoffScenario.StatusOfAsync(api, conversation));
        await using var db = await app.OpenDbAsync();
        var outbox = await db.Outbox.SingleAsync(m => m.TargetId == target, ct);
        Assert.Equal(target, outbox.TargetId);
        Assert.Equal("handoff.requested", outbox.EventType);
        using var body = JsonDocument.Parse(outbox.Body);
        var sent = body.RootElement.GetProperty("handoff");
        Assert.Equal(handoff.GetProperty("id").GetString(), sent.GetProperty("id").GetString());
        Assert.Equal(conversation, sent.GetProperty("conversationId").GetInt64());
        Assert.Equal(HandoffScenario.WrongSize, sent.GetProperty("customerWords").GetString());
        Assert.Equal("DRS-1001-M", sent.GetProperty("sku").GetString());
        Assert.Equal("M", sent.GetProperty("size").GetString());
        Assert.Equal("Sand", sent.GetProperty("colour").GetString());
        Assert.Equal("Linen dress", sent.GetProperty("orderLines")[0].GetProperty("product").GetString());
        // What a department tool needs, and no more: no name, e-mail or phone of the customer.
        Assert.DoesNotContain("@example.com", outbox.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Nora", outbox.Body, StringComparison.Ordinal);
    }

    public static async Task AnswerClosesTheLoopAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var api = await HandoffScenario.ApiWithoutRulesAsync(app);
        var agentId = await StaffSession.CreateAsync(app, Api.Unique("ada"), "agent");
        var conversation = await HandoffScenario.ConversationWithOrderAsync(app, api, "10235");
        await using (var db = await app.OpenDbAsync())
        {
            (await db.Conversations.SingleAsync(c => c.Id == conversation, ct)).AssignTo(agentId, DateTimeOffset.UnixEpoch);
            await db.SaveChangesAsync(ct);
        }
        var handoff = await HandoffScenario.HandOffAsync(api, conversation, "warehouse");
        var warehouse = await HandoffScenario.DepartmentClientAsync(app, api, "warehouse");
        var id = handoff.GetProperty("id").GetString();

        var queue = await warehouse.GetFromJsonAsync<JsonElement>("/api/v1/department/handoffs", ct);
        Assert.Contains(queue.EnumerateArray(), h => h.GetProperty("id").GetString() == id);
        using var acknowledged = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{id}/acknowledge");
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        using var answered = await HandoffScenario.PostAsync(warehouse, $"/api/v1/department/handoffs/{id}/answer",
            new { text = "We picked an L by mistake. A dress in M is on its way today.", by = "Per in the warehouse" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        Assert.Equal("open", await HandoffScenario.StatusOfAsync(api, conversation));
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}", ct);
        Assert.Contains(detail.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString()!.Contains("A dress in M is on its way today.", StringComparison.Ordinal));
        var handoffs = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/handoffs", ct);
        Assert.False(handoffs.GetProperty("waitingOnDepartment").GetBoolean());
        var reply = handoffs.GetProperty("suggestedReply").GetString()!;
        Assert.StartsWith("Hei Nora,", reply, StringComparison.Ordinal);
        Assert.Contains("A dress in M is on its way today.", reply, StringComparison.Ordinal);
        await using var check = await app.OpenDbAsync();
        var notification = await check.StaffNotifications.SingleAsync(n => n.UserId == agentId, ct);
        Assert.Equal(conversation, notification.ConversationId);
        Assert.StartsWith("Back to you", notification.Text, StringComparison.Ordinal);
    }
}
