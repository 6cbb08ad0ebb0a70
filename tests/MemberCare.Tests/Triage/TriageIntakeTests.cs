using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Features.Triage;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Triage;

public sealed class TriageIntakeTests
{
    private const string WrongItem = "I ordered the linen shirt in white size M (order #10234) and got a navy one in XL instead";

    internal static TestApp AppWithModels(string folder, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Triage:ModelsFolder"] = folder,
            ["Triage:BackfillInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return TestApp.Sqlite(settings);
    }

    internal static async Task<JsonElement> PostAsync(HttpClient client, string externalId, string text, string email = "kari@example.com")
    {
        var response = await client.PostAsJsonAsync("/api/v1/messages", new
        {
            channel = "email",
            externalId,
            customer = new { name = "Kari", email },
            text,
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    internal static async Task<JsonElement> ConversationAsync(HttpClient client, long id) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}", TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_message_is_triaged_at_intake_and_the_conversation_shows_the_labels()
    {
        await using var app = AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        var posted = await PostAsync(client, "m-1", WrongItem);

        var detail = await ConversationAsync(client, posted.GetProperty("conversationId").GetInt64());
        var conversation = detail.GetProperty("conversation");
        Assert.Equal("wrong_or_missing_item", conversation.GetProperty("concernType").GetString());
        Assert.Equal("negative", conversation.GetProperty("sentiment").GetString());
        Assert.Equal("en", conversation.GetProperty("language").GetString());
        Assert.Equal("high", conversation.GetProperty("priority").GetString());

        var triage = detail.GetProperty("messages")[0].GetProperty("triage");
        Assert.Equal("wrong_or_missing_item", triage.GetProperty("concern").GetString());
        Assert.Equal("warehouse", triage.GetProperty("department").GetString());
        Assert.Equal("high", triage.GetProperty("urgency").GetString());
        Assert.Equal("v1", triage.GetProperty("modelVersion").GetString());
        Assert.Equal("10234", triage.GetProperty("entities").GetProperty("orderNumbers")[0].GetString());
        Assert.Equal(["white", "navy"], triage.GetProperty("entities").GetProperty("colours").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(JsonValueKind.Null, triage.GetProperty("triagedAt").ValueKind);
    }

    [Fact]
    public async Task A_customer_who_writes_a_third_time_gets_a_higher_priority()
    {
        await using var app = AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        const string question = "Hi, when will my order be delivered? I ordered last week";
        var first = await PostAsync(client, "q-1", question);
        await PostAsync(client, "q-2", question);
        var third = await PostAsync(client, "q-3", question);

        await using var db = await app.OpenDbAsync();
        var urgencies = await db.Messages.OrderBy(m => m.Id).Select(m => m.Urgency).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["normal", "normal", "high"], urgencies);
        Assert.Equal(first.GetProperty("conversationId").GetInt64(), third.GetProperty("conversationId").GetInt64());
        var detail = await ConversationAsync(client, third.GetProperty("conversationId").GetInt64());
        Assert.Equal("high", detail.GetProperty("conversation").GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Without_models_a_message_is_stored_untriaged_and_triaged_once_the_models_arrive()
    {
        var folder = TrainedModels.EmptyFolder();
        await using var app = AppWithModels(folder);
        var client = app.CreateApiClient();
        var posted = await PostAsync(client, "m-1", WrongItem);
        var conversationId = posted.GetProperty("conversationId").GetInt64();

        var before = await ConversationAsync(client, conversationId);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("conversation").GetProperty("concernType").ValueKind);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("messages")[0].GetProperty("triage").GetProperty("triagedAt").ValueKind);

        TrainedModels.CopyInto(TrainedModels.V1, folder);
        var after = await WaitForTriageAsync(client, conversationId);
        Assert.Equal("wrong_or_missing_item", after.GetProperty("conversation").GetProperty("concernType").GetString());
        Assert.Equal("warehouse", after.GetProperty("messages")[0].GetProperty("triage").GetProperty("department").GetString());
    }

    [Fact]
    public async Task Untriaged_messages_wait_in_the_database_across_a_restart()
    {
        var data = Path.Combine(Path.GetTempPath(), "membercare-tests", "restart-" + Guid.NewGuid().ToString("N"));
        long conversationId;
        await using (var first = AppWithModels(TrainedModels.EmptyFolder(), new Dictionary<string, string?> { ["Database:DataFolder"] = data }))
        {
            var posted = await PostAsync(first.CreateApiClient(), "m-1", WrongItem);
            conversationId = posted.GetProperty("conversationId").GetInt64();
        }
        await using var second = AppWithModels(TrainedModels.V1, new Dictionary<string, string?> { ["Database:DataFolder"] = data });
        var after = await WaitForTriageAsync(second.CreateApiClient(), conversationId);
        Assert.Equal("wrong_or_missing_item", after.GetProperty("conversation").GetProperty("concernType").GetString());
    }

    [Fact]
    public async Task The_backfill_triages_old_messages_without_overwriting_the_newest_messages_labels()
    {
        var folder = TrainedModels.EmptyFolder();
        await using var app = AppWithModels(folder, new Dictionary<string, string?> { ["Triage:BackfillInterval"] = "01:00:00" });
        var client = app.CreateApiClient();
        var posted = await PostAsync(client, "m-1", WrongItem);
        await PostAsync(client, "m-2", "Absolutely love the dress, fits perfectly and the quality is amazing!");
        TrainedModels.CopyInto(TrainedModels.V1, folder);

        var models = app.Services.GetRequiredService<TriageModels>();
        Assert.True(models.EnsureLoaded());
        Assert.Equal(2, await app.Services.GetRequiredService<TriageBackfill>().TriageWaitingAsync(TestContext.Current.CancellationToken));

        var detail = await ConversationAsync(client, posted.GetProperty("conversationId").GetInt64());
        Assert.Equal("praise", detail.GetProperty("conversation").GetProperty("concernType").GetString());
        Assert.Equal("high", detail.GetProperty("conversation").GetProperty("priority").GetString());
        Assert.Equal(0, await app.Services.GetRequiredService<TriageBackfill>().TriageWaitingAsync(TestContext.Current.CancellationToken));
    }

    internal static async Task<JsonElement> WaitForTriageAsync(HttpClient client, long conversationId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var detail = await ConversationAsync(client, conversationId);
            if (detail.GetProperty("conversation").GetProperty("concernType").ValueKind != JsonValueKind.Null)
            {
                return detail;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The backfill did not triage the message within 30 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
