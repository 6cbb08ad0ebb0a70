using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MemberCare.Domain;
using MemberCare.Features.Intake;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Http;

/// <summary>Bursts of simultaneous posts: the unique indexes, not check-then-insert, keep intake exact.</summary>
public abstract class ConcurrencySpec : DatabaseSpec
{
    protected const int Parallel = 50;

    [Fact]
    public async Task Fifty_parallel_posts_of_the_same_message_store_it_once_and_all_answer_with_the_same_ids()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var externalId = Api.Unique("burst");
        var message = Api.Message(externalId, channel: "facebook", handle: Api.Unique("fb-user"));

        var answers = await AllAtOnceAsync(Enumerable.Repeat(message, Parallel).Select(m => (Func<Task<Answer>>)(() => PostAsync(client, m))));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(Parallel - 1, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Ids).Distinct());
        await using var db = await app.OpenDbAsync();
        var stored = await db.Messages.Where(m => m.Channel == Channel.Facebook && m.ExternalId == externalId).ToListAsync(Ct);
        Assert.Equal(answers[0].Ids.MessageId, Assert.Single(stored).Id);
    }

    [Fact]
    public async Task Fifty_parallel_posts_of_different_messages_from_one_new_handle_end_up_as_one_customer_in_one_conversation()
    {
        await using var app = await CreateAppAsync();
        var client = app.CreateApiClient();
        var handle = Api.Unique("new.customer");
        var before = await app.CountRowsAsync();

        var answers = await AllAtOnceAsync(Enumerable.Range(0, Parallel).Select(i =>
            (Func<Task<Answer>>)(() => PostAsync(client, Api.Message(Api.Unique($"dm{i}"), $"Melding {i}", channel: "instagram", handle: handle)))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Equal(Parallel, answers.Select(a => a.Ids.MessageId).Distinct().Count());
        var customerId = Assert.Single(answers.Select(a => a.Ids.CustomerId).Distinct());
        var conversationId = Assert.Single(answers.Select(a => a.Ids.ConversationId).Distinct());
        Assert.Equal(before with
        {
            Customers = before.Customers + 1,
            Identities = before.Identities + 1,
            Conversations = before.Conversations + 1,
            Messages = before.Messages + Parallel,
        }, await app.CountRowsAsync());
        await using var db = await app.OpenDbAsync();
        Assert.Equal(customerId, (await db.CustomerIdentities.SingleAsync(i => i.Channel == Channel.Instagram && i.Handle == handle, Ct)).CustomerId);
        Assert.Equal(Parallel, (await db.Conversations.SingleAsync(c => c.Id == conversationId, Ct)).MessageCount);
    }

    protected static async Task<Answer> PostAsync(HttpClient client, JsonNode message)
    {
        using var response = await client.PostMessageAsync(message);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var ids = await response.Content.ReadFromJsonAsync<PostMessageResponse>(Api.Json, Ct);
        Assert.NotNull(ids);
        return new Answer(response.StatusCode, (ids.ConversationId, ids.MessageId, ids.CustomerId));
    }

    /// <summary>Starts every request, then releases them together, so they truly overlap.</summary>
    protected static async Task<Answer[]> AllAtOnceAsync(IEnumerable<Func<Task<Answer>>> requests)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = requests.Select(request => Task.Run(async () =>
        {
            await start.Task;
            return await request();
        }, Ct)).ToList();
        start.SetResult();
        return await Task.WhenAll(running);
    }

    protected sealed record Answer(HttpStatusCode Status, (long ConversationId, long MessageId, long CustomerId) Ids);
}

public sealed class SqliteConcurrencySpec : ConcurrencySpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}

public sealed class PostgresConcurrencySpec(PostgresDatabase database) : ConcurrencySpec, IClassFixture<PostgresDatabase>
{
    /// <summary>
    /// Intake runs one writer per process, so within a node messages never race; across nodes only the
    /// database's unique indexes on (channel, external id) and (channel, handle) stand between them.
    /// </summary>
    [Fact]
    public async Task Two_nodes_posting_the_same_messages_at_once_store_each_exactly_once_for_one_customer()
    {
        await using var nodeA = await CreateAppAsync();
        await using var nodeB = await CreateAppAsync();
        var clientA = nodeA.CreateApiClient();
        var clientB = nodeB.CreateApiClient();
        var handle = Api.Unique("two.nodes");
        var messages = Enumerable.Range(0, Parallel / 2)
            .Select(i => Api.Message(Api.Unique($"x{i}"), $"Tweet {i}", channel: "x", handle: handle))
            .ToList();

        var answers = await AllAtOnceAsync(messages.SelectMany(m => new Func<Task<Answer>>[] { () => PostAsync(clientA, m), () => PostAsync(clientB, m) }));

        await using var db = await nodeA.OpenDbAsync();
        for (var i = 0; i < messages.Count; i++)
        {
            var (a, b) = (answers[2 * i], answers[(2 * i) + 1]);
            Assert.Equal(a.Ids, b.Ids);
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], new[] { a.Status, b.Status }.Order());
            var externalId = messages[i]["externalId"]!.GetValue<string>();
            var stored = await db.Messages.Where(m => m.Channel == Channel.X && m.ExternalId == externalId).ToListAsync(Ct);
            Assert.Equal(a.Ids.MessageId, Assert.Single(stored).Id);
        }
        var customerId = Assert.Single(answers.Select(a => a.Ids.CustomerId).Distinct());
        Assert.Equal(customerId, (await db.CustomerIdentities.SingleAsync(i => i.Channel == Channel.X && i.Handle == handle, Ct)).CustomerId);
    }

    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        database.CreateAppAsync(settings, time);
}
