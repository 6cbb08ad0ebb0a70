using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MemberCare.Features.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Triage;

public sealed class TriageCorrectionTests
{
    private static async Task<(long ConversationId, long MessageId)> PostAsync(HttpClient client, string externalId, string text)
    {
        var posted = await TriageIntakeTests.PostAsync(client, externalId, text);
        return (posted.GetProperty("conversationId").GetInt64(), posted.GetProperty("messageId").GetInt64());
    }

    private static Task<HttpResponseMessage> CorrectAsync(HttpClient client, long messageId, object body) =>
        client.PostAsJsonAsync($"/api/v1/messages/{messageId}/triage", body, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_correction_is_stored_and_shown_on_the_message_and_the_conversation()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        var (conversationId, messageId) = await PostAsync(client, "m-1", "The colour looks nothing like the photos, it is much darker in real life");

        var response = await CorrectAsync(client, messageId, new { concern = "product_quality", sentiment = "neutral", correctedBy = "agent-ola" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var correction = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("product_quality", correction.GetProperty("concern").GetString());
        Assert.Equal("not_as_described", correction.GetProperty("previousConcern").GetString());
        Assert.Equal("agent-ola", correction.GetProperty("correctedBy").GetString());

        var detail = await TriageIntakeTests.ConversationAsync(client, conversationId);
        Assert.Equal("product_quality", detail.GetProperty("conversation").GetProperty("concernType").GetString());
        Assert.Equal("neutral", detail.GetProperty("conversation").GetProperty("sentiment").GetString());
        Assert.Equal("en", detail.GetProperty("conversation").GetProperty("language").GetString());
        var triage = detail.GetProperty("messages")[0].GetProperty("triage");
        Assert.Equal("product_quality", triage.GetProperty("concern").GetString());
        Assert.Equal("buying", triage.GetProperty("department").GetString());
        Assert.Equal(1, triage.GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task Corrections_are_exported_from_a_time_on()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        var (_, first) = await PostAsync(client, "m-1", "Where is my order? It has been two weeks");
        var (_, second) = await PostAsync(client, "m-2", "Jeg vil returnere skoene, hvordan gjør jeg det?");
        (await CorrectAsync(client, first, new { sentiment = "neutral" })).EnsureSuccessStatusCode();
        var corrected = await (await CorrectAsync(client, second, new { language = "no", concern = "return_refund" }))
            .Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/triage/corrections", TestContext.Current.CancellationToken);
        Assert.Equal([first, second], all.EnumerateArray().Select(c => c.GetProperty("messageId").GetInt64()));
        Assert.Equal("Where is my order? It has been two weeks", all[0].GetProperty("text").GetString());

        var since = Uri.EscapeDataString(corrected.GetProperty("correctedAt").GetString()!);
        var later = await client.GetFromJsonAsync<JsonElement>($"/api/v1/triage/corrections?since={since}", TestContext.Current.CancellationToken);
        Assert.Equal(second, Assert.Single(later.EnumerateArray()).GetProperty("messageId").GetInt64());
    }

    [Fact]
    public async Task The_trainer_reads_each_corrected_message_once_with_the_latest_labels()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        var (_, messageId) = await PostAsync(client, "m-1", "Where is my order? It has been two weeks");
        (await CorrectAsync(client, messageId, new { concern = "other", sentiment = "neutral" })).EnsureSuccessStatusCode();
        (await CorrectAsync(client, messageId, new { concern = "where_is_my_order" })).EnsureSuccessStatusCode();

        var rows = await app.Services.GetRequiredService<TriageCorrections>().ForTrainingAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new CorrectedLabels("Where is my order? It has been two weeks", "where_is_my_order", "neutral", null), Assert.Single(rows));
    }

    [Theory]
    [InlineData("""{"concern": "lost_parcel"}""", "concern")]
    [InlineData("""{"sentiment": "angry"}""", "sentiment")]
    [InlineData("""{"language": "klingon"}""", "language")]
    [InlineData("""{}""", "concern")]
    public async Task An_unknown_label_is_refused_with_a_problem_naming_the_field(string body, string field)
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var client = app.CreateApiClient();
        var (_, messageId) = await PostAsync(client, "m-1", "Where is my order?");

        var response = await client.PostAsync($"/api/v1/messages/{messageId}/triage",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());

        var corrections = await client.GetFromJsonAsync<JsonElement>("/api/v1/triage/corrections", TestContext.Current.CancellationToken);
        Assert.Equal(0, corrections.GetArrayLength());
    }

    [Fact]
    public async Task Correcting_a_message_that_does_not_exist_answers_404()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var response = await CorrectAsync(app.CreateApiClient(), 999, new { concern = "other" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Correcting_a_message_that_waits_for_triage_answers_409()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.EmptyFolder());
        var client = app.CreateApiClient();
        var (_, messageId) = await PostAsync(client, "m-1", "Where is my order?");
        var response = await CorrectAsync(client, messageId, new { concern = "where_is_my_order" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Correcting_without_an_api_key_answers_401()
    {
        await using var app = TriageIntakeTests.AppWithModels(TrainedModels.V1);
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/messages/1/triage", new { concern = "other" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
