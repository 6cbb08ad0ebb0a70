using System.Data.Common;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Intake;

/// <summary>Group commit threads a whole batch at once; the outcome must be what threading the messages one by one gives.</summary>
public sealed class BatchThreadingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static InboundMessage Instagram(string externalId, string handle, string? email = null, string text = "Hvor er pakken min?") =>
        new(Channel.Instagram, externalId, new CustomerReference("Kari Nordmann", email, handle), text, s_now);

    private static InboundMessage Email(string externalId, string email) =>
        new(Channel.Email, externalId, new CustomerReference("Kari Nordmann", email, null), "The coat is too small.", s_now);

    private static async Task<IntakeOutcome[]> ThreadAsync(TestApp app, params InboundMessage[] batch)
    {
        await using var db = await app.OpenDbAsync();
        return await new BatchThreading(db, batch, s_now).RunAsync();
    }

    [Fact]
    public async Task Recent_contacts_count_stored_messages_up_to_the_threshold_triage_asks_about_plus_those_earlier_in_the_batch()
    {
        await using var app = TestApp.Sqlite();
        // Kari wrote three times before (more than the threshold), Ola once, Siri not within the window.
        await ThreadAsync(app, Instagram("ig-1", "@kari"), Instagram("ig-2", "@kari"), Instagram("ig-3", "@kari"), Instagram("ig-4", "@ola"));
        await using (var old = await app.OpenDbAsync())
        {
            await new BatchThreading(old, [Instagram("ig-5", "@siri") with { SentAt = s_now.AddDays(-30) }], s_now.AddDays(-30)).RunAsync();
        }

        await using var db = await app.OpenDbAsync();
        var threading = new BatchThreading(db,
            [Instagram("ig-6", "@kari"), Instagram("ig-7", "@ola"), Instagram("ig-8", "@ola"), Instagram("ig-9", "@siri"), Instagram("ig-10", "@nils")],
            s_now, s_now.AddDays(-7));
        await threading.ThreadAsync();

        var counts = threading.Created.Select(threading.RecentContactsBefore).ToArray();
        Assert.Equal([MemberCare.Features.Triage.UrgencyRules.RepeatedContacts, 1, 2, 0, 0], counts);
    }

    [Fact]
    public async Task A_new_customer_writing_twice_in_one_batch_gets_one_customer_and_one_conversation()
    {
        await using var app = TestApp.Sqlite();

        var outcomes = await ThreadAsync(app, Instagram("ig-1", "@kari"), Instagram("ig-2", "KARI"));

        Assert.All(outcomes, o => Assert.True(o.Created));
        Assert.Equal(outcomes[0].CustomerId, outcomes[1].CustomerId);
        Assert.Equal(outcomes[0].ConversationId, outcomes[1].ConversationId);
        Assert.NotEqual(outcomes[0].MessageId, outcomes[1].MessageId);
        await using var db = await app.OpenDbAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1, await db.Customers.CountAsync(ct));
        Assert.Equal(2, (await db.Conversations.SingleAsync(ct)).MessageCount);
        Assert.Equal("kari", (await db.CustomerIdentities.SingleAsync(ct)).Handle);
    }

    [Fact]
    public async Task A_message_repeated_in_one_batch_is_stored_once_and_both_answers_carry_the_same_ids()
    {
        await using var app = TestApp.Sqlite();

        var outcomes = await ThreadAsync(app, Instagram("ig-1", "@kari"), Instagram("ig-1", "@kari"));

        Assert.True(outcomes[0].Created);
        Assert.False(outcomes[1].Created);
        Assert.Equal(outcomes[0] with { Created = false }, outcomes[1]);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.Messages.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_message_stored_by_an_earlier_batch_answers_with_its_ids()
    {
        await using var app = TestApp.Sqlite();
        var first = await ThreadAsync(app, Instagram("ig-1", "@kari"));

        var again = await ThreadAsync(app, Instagram("ig-2", "@kari"), Instagram("ig-1", "@kari"));

        Assert.Equal(first[0] with { Created = false }, again[1]);
        Assert.True(again[0].Created);
        Assert.Equal(first[0].ConversationId, again[0].ConversationId);
    }

    [Fact]
    public async Task A_customer_known_by_e_mail_is_found_from_another_channel_and_gains_the_handle()
    {
        await using var app = TestApp.Sqlite();
        var byEmail = await ThreadAsync(app, Email("mail-1", "Kari@Example.no"));

        var outcomes = await ThreadAsync(app, Instagram("ig-1", "@kari", email: "kari@example.no"), Instagram("ig-2", "@kari"));

        Assert.Equal(byEmail[0].CustomerId, outcomes[0].CustomerId);
        Assert.Equal(byEmail[0].CustomerId, outcomes[1].CustomerId);
        Assert.NotEqual(byEmail[0].ConversationId, outcomes[0].ConversationId);
        Assert.Equal(outcomes[0].ConversationId, outcomes[1].ConversationId);
        await using var db = await app.OpenDbAsync();
        var identities = await db.CustomerIdentities.OrderBy(i => i.Channel).Select(i => new { i.Channel, i.Handle, i.CustomerId })
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            [$"Email kari@example.no {byEmail[0].CustomerId}", $"Instagram kari {byEmail[0].CustomerId}"],
            identities.Select(i => $"{i.Channel} {i.Handle} {i.CustomerId}"));
    }

    [Fact]
    public async Task A_handle_another_customer_owns_is_left_with_its_owner()
    {
        await using var app = TestApp.Sqlite();
        var owner = await ThreadAsync(app, Instagram("ig-1", "@kari"));
        var other = await ThreadAsync(app, Email("mail-1", "ola@example.no"));

        var outcomes = await ThreadAsync(app, Instagram("ig-2", "@kari", email: "ola@example.no"));

        Assert.Equal(owner[0].CustomerId, outcomes[0].CustomerId);
        await using var db = await app.OpenDbAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(other[0].CustomerId, (await db.CustomerIdentities.SingleAsync(i => i.Channel == Channel.Email, ct)).CustomerId);
        Assert.Equal(2, await db.CustomerIdentities.CountAsync(ct));
    }

    [Fact]
    public async Task Messages_after_resolution_open_one_new_conversation()
    {
        await using var app = TestApp.Sqlite();
        var ct = TestContext.Current.CancellationToken;
        var first = await ThreadAsync(app, Instagram("ig-1", "@kari"));
        await using (var db = await app.OpenDbAsync())
        {
            var conversation = await db.Conversations.SingleAsync(ct);
            Assert.True(conversation.TryMoveTo(ConversationStatus.Resolved, s_now));
            await db.SaveChangesAsync(ct);
        }

        var outcomes = await ThreadAsync(app, Instagram("ig-2", "@kari"), Instagram("ig-3", "@kari"));

        Assert.Equal(first[0].CustomerId, outcomes[0].CustomerId);
        Assert.NotEqual(first[0].ConversationId, outcomes[0].ConversationId);
        Assert.Equal(outcomes[0].ConversationId, outcomes[1].ConversationId);
    }

    [Fact]
    public async Task A_message_that_cannot_be_stored_does_not_fail_its_batch_mates()
    {
        await using var app = TestApp.Sqlite();
        var writer = app.Services.GetRequiredService<IntakeWriter>();
        var ct = TestContext.Current.CancellationToken;
        var messages = Enumerable.Range(1, 20)
            .Select(i => Instagram($"ig-{i}", $"@customer{i % 5}", text: i == 7 ? " " : "Hei!"))
            .ToList();

        var submitted = messages.Select(m => writer.SubmitAsync(m, ct)).ToList();
        var failed = await Assert.ThrowsAsync<IntakeUnavailableException>(() => submitted[6]);
        await Task.WhenAll(submitted.Where((_, i) => i != 6));

        Assert.IsType<ArgumentException>(failed.InnerException);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(19, await db.Messages.CountAsync(ct));
        Assert.Equal(5, await db.Conversations.CountAsync(ct));
    }

    [Fact]
    public async Task Fifty_concurrent_submissions_of_one_message_store_it_once()
    {
        await using var app = TestApp.Sqlite();
        var writer = app.Services.GetRequiredService<IntakeWriter>();
        var ct = TestContext.Current.CancellationToken;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => writer.SubmitAsync(Instagram("ig-1", "@kari"), ct), ct)));

        Assert.Single(outcomes, o => o.Created);
        Assert.Single(outcomes.Select(o => o with { Created = false }).Distinct());
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.Messages.CountAsync(ct));
    }

    [Fact]
    public async Task A_batch_whose_save_fails_halfway_leaves_nothing_behind_and_is_stored_one_by_one()
    {
        await using var app = TestApp.Sqlite();
        var clash = new IdentityClashOnce();
        await using var node = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.ConfigureDbContext<MemberCareDb>(o => o.AddInterceptors(clash))));
        var writer = node.Services.GetRequiredService<IntakeWriter>();
        var ct = TestContext.Current.CancellationToken;

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => writer.SubmitAsync(Instagram($"ig-{i}", $"@customer{i}"), ct)));

        Assert.True(clash.Fired);
        Assert.All(outcomes, o => Assert.True(o.Created));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(10, await db.Messages.CountAsync(ct));
        Assert.Equal(10, await db.Customers.CountAsync(ct));
        Assert.Equal(10, await db.CustomerIdentities.CountAsync(ct));
    }

    /// <summary>
    /// Plays another node: right after the batch has looked up its identities, and inside the batch's transaction,
    /// someone else takes the last message's handle, so the batch's own INSERT of that identity fails on the
    /// unique index after some of its rows are written. Once only.
    /// </summary>
    private sealed class IdentityClashOnce : DbCommandInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (!Fired && command.CommandText.Contains("FROM \"CustomerIdentities\"", StringComparison.Ordinal) && eventData.Context is { } db)
            {
                Fired = true;
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "Customers" ("CreatedAt", "LifetimeValue", "Name", "Tier") VALUES (0, 0, 'Someone else', 'Standard')""");
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "CustomerIdentities" ("Channel", "CustomerId", "Handle") VALUES ('Instagram', last_insert_rowid(), 'customer10')""");
            }
            return result;
        }
    }
}
