using System.Net;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Orders;
using MemberCare.Features.Conversations;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Http;

/// <summary>Working a conversation through the API: list with filters and cursors, read, reply, note, change status.</summary>
public abstract class ConversationsSpec : DatabaseSpec
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Listing_by_status_returns_exactly_the_conversations_in_that_status()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var untouched = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("a")));
        var resolved = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("b")));
        await MoveAsync(client, resolved.ConversationId, "resolved");

        var listed = await ListAllAsync(client, "status=resolved");

        Assert.All(listed, c => Assert.Equal("resolved", c.Status));
        Assert.Contains(resolved.ConversationId, listed.Select(c => c.Id));
        Assert.DoesNotContain(untouched.ConversationId, listed.Select(c => c.Id));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(
            (await db.Conversations.Where(c => c.Status == ConversationStatus.Resolved).Select(c => c.Id).ToListAsync(Ct)).Order(),
            listed.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Listing_by_channel_returns_exactly_the_conversations_on_that_channel()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var onInstagram = await client.PostNewMessageAsync(Api.Message(Api.Unique("ig"), channel: "instagram", handle: Api.Unique("a")));
        var onChat = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), channel: "chat", handle: Api.Unique("b")));

        var listed = await ListAllAsync(client, "channel=instagram");

        Assert.All(listed, c => Assert.Equal("instagram", c.Channel));
        Assert.Contains(onInstagram.ConversationId, listed.Select(c => c.Id));
        Assert.DoesNotContain(onChat.ConversationId, listed.Select(c => c.Id));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(
            (await db.Conversations.Where(c => c.Channel == Channel.Instagram).Select(c => c.Id).ToListAsync(Ct)).Order(),
            listed.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Listing_by_customer_returns_exactly_that_customers_conversations()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var email = $"{Api.Unique("sofie")}@example.se";
        var first = await client.PostNewMessageAsync(Api.Message(Api.Unique("mail"), channel: "email", email: email));
        var second = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), channel: "chat", email: email));
        var someoneElse = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), channel: "chat", handle: Api.Unique("other")));

        var listed = await ListAllAsync(client, $"customerId={first.CustomerId}");

        Assert.Equal([first.ConversationId, second.ConversationId], listed.Select(c => c.Id).Order());
        Assert.All(listed, c => Assert.Equal(first.CustomerId, c.CustomerId));
        Assert.NotEqual(first.CustomerId, someoneElse.CustomerId);
    }

    [Fact]
    public async Task Listing_updated_since_a_time_returns_exactly_the_conversations_updated_at_or_after_it()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var earlier = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("a")));
        _time.Advance(TimeSpan.FromMinutes(10));
        var since = _time.GetUtcNow();
        var atTheMoment = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("b")));
        _time.Advance(TimeSpan.FromMinutes(10));
        var later = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("c")));

        var listed = await ListAllAsync(client, $"updatedSince={Uri.EscapeDataString(since.ToOffset(TimeSpan.FromHours(1)).ToString("O"))}");

        var ids = listed.Select(c => c.Id).ToList();
        Assert.Contains(atTheMoment.ConversationId, ids);
        Assert.Contains(later.ConversationId, ids);
        Assert.DoesNotContain(earlier.ConversationId, ids);
        Assert.All(listed, c => Assert.True(c.UpdatedAt >= since, $"{c.Id} was updated at {c.UpdatedAt:O}, before {since:O}"));
    }

    [Fact]
    public async Task Paging_by_cursor_walks_every_conversation_exactly_once_in_order()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        for (var i = 0; i < 23; i++)
        {
            // Every third conversation shares its time with the one before, so the id must break ties.
            if (i % 3 != 0)
            {
                _time.Advance(TimeSpan.FromSeconds(7));
            }
            await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique($"pager{i}")));
        }

        var pages = new List<ConversationPage>();
        string? cursor = null;
        do
        {
            var page = await client.GetOkAsync<ConversationPage>($"/api/v1/conversations?limit=5{(cursor is null ? "" : $"&cursor={cursor}")}");
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 1000, "The cursor never ran out.");
        }
        while (cursor is not null);

        Assert.All(pages, p => Assert.InRange(p.Items.Count, 1, 5));
        var walked = pages.SelectMany(p => p.Items).ToList();
        await using var db = await app.OpenDbAsync();
        var all = (await db.Conversations.Select(c => new { c.Id, c.UpdatedAt }).ToListAsync(Ct))
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Select(c => c.Id);
        Assert.Equal(all, walked.Select(c => c.Id));
        Assert.True(walked.Count >= 23);
        Assert.All(walked.Zip(walked.Skip(1)), pair => Assert.True(
            pair.First.UpdatedAt > pair.Second.UpdatedAt || (pair.First.UpdatedAt == pair.Second.UpdatedAt && pair.First.Id > pair.Second.Id),
            $"{pair.First.Id} came before {pair.Second.Id} out of order"));
    }

    [Theory]
    [InlineData("status=snoozed", "status")]
    [InlineData("channel=carrier_pigeon", "channel")]
    [InlineData("customerId=nora", "customerId")]
    [InlineData("updatedSince=last-tuesday", "updatedSince")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task A_bad_filter_value_is_refused_with_400_naming_the_field(string query, string field)
    {
        await using var app = await CreateAppAsync(time: _time);

        using var response = await app.CreateApiClient().GetAsync($"/api/v1/conversations?{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains(field, problem.Errors.Keys);
        Assert.NotEmpty(problem.Errors[field][0]);
    }

    [Fact]
    public async Task Getting_a_conversation_returns_its_messages_its_customer_with_identities_and_their_orders_with_lines()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var email = $"{Api.Unique("astrid")}@example.no";
        var handle = Api.Unique("astrid.h");
        var byEmail = await client.PostNewMessageAsync(Api.Message(Api.Unique("mail"), "Hvor er pakken min?", channel: "email", email: email, name: "Astrid Haugen"));
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("ig"), "Kjolen er for liten.", channel: "instagram", handle: handle, email: email));
        var number = Api.Unique("SO");
        await using (var db = await app.OpenDbAsync())
        {
            var order = Order.Place(number, posted.CustomerId, "nok", _time.GetUtcNow().AddDays(-6));
            order.AddLine("DRS-2041-NV-36", "Linen wrap dress", "36", "Navy", "Atelier Nord", 1, 1299.00m);
            order.AddLine("BLT-0007-BR", "Leather belt", "M", "Brown", "Skinnfabrikken", 2, 349.50m);
            db.Orders.Add(order);
            await db.SaveChangesAsync(Ct);
        }

        var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");

        Assert.Equal(posted.ConversationId, detail.Conversation.Id);
        Assert.Equal("instagram", detail.Conversation.Channel);
        Assert.Equal("new", detail.Conversation.Status);
        var message = Assert.Single(detail.Messages);
        Assert.Equal((posted.MessageId, "inbound", "Kjolen er for liten."), (message.Id, message.Direction, message.Text));
        Assert.Equal(byEmail.CustomerId, detail.Customer.Id);
        Assert.Equal("Astrid Haugen", detail.Customer.Name);
        Assert.Equal(email, detail.Customer.Email);
        Assert.Equal([new IdentityView("email", email), new IdentityView("instagram", handle)], detail.Customer.Identities);
        var listedOrder = Assert.Single(detail.Orders);
        Assert.Equal((number, "NOK", "placed", 1998.00m), (listedOrder.Number, listedOrder.Currency, listedOrder.Status, listedOrder.Total));
        Assert.Equal(
            [
                new OrderLineView("DRS-2041-NV-36", "Linen wrap dress", "36", "Navy", "Atelier Nord", 1, 1299.00m),
                new OrderLineView("BLT-0007-BR", "Leather belt", "M", "Brown", "Skinnfabrikken", 2, 349.50m),
            ],
            listedOrder.Lines.OrderByDescending(l => l.UnitPrice));
        Assert.Equal(["open", "waiting_on_department", "waiting_on_customer", "resolved", "closed"], detail.AllowedStatuses);
    }

    [Fact]
    public async Task Getting_an_unknown_conversation_returns_404()
    {
        await using var app = await CreateAppAsync(time: _time);

        using var response = await app.CreateApiClient().GetAsync("/api/v1/conversations/987654321", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains("987654321", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_conversations_without_an_api_key_returns_401()
    {
        await using var app = await CreateAppAsync(time: _time);

        using var response = await app.CreateClient().GetAsync("/api/v1/conversations", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_first_reply_returns_201_sets_the_first_response_time_and_moves_a_new_conversation_to_open()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("q")));
        _time.Advance(TimeSpan.FromMinutes(4));
        var answeredAt = _time.GetUtcNow();

        using var reply = await client.PostJsonAsync($"/api/v1/conversations/{posted.ConversationId}/replies", new { text = "Beklager! Vi sender ny størrelse i dag.", author = "Kari" });

        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var written = await Api.ReadAsync<MessageView>(reply);
        Assert.Equal(("outbound", "Kari"), (written.Direction, written.AuthorName));
        var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");
        Assert.Equal("open", detail.Conversation.Status);
        Assert.Equal(answeredAt, detail.FirstResponseAt);
        Assert.Equal(["inbound", "outbound"], detail.Messages.Select(m => m.Direction));

        _time.Advance(TimeSpan.FromMinutes(30));
        using var second = await client.PostJsonAsync($"/api/v1/conversations/{posted.ConversationId}/replies", new { text = "Pakken er sendt." });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var after = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");
        Assert.Equal(answeredAt, after.FirstResponseAt);
    }

    [Fact]
    public async Task An_internal_note_returns_201_and_neither_answers_the_customer_nor_changes_the_status()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("q")));

        using var note = await client.PostJsonAsync($"/api/v1/conversations/{posted.ConversationId}/notes", new { text = "Lageret sjekker plukkfeilen.", author = "Kari" });

        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.Equal("note", (await Api.ReadAsync<MessageView>(note)).Direction);
        var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");
        Assert.Equal("new", detail.Conversation.Status);
        Assert.Null(detail.FirstResponseAt);
        Assert.Equal(["inbound", "note"], detail.Messages.Select(m => m.Direction));
    }

    [Theory]
    [InlineData("replies")]
    [InlineData("notes")]
    public async Task Writing_to_an_unknown_conversation_returns_404(string kind)
    {
        await using var app = await CreateAppAsync(time: _time);

        using var response = await app.CreateApiClient().PostJsonAsync($"/api/v1/conversations/987654321/{kind}", new { text = "Hei" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("replies", "{}", "text")]
    [InlineData("replies", "{\"text\":\"   \"}", "text")]
    [InlineData("notes", "{\"text\":\"ok\",\"author\":12}", "author")]
    [InlineData("status", "{}", "status")]
    [InlineData("status", "{\"status\":\"snoozed\"}", "status")]
    public async Task A_bad_write_is_refused_naming_the_field_and_nothing_is_written(string kind, string body, string field)
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("q")));
        var before = await SnapshotAsync(app, posted.ConversationId);

        using var response = await client.PostAsync($"/api/v1/conversations/{posted.ConversationId}/{kind}", Api.JsonBody(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Errors.ContainsKey(field) || problem.Field == field, $"The problem does not name '{field}': {problem}");
        Assert.Equal(before, await SnapshotAsync(app, posted.ConversationId));
    }

    [Fact]
    public async Task Status_changes_along_the_allowed_transitions_answer_200()
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("q")));

        foreach (var status in new[] { "open", "waiting_on_department", "waiting_on_customer", "open", "resolved", "open", "resolved", "closed" })
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            using var response = await client.PostJsonAsync($"/api/v1/conversations/{posted.ConversationId}/status", new { status });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"-> {status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");
            Assert.Equal(status, detail.Conversation.Status);
            Assert.Equal(_time.GetUtcNow(), detail.Conversation.UpdatedAt);
        }
        var closed = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{posted.ConversationId}");
        Assert.Equal(_time.GetUtcNow(), closed.ClosedAt);
        Assert.Empty(closed.AllowedStatuses);
    }

    [Theory]
    [InlineData(new string[0], "new", "open, waiting_on_department, waiting_on_customer, resolved, closed")]
    [InlineData(new[] { "open" }, "new", "waiting_on_department, waiting_on_customer, resolved")]
    [InlineData(new[] { "open" }, "closed", "waiting_on_department, waiting_on_customer, resolved")]
    [InlineData(new[] { "resolved" }, "waiting_on_customer", "open, closed")]
    [InlineData(new[] { "closed" }, "open", "none (closed is final)")]
    public async Task An_illegal_status_transition_answers_409_with_the_allowed_list_and_changes_nothing(string[] path, string to, string allowed)
    {
        await using var app = await CreateAppAsync(time: _time);
        var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), handle: Api.Unique("q")));
        foreach (var step in path)
        {
            await MoveAsync(client, posted.ConversationId, step);
        }
        var before = await SnapshotAsync(app, posted.ConversationId);
        _time.Advance(TimeSpan.FromMinutes(1));

        using var response = await client.PostJsonAsync($"/api/v1/conversations/{posted.ConversationId}/status", new { status = to });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal("Illegal status transition", problem.Title);
        Assert.EndsWith($"Allowed: {allowed}.", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("status", problem.Errors.Keys);
        Assert.Equal(before, await SnapshotAsync(app, posted.ConversationId));
    }

    private static async Task MoveAsync(HttpClient client, long conversationId, string status)
    {
        using var response = await client.PostJsonAsync($"/api/v1/conversations/{conversationId}/status", new { status });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<ConversationSummary>> ListAllAsync(HttpClient client, string query)
    {
        var all = new List<ConversationSummary>();
        string? cursor = null;
        do
        {
            var page = await client.GetOkAsync<ConversationPage>($"/api/v1/conversations?{query}&limit=50{(cursor is null ? "" : $"&cursor={cursor}")}");
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Everything a write could touch on one conversation, to compare before and after a refused request.</summary>
    private static async Task<object> SnapshotAsync(TestApp app, long conversationId)
    {
        await using var db = await app.OpenDbAsync();
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversationId, Ct);
        return new
        {
            conversation.Status,
            conversation.UpdatedAt,
            conversation.MessageCount,
            conversation.FirstResponseAt,
            conversation.ResolvedAt,
            conversation.ClosedAt,
            Rows = await app.CountRowsAsync(),
        };
    }
}

public sealed class SqliteConversationsSpec : ConversationsSpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}

public sealed class PostgresConversationsSpec(PostgresDatabase database) : ConversationsSpec, IClassFixture<PostgresDatabase>
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        database.CreateAppAsync(settings, time);
}
