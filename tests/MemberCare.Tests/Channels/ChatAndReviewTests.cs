using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Channels;

public sealed class ChatAndReviewTests
{
    public const string SiteKey = "site-key-for-tests";

    public static Dictionary<string, string?> ChatSettings => new()
    {
        ["Chat:SiteKey"] = SiteKey,
        ["Chat:AllowedOrigins:0"] = "https://shop.example",
        ["Chat:PermitsPerMinute"] = "1000",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_visitor_chats_through_the_widget_api_and_reads_the_agents_reply_by_polling()
    {
        await using var app = TestApp.Sqlite(ChatSettings);
        var visitor = app.CreateClient();
        var agent = app.CreateApiClient();

        using var script = await visitor.GetAsync("/widget.js", Ct);
        var token = await StartAsync(visitor);
        using var first = await visitor.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = SiteKey, clientId = "c1", text = "Do you have the dress in M?", name = "Nora" }, Ct);
        using var again = await visitor.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = SiteKey, clientId = "c1", text = "Do you have the dress in M?", name = "Nora" }, Ct);
        await using (var db = await app.OpenDbAsync())
        {
            var conversation = await db.Conversations.SingleAsync(c => c.ThreadKey == "chat:" + token, Ct);
            using var reply = await agent.PostAsJsonAsync($"/api/v1/conversations/{conversation.Id}/replies", new { text = "Yes, size M is in stock.", author = "Kari" }, Ct);
            Assert.True(reply.IsSuccessStatusCode);
            using var note = await agent.PostAsJsonAsync($"/api/v1/conversations/{conversation.Id}/notes", new { text = "internal only", author = "Kari" }, Ct);
        }
        var lines = await visitor.GetFromJsonAsync<JsonArray>($"/api/v1/chat/{token}/messages?key={SiteKey}&after=0", Ct);
        var later = await visitor.GetFromJsonAsync<JsonArray>($"/api/v1/chat/{token}/messages?key={SiteKey}&after={lines![^1]!["id"]}", Ct);

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-key", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["you", "agent"], lines.Select(l => l!["from"]!.GetValue<string>()));
        Assert.Equal("Yes, size M is in stock.", lines[1]!["text"]!.GetValue<string>());
        Assert.Equal("Kari", lines[1]!["author"]!.GetValue<string>());
        Assert.Empty(later!);
    }

    [Fact]
    public async Task A_filled_honeypot_is_answered_like_a_person_but_nothing_is_stored()
    {
        await using var app = TestApp.Sqlite(ChatSettings);
        var client = app.CreateClient();
        var token = await StartAsync(client);

        using var chat = await client.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = SiteKey, clientId = "b1", text = "cheap pills", website = "http://spam.example" }, Ct);
        using var form = await client.PostAsJsonAsync("/api/v1/chat/contact", new { key = SiteKey, email = "bot@spam.example", text = "cheap pills", website = "x" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, chat.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, form.StatusCode);
        Assert.Equal(default, (await app.CountRowsAsync()).Messages);
    }

    [Fact]
    public async Task The_contact_form_opens_a_web_form_case_with_the_reply_address()
    {
        await using var app = TestApp.Sqlite(ChatSettings);

        using var response = await app.CreateClient().PostAsJsonAsync("/api/v1/chat/contact",
            new { key = SiteKey, name = "Ola", email = "ola@example.no", subject = "Return label", text = "Where is my return label?" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var conversation = await db.Conversations.Include(c => c.Customer).SingleAsync(Ct);
        Assert.Equal(Channel.WebForm, conversation.Channel);
        Assert.Equal("Return label", conversation.Subject);
        Assert.Equal("ola@example.no", conversation.Customer!.Email);
    }

    [Theory]
    [InlineData("{\"key\":\"site-key-for-tests\",\"clientId\":\"a\"}", 400, "text")]
    [InlineData("{\"key\":\"site-key-for-tests\",\"text\":\"hi\"}", 400, "clientId")]
    [InlineData("{\"key\":\"site-key-for-tests\",\"clientId\":\"a\",\"text\":\"hi\",\"email\":\"not-an-address\"}", 400, "email")]
    [InlineData("{\"key\":\"wrong\",\"clientId\":\"a\",\"text\":\"hi\"}", 403, "site key")]
    [InlineData("{\"key\":\"site-key-for-tests\",\"clientId\":\"a\",\"text\":5}", 400, "")]
    [InlineData("{\"key\":\"site-key-for-tests\",\"clientId\":\"a\",\"te", 400, "")]
    public async Task A_bad_chat_message_answers_4xx_and_stores_nothing(string body, int status, string reason)
    {
        await using var app = TestApp.Sqlite(ChatSettings);
        var client = app.CreateClient();
        var token = await StartAsync(client);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync($"/api/v1/chat/{token}/messages", content, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(default, (await app.CountRowsAsync()).Messages);
    }

    [Fact]
    public async Task The_chat_api_is_rate_limited_per_address_and_answers_cors_only_for_configured_sites()
    {
        var settings = ChatSettings;
        settings["Chat:PermitsPerMinute"] = "3";
        await using var app = TestApp.Sqlite(settings);
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/chat/sessions", new { key = SiteKey }, Ct);
            statuses.Add(response.StatusCode);
        }
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "/api/v1/chat/sessions");
        allowed.Headers.Add("Origin", "https://shop.example");
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        using var other = new HttpRequestMessage(HttpMethod.Options, "/api/v1/chat/sessions");
        other.Headers.Add("Origin", "https://evil.example");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowedAnswer = await app.CreateClient().SendAsync(allowed, Ct);
        using var otherAnswer = await app.CreateClient().SendAsync(other, Ct);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("https://shop.example", allowedAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(otherAnswer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Reviews_import_as_messages_with_rating_sku_and_reviewer_and_low_ratings_are_flagged_once()
    {
        await using var app = TestApp.Sqlite();
        var client = app.CreateApiClient();
        const string csv = "review_id,rating,sku,reviewer,email,title,body,created_at\n" +
            "r-1,5,DRS-101-M,Nora,nora@example.no,Lovely,Fits perfectly.,2026-11-20T10:00:00Z\n" +
            "r-2,1,JKT-220-L,Ola,,Broke,The zipper broke after one wear.,2026-11-21\n" +
            "r-3,7,JKT-220-L,Per,,Wow,Too many stars,\n" +
            "r-4,2,,,,,Late and wrinkled.,\n";

        using var first = await client.PostAsync("/api/v1/reviews/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var report = await first.Content.ReadFromJsonAsync<JsonObject>(Ct);
        using var second = await client.PostAsync("/api/v1/reviews/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var again = await second.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3, report!["accepted"]!.GetValue<int>());
        Assert.Contains("rating: 7 is more than 5", report["rejected"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("2 flagged", report["stored"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("3 reviews already imported", again!["stored"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var db = await app.OpenDbAsync();
        var reviews = await db.Reviews.OrderBy(r => r.ReviewKey).ToListAsync(Ct);
        Assert.Equal(["review:r-1", "review:r-2", "review:r-4"], reviews.Select(r => r.ReviewKey));
        Assert.Equal([false, true, true], reviews.Select(r => r.Flagged));
        Assert.Equal("JKT-220-L", reviews[1].Sku);
        Assert.Equal("Ola", reviews[1].Reviewer);
        var low = await db.Conversations.SingleAsync(c => c.Messages.Any(m => m.Id == reviews[1].MessageId), Ct);
        Assert.Equal(Channel.Review, low.Channel);
        Assert.Equal(Priority.High, low.Priority);
        Assert.StartsWith("★☆☆☆☆ (1/5) on JKT-220-L", (await db.Messages.SingleAsync(m => m.Id == reviews[1].MessageId, Ct)).Text, StringComparison.Ordinal);
        Assert.Equal(3, await db.Messages.CountAsync(Ct));
    }

    [Fact]
    public async Task A_stored_channel_secret_is_masked_when_listed_and_takes_precedence_over_configuration()
    {
        await using var app = TestApp.Sqlite(WebhookFixtures.Settings);
        var client = app.CreateApiClient();
        const string secret = "a-new-shopify-secret-9f3k";

        using var put = await client.PutAsJsonAsync("/api/v1/channels/secrets/Shopify:WebhookSecret", new { value = secret }, Ct);
        var listed = await client.GetStringAsync("/api/v1/channels/secrets", Ct);
        var body = Encoding.UTF8.GetBytes("{\"id\": 1, \"name\": \"#1\", \"email\": \"a@b.no\", \"line_items\": []}");
        using var oldSecret = await app.CreateClient().PostShopifyAsync(body, "orders/create", "s-1");
        using var newSecret = await app.CreateClient().PostShopifyAsync(body, "orders/create", "s-2", secret: secret);

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains("••••••••9f3k", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSecret.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newSecret.StatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.DoesNotContain(secret, (await db.ChannelSecrets.SingleAsync(Ct)).ProtectedValue, StringComparison.Ordinal);
    }

    private static async Task<string> StartAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/chat/sessions", new { key = SiteKey }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["token"]!.GetValue<string>();
    }
}
