using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using MemberCare.Features.Spikes;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Spikes;

/// <summary>The detector's watermark and slice links on a real PostgreSQL database, each test on a database of its own.</summary>
public sealed class SpikeWatermarkPostgresTests(PostgresCluster cluster) : IAsyncDisposable
{
    private readonly List<string> _databases = [];

    private async Task<TestApp> AppAsync(FakeTimeProvider time)
    {
        var connection = await cluster.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _databases.Add(connection);
        var app = TestApp.Postgres(connection, SpikeDetectionTests.Manual, time);
        app.CreateClient();
        return app;
    }

    [Fact]
    public async Task A_message_committed_after_a_higher_id_on_another_connection_is_still_counted_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start);
        await using var app = await AppAsync(time);
        var detector = app.Services.GetRequiredService<SpikeDetector>();
        var customerId = await CustomerAsync(app);
        var at = CareTraffic.Start + TimeSpan.FromMinutes(1);
        time.SetUtcNow(at + TimeSpan.FromSeconds(1));
        Message Received(MemberCareDb db, string key) => Receive(db, customerId, key, at);

        // Node A takes the lower id and holds its transaction open; node B takes the next id and commits first.
        await using var nodeA = await app.OpenDbAsync();
        await using var a = await nodeA.Database.BeginTransactionAsync(ct);
        var early = Received(nodeA, "node-a");
        await nodeA.SaveChangesAsync(ct);
        await using (var nodeB = await app.OpenDbAsync())
        {
            var late = Received(nodeB, "node-b");
            await nodeB.SaveChangesAsync(ct);
            Assert.True(late.Id > early.Id);
        }

        var first = await detector.RunOnceAsync(ct);
        Assert.Equal(1, first.Messages);
        await using (var db = await app.OpenDbAsync())
        {
            Assert.Equal([early.Id], await db.SpikeGaps.Select(g => g.MessageId).ToListAsync(ct));
        }
        // A pass while A is still open neither counts nor forgets it.
        Assert.Equal(0, (await detector.RunOnceAsync(ct)).Messages);

        await a.CommitAsync(ct);
        var second = await detector.RunOnceAsync(ct);
        Assert.Equal(1, second.Messages);
        Assert.Equal(0, (await detector.RunOnceAsync(ct)).Messages);
        await using (var db = await app.OpenDbAsync())
        {
            Assert.Equal(2, await db.SpikeBuckets.Where(b => b.Signature == "damaged_item|sku:TS-150").SumAsync(b => b.Count, ct));
            Assert.Empty(await db.SpikeGaps.ToListAsync(ct));
            var ids = (await db.SpikeBuckets.SingleAsync(b => b.Signature == "damaged_item|sku:TS-150", ct)).LinkedIds().Order();
            Assert.Equal([early.Id, early.Id + 1], ids);
        }
    }

    [Fact]
    public async Task An_id_that_never_commits_is_forgotten_after_the_gap_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(CareTraffic.Start + TimeSpan.FromMinutes(1));
        await using var app = await AppAsync(time);
        var customerId = await CustomerAsync(app);
        var at = time.GetUtcNow();
        await using (var nodeA = await app.OpenDbAsync())
        {
            await using var rolledBack = await nodeA.Database.BeginTransactionAsync(ct);
            Receive(nodeA, customerId, "rolled-back", at);
            await nodeA.SaveChangesAsync(ct);
            await rolledBack.RollbackAsync(ct);
        }
        await using (var nodeB = await app.OpenDbAsync())
        {
            Receive(nodeB, customerId, "committed", at);
            await nodeB.SaveChangesAsync(ct);
        }
        var detector = app.Services.GetRequiredService<SpikeDetector>();
        Assert.Equal(1, (await detector.RunOnceAsync(ct)).Messages);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.SpikeGaps.CountAsync(ct));
        time.Advance(TimeSpan.FromMinutes(1));
        await detector.RunOnceAsync(ct);
        Assert.Equal(1, await db.SpikeGaps.CountAsync(ct));
        time.Advance(TimeSpan.FromMinutes(2));
        await detector.RunOnceAsync(ct);
        Assert.Equal(0, await db.SpikeGaps.CountAsync(ct));
    }

    [Fact]
    public async Task A_slice_links_exactly_its_first_hundred_messages_however_the_batches_fall_on_PostgreSQL()
    {
        await using var app = await AppAsync(new FakeTimeProvider(CareTraffic.Start));
        await SpikeDetectionTests.AssertLinkCapAsync(app);
    }

    private static async Task<long> CustomerAsync(TestApp app)
    {
        await using var db = await app.OpenDbAsync();
        var customer = Customer.Create("Two Nodes", "two-nodes@example.com", CareTraffic.Start);
        db.Customers.Add(customer);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return customer.Id;
    }

    private static Message Receive(MemberCareDb db, long customerId, string key, DateTimeOffset at)
    {
        var conversation = Conversation.Start(customerId, Channel.Email, key, null, at);
        var message = conversation.ReceiveInbound(key, $"the heel came off my boots TS-150, {key}", at, null, null, at);
        message.RecordTriage(new MessageTriage("damaged_item", 0.9, "negative", "en", "normal", """{"orderNumbers":[],"skus":["TS-150"]}""", "warehouse", "test"), at);
        db.Conversations.Add(conversation);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _databases)
        {
            await cluster.DropDatabaseAsync(connection);
        }
    }
}
