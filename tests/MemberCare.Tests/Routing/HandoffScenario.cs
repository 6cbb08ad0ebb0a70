using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Orders;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Routing;

/// <summary>What the hand-off tests share: a customer who got the wrong size, an order, and departments' tokens.</summary>
public static class HandoffScenario
{
    public const string WrongSize = "Hei! Jeg bestilte kjolen i M, men fikk L. Ordre 10234.";

    /// <summary>
    /// An API client on a store without routing rules: the shipped models triage at intake, and the default rules
    /// would hand confident wrong-item messages to the warehouse before the test does.
    /// </summary>
    public static async Task<HttpClient> ApiWithoutRulesAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var api = app.CreateApiClient();
        var rules = await api.GetFromJsonAsync<JsonElement>("/api/v1/routing/rules", ct);
        foreach (var rule in rules.EnumerateArray())
        {
            using var deleted = await api.DeleteAsync($"/api/v1/routing/rules/{rule.GetProperty("id").GetInt64()}", ct);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        return api;
    }

    /// <summary>A conversation about order <paramref name="orderNumber"/> with one dress line; returns the conversation id.</summary>
    public static async Task<long> ConversationWithOrderAsync(TestApp app, HttpClient api, string orderNumber)
    {
        var ct = TestContext.Current.CancellationToken;
        var posted = await api.PostNewMessageAsync(Api.Message(Api.Unique("m"), WrongSize, channel: "email", email: Api.Unique("nora") + "@example.com", orderNumber: orderNumber));
        await using var db = await app.OpenDbAsync();
        var customerId = await db.Conversations.Where(c => c.Id == posted.ConversationId).Select(c => c.CustomerId).FirstAsync(ct);
        var order = Order.Place(orderNumber, customerId, "NOK", DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        order.AddLine("DRS-1001-M", "Linen dress", "M", "Sand", "Nordtex", 1, 899m);
        db.Orders.Add(order);
        await db.SaveChangesAsync(ct);
        return posted.ConversationId;
    }

    public static async Task<long> ConnectWebhookAsync(TestApp app, HttpClient api, string department)
    {
        var ct = TestContext.Current.CancellationToken;
        long targetId;
        await using (var db = await app.OpenDbAsync())
        {
            var target = new DeliveryTarget(department + " tool", DeliveryKind.Webhook, "https://tools.example.com/hooks/" + department, null);
            db.DeliveryTargets.Add(target);
            await db.SaveChangesAsync(ct);
            targetId = target.Id;
        }
        using var response = await api.PutAsJsonAsync($"/api/v1/departments/{department}", new { deliveryTargetId = targetId }, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return targetId;
    }

    public static async Task<HttpClient> DepartmentClientAsync(TestApp app, HttpClient api, string department)
    {
        using var response = await api.PostAsync($"/api/v1/departments/{department}/token", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.GetProperty("token").GetString());
        return client;
    }

    public static async Task<JsonElement> HandOffAsync(HttpClient api, long conversationId, string department, string request = "Customer got L instead of M; please check the pick.")
    {
        using var response = await api.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/handoffs",
            new { department, request, requestedBy = "Agent Ada" }, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, object? body = null) =>
        body is null
            ? client.PostAsync(url, null, TestContext.Current.CancellationToken)
            : client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    public static async Task<string> StatusOfAsync(HttpClient api, long conversationId)
    {
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationId}", TestContext.Current.CancellationToken);
        return detail.GetProperty("conversation").GetProperty("status").GetString()!;
    }
}
