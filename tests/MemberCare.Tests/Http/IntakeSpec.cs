using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MemberCare.Domain;
using MemberCare.Features.Conversations;
using MemberCare.Features.Intake;
using MemberCare.Hosting;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Http;

/// <summary>POST /api/v1/messages: idempotent intake, threading, identities, API keys, and refusals that write nothing.</summary>
public abstract class IntakeSpec : DatabaseSpec
{
    [Fact]
    public async Task Posting_a_new_message_returns_201_with_the_conversation_message_and_customer_ids()
    {
        await using var app = await CreateAppAsync();
        var externalId = Api.Unique("chat");

        using var response = await app.CreateApiClient().PostMessageAsync(Api.Message(externalId, handle: Api.Unique("visitor")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ids = await Api.ReadAsync<PostMessageResponse>(response);
        Assert.False(ids.Duplicate);
        Assert.Equal($"/api/v1/conversations/{ids.ConversationId}", response.Headers.Location?.OriginalString);
        await using var db = await app.OpenDbAsync();
        var stored = await db.Messages.SingleAsync(m => m.ExternalId == externalId, Ct);
        Assert.Equal(ids.MessageId, stored.Id);
        Assert.Equal(ids.ConversationId, stored.ConversationId);
        var conversation = await db.Conversations.SingleAsync(c => c.Id == ids.ConversationId, Ct);
        Assert.Equal(ids.CustomerId, conversation.CustomerId);
        Assert.Equal(Channel.Chat, conversation.Channel);
    }

    [Fact]
    public async Task Posting_the_same_channel_and_external_id_again_returns_200_with_the_same_ids_and_stores_nothing_new()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var message = Api.Message(Api.Unique("ig"), channel: "instagram", handle: Api.Unique("nora"));
        var first = await client.PostNewMessageAsync(message);
        var before = await app.CountRowsAsync();

        using var again = await client.PostMessageAsync(message);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Api.ReadAsync<PostMessageResponse>(again);
        Assert.Equal((first.ConversationId, first.MessageId, first.CustomerId), (second.ConversationId, second.MessageId, second.CustomerId));
        Assert.True(second.Duplicate);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task The_raw_request_body_is_stored_on_the_message_byte_for_byte()
    {
        await using var app = await CreateAppAsync();
        var externalId = Api.Unique("mail");
        // Odd spacing, CRLF, escapes, a field intake ignores and non-ASCII text: parsing and re-serialising would change any of them.
        var raw = "{ \"channel\" : \"email\",\r\n\t\"externalId\":\"" + externalId + "\",  \"customer\":{\"email\":\"Ingrid.Dahl@Example.NO\",\"name\":\"Ingrid \\u00d8ye\"},\r\n" +
            "\"text\":\"Bestilling #10234: glidel\\u00e5sen r\u00f8k \\\"f\u00f8rste dag\\\" \u2013 vil ha ny \U0001F457\", \"vendorField\": [1, 2.50, true, null] }\r\n";
        var bytes = Encoding.UTF8.GetBytes(raw);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await app.CreateApiClient().PostAsync("/api/v1/messages", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var stored = await db.Messages.SingleAsync(m => m.ExternalId == externalId, Ct);
        Assert.NotNull(stored.RawPayload);
        Assert.Equal(bytes, Encoding.UTF8.GetBytes(stored.RawPayload));
        Assert.Equal("Bestilling #10234: glidelåsen røk \"første dag\" – vil ha ny 👗", stored.Text);
    }

    [Fact]
    public async Task A_known_customer_identity_threads_into_its_open_conversation_on_that_channel()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var handle = Api.Unique("nora.style");
        var first = await client.PostNewMessageAsync(Api.Message(Api.Unique("ig"), "Har dere denne i navy?", channel: "instagram", handle: handle));

        // Instagram handles compare without case and without the leading @.
        var second = await client.PostNewMessageAsync(Api.Message(Api.Unique("ig"), "Og i størrelse 38?", channel: "instagram", handle: "@" + handle.ToUpperInvariant()));

        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.Equal(first.CustomerId, second.CustomerId);
        Assert.NotEqual(first.MessageId, second.MessageId);
        var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{first.ConversationId}");
        Assert.Equal(["Har dere denne i navy?", "Og i størrelse 38?"], detail.Messages.Select(m => m.Text));
        Assert.Equal(2, detail.Conversation.MessageCount);
    }

    [Fact]
    public async Task The_same_customer_on_another_channel_gets_a_conversation_of_its_own()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var email = $"{Api.Unique("kari")}@example.no";
        var byEmail = await client.PostNewMessageAsync(Api.Message(Api.Unique("mail"), channel: "email", email: email));

        var byChat = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), channel: "chat", email: email));

        Assert.Equal(byEmail.CustomerId, byChat.CustomerId);
        Assert.NotEqual(byEmail.ConversationId, byChat.ConversationId);
    }

    [Fact]
    public async Task A_message_after_the_conversation_is_resolved_opens_a_new_conversation()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var handle = Api.Unique("ola");
        var first = await client.PostNewMessageAsync(Api.Message(Api.Unique("fb"), "Pakken kom aldri.", channel: "facebook", handle: handle));
        using (var resolved = await client.PostJsonAsync($"/api/v1/conversations/{first.ConversationId}/status", new { status = "resolved" }))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        var after = await client.PostNewMessageAsync(Api.Message(Api.Unique("fb"), "Nå er den borte igjen.", channel: "facebook", handle: handle));

        Assert.NotEqual(first.ConversationId, after.ConversationId);
        Assert.Equal(first.CustomerId, after.CustomerId);
        var old = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{first.ConversationId}");
        Assert.Equal("resolved", old.Conversation.Status);
        Assert.Equal(["Pakken kom aldri."], old.Messages.Select(m => m.Text));
        var fresh = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{after.ConversationId}");
        Assert.Equal("new", fresh.Conversation.Status);
        Assert.Equal(["Nå er den borte igjen."], fresh.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task A_customer_known_by_email_who_writes_from_a_new_handle_is_recognised()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var email = $"{Api.Unique("ingrid")}@example.no";
        var byEmail = await client.PostNewMessageAsync(Api.Message(Api.Unique("mail"), channel: "email", email: email.ToUpperInvariant()));
        var handle = Api.Unique("ingrid.d");

        var fromInstagram = await client.PostNewMessageAsync(Api.Message(Api.Unique("ig"), channel: "instagram", handle: handle, email: email));

        Assert.Equal(byEmail.CustomerId, fromInstagram.CustomerId);
        var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{fromInstagram.ConversationId}");
        Assert.Contains(new IdentityView("email", email), detail.Customer.Identities);
        Assert.Contains(new IdentityView("instagram", handle), detail.Customer.Identities);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Email == email, Ct));
    }

    [Fact]
    public async Task Posting_without_an_api_key_returns_401_and_stores_nothing()
    {
        await using var app = await CreateAppAsync();
        var before = await app.CountRowsAsync();

        using var response = await app.CreateClient().PostMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("anon")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task Posting_with_a_wrong_api_key_returns_401_and_stores_nothing()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.ApiKey + "-wrong");
        var before = await app.CountRowsAsync();

        using var response = await client.PostMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("anon")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task The_api_key_from_MEMBERCARE_API_KEY_is_accepted()
    {
        var key = Api.Unique("env-key");
        await using var variable = await EnvironmentVariable.SetAsync(ApiKeyHandler.EnvironmentVariable, key);
        await using var app = await CreateAppAsync();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var response = await client.PostMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("env")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("externalId")]
    [InlineData("text")]
    [InlineData("customer")]
    public async Task A_message_missing_a_required_field_is_refused_naming_that_field_and_nothing_is_written(string field)
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("chat"), handle: Api.Unique("someone"));
        message.Remove(field);

        var problem = await RefusedAsync(app, message.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.Errors.Keys);
        Assert.Contains("required", problem.Errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_with_neither_email_nor_handle_is_refused_naming_the_customer_field()
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("chat"), name: "Nameless");

        var problem = await RefusedAsync(app, message.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal(["customer"], problem.Errors.Keys);
        Assert.Contains("e-mail address or a handle", problem.Errors["customer"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_over_64_KiB_is_refused_naming_the_text_field_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("chat"), new string('a', 64 * 1024 + 1), handle: Api.Unique("long"));

        var problem = await RefusedAsync(app, message.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal(["text"], problem.Errors.Keys);
        Assert.Contains("longer than 65536 bytes", problem.Errors["text"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_of_exactly_64_KiB_of_UTF_8_is_accepted_whole()
    {
        await using var app = await CreateAppAsync();
        var externalId = Api.Unique("chat");
        var text = new string('ø', 32 * 1024);

        await app.CreateApiClient().PostNewMessageAsync(Api.Message(externalId, text, handle: Api.Unique("long")));

        await using var db = await app.OpenDbAsync();
        Assert.Equal(text, await db.Messages.Where(m => m.ExternalId == externalId).Select(m => m.Text).SingleAsync(Ct));
    }

    [Fact]
    public async Task Invalid_UTF_8_is_refused_naming_the_offset_of_the_bad_byte_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();
        var prefix = Encoding.UTF8.GetBytes($"{{\"channel\":\"chat\",\"externalId\":\"{Api.Unique("chat")}\",\"customer\":{{\"handle\":\"{Api.Unique("bytes")}\"}},\"text\":\"caf");
        byte[] body = [.. prefix, 0xC3, 0x28, .. "\"}"u8];

        var problem = await RefusedAsync(app, body, "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("Invalid UTF-8", problem.Title);
        Assert.Contains($"offset {prefix.Length}", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_channel_is_refused_naming_the_channel_field_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("pigeon"), channel: "carrier_pigeon", handle: Api.Unique("bird"));

        var problem = await RefusedAsync(app, message.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal(["channel"], problem.Errors.Keys);
        Assert.Contains("'carrier_pigeon' is not a known channel", problem.Errors["channel"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_JSON_is_refused_saying_where_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();
        var json = $"{{\"channel\":\"chat\",\"externalId\":\"{Api.Unique("chat")}\",\n\"customer\":{{\"handle\":\"x\"}},\n\"text\": \"unterminated}}";

        var problem = await RefusedAsync(app, json, HttpStatusCode.BadRequest);

        Assert.Equal("Malformed JSON", problem.Title);
        Assert.Contains("line 3", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_sent_as_text_plain_is_refused_with_415_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("chat"), handle: Api.Unique("plain"));

        var problem = await RefusedAsync(app, Encoding.UTF8.GetBytes(message.ToJsonString()), "text/plain", HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("text/plain", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JSON_null_body_is_refused_and_nothing_is_written()
    {
        await using var app = await CreateAppAsync();

        var problem = await RefusedAsync(app, "null", HttpStatusCode.BadRequest);

        Assert.Contains("not null", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "42")]
    [InlineData("channel", "true")]
    [InlineData("externalId", "[\"a\"]")]
    [InlineData("customer", "\"Nora\"")]
    [InlineData("sentAt", "\"yesterday\"")]
    public async Task A_field_of_the_wrong_JSON_type_is_refused_naming_that_field_and_nothing_is_written(string field, string value)
    {
        await using var app = await CreateAppAsync();
        var message = Api.Message(Api.Unique("chat"), handle: Api.Unique("types"));
        message[field] = System.Text.Json.Nodes.JsonNode.Parse(value);

        var problem = await RefusedAsync(app, message.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.Equal(field, problem.Field);
        Assert.Contains($"'$.{field}'", problem.Detail, StringComparison.Ordinal);
    }

    private static Task<Problem> RefusedAsync(TestApp app, string json, HttpStatusCode expected) =>
        RefusedAsync(app, Encoding.UTF8.GetBytes(json), "application/json", expected);

    /// <summary>Sends a bad body and checks the answer is the expected problem and that no table gained a row.</summary>
    private static async Task<Problem> RefusedAsync(TestApp app, byte[] body, string mediaType, HttpStatusCode expected)
    {
        var client = app.CreateApiClient();
        var before = await app.CountRowsAsync();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        using var response = await client.PostAsync("/api/v1/messages", content, Ct);

        Assert.Equal(expected, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal((int)expected, problem.Status);
        Assert.Equal(before, await app.CountRowsAsync());
        return problem;
    }
}

public sealed class SqliteIntakeSpec : IntakeSpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}

public sealed class PostgresIntakeSpec(PostgresDatabase database) : IntakeSpec, IClassFixture<PostgresDatabase>
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        database.CreateAppAsync(settings, time);
}
