using System.Net;
using System.Net.Http.Json;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Workspace;

/// <summary>Customers writing in through the real intake API.</summary>
public static class Customers
{
    public static async Task<long> WriteAsync(TestApp app, string externalId, string name, string text, string channel = "email", string? orderNumber = null)
    {
        using var api = app.CreateApiClient();
        var handle = name.ToLowerInvariant().Replace(' ', '.');
        var response = await api.PostAsJsonAsync("/api/v1/messages", new
        {
            channel,
            externalId,
            customer = channel == "email" ? (object)new { name, email = $"{handle}@example.com" } : new { name, handle = "@" + handle },
            text,
            orderNumber,
        }, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var body = await response.Content.ReadFromJsonAsync<Created>(TestContext.Current.CancellationToken);
        return body!.ConversationId;
    }

    private sealed record Created(long ConversationId, long MessageId);
}
