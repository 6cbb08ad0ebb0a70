using System.Net;
using System.Net.Http.Json;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Orders;
using MemberCare.Features.Conversations;
using MemberCare.Features.Demo;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Demo;

/// <summary>One seeded demo store, read by every test of the class.</summary>
public sealed class SeededDemoStore : IAsyncLifetime
{
    public TestApp App { get; } = TestApp.Sqlite();

    public DemoSummary Summary { get; private set; } = null!;

    public DateTimeOffset SeededAt { get; private set; }

    public async ValueTask InitializeAsync()
    {
        SeededAt = TimeProvider.System.GetUtcNow();
        Summary = await App.Services.GetRequiredService<DemoStore>().SeedAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

public sealed class DemoStoreTests(SeededDemoStore demo) : IClassFixture<SeededDemoStore>
{
    private static readonly string[] s_concernTypes =
    [
        "where_is_my_order", "wrong_or_missing_item", "damaged_item", "product_quality", "sizing_fit", "not_as_described",
        "style_feedback", "return_refund", "order_change", "payment_billing", "website_app", "account", "product_question",
        "service_complaint", "praise", "other",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeding_creates_about_200_customers_and_500_conversations()
    {
        await using var db = await demo.App.OpenDbAsync();
        Assert.Equal(200, await db.Customers.CountAsync(Ct));
        Assert.Equal(500, await db.Conversations.CountAsync(Ct));
        Assert.InRange(await db.Orders.CountAsync(Ct), 400, 1200);
        Assert.Equal(demo.Summary.Messages, await db.Messages.CountAsync(Ct));
        Assert.Equal(9, await db.Departments.CountAsync(Ct));
    }

    [Fact]
    public async Task Demo_conversations_cover_both_languages_every_channel_every_status_and_every_concern_type()
    {
        await using var db = await demo.App.OpenDbAsync();
        var conversations = await db.Conversations.Select(c => new { c.Language, c.Channel, c.Status, c.ConcernType, c.Sentiment }).ToListAsync(Ct);

        Assert.Equal(["en", "no"], conversations.Select(c => c.Language).Distinct().Order());
        Assert.InRange(conversations.Count(c => c.Language == "en"), 150, 350);
        Assert.InRange(conversations.Count(c => c.Language == "no"), 150, 350);
        Channel[] channels = [Channel.Email, Channel.Chat, Channel.Instagram, Channel.Facebook, Channel.Messenger, Channel.X, Channel.Review, Channel.WebForm];
        Assert.All(channels, channel => Assert.Contains(conversations, c => c.Channel == channel));
        Assert.All(Enum.GetValues<ConversationStatus>(), status => Assert.True(conversations.Count(c => c.Status == status) >= 20, $"few {status}"));
        Assert.Equal(s_concernTypes.Order(), conversations.Select(c => c.ConcernType!).Distinct().Order());
        Assert.Equal(["negative", "neutral", "positive"], conversations.Select(c => c.Sentiment!).Distinct().Order());
    }

    [Fact]
    public async Task Demo_threads_hold_one_to_six_messages_from_minutes_to_sixty_days_ago()
    {
        await using var db = await demo.App.OpenDbAsync();
        var conversations = await db.Conversations.Select(c => new { c.Id, c.CreatedAt, c.LastMessageAt, c.MessageCount, c.Status }).ToListAsync(Ct);
        var messages = await db.Messages.Select(m => new { m.ConversationId, m.Direction, m.CreatedAt }).ToListAsync(Ct);
        var seededAt = demo.SeededAt;

        Assert.All(Enumerable.Range(1, 6), length => Assert.Contains(conversations, c => c.MessageCount == length));
        Assert.All(conversations, c => Assert.InRange(c.MessageCount, 1, 6));
        Assert.All(conversations, c => Assert.InRange(c.CreatedAt, seededAt.AddDays(-61), seededAt));
        Assert.Contains(conversations, c => c.CreatedAt > seededAt.AddHours(-1));
        Assert.Contains(conversations, c => c.CreatedAt < seededAt.AddDays(-45));
        Assert.All(messages, m => Assert.True(m.CreatedAt <= seededAt.AddMinutes(1), "a message from the future"));
        Assert.Contains(messages, m => m.Direction == MessageDirection.Note);
        Assert.Contains(messages, m => m.Direction == MessageDirection.Outbound);
        var byConversation = messages.ToLookup(m => m.ConversationId);
        Assert.All(conversations.Where(c => c.Status == ConversationStatus.New), c =>
            Assert.All(byConversation[c.Id], m => Assert.Equal(MessageDirection.Inbound, m.Direction)));
        Assert.All(conversations.Where(c => c.Status == ConversationStatus.WaitingOnDepartment), c =>
            Assert.Contains(byConversation[c.Id], m => m.Direction == MessageDirection.Note));
    }

    [Fact]
    public async Task Demo_messages_read_like_customers_and_agents_with_every_placeholder_filled()
    {
        await using var db = await demo.App.OpenDbAsync();
        var texts = await db.Messages.Select(m => m.Text).ToListAsync(Ct);
        var subjects = await db.Conversations.Where(c => c.Subject != null).Select(c => c.Subject!).ToListAsync(Ct);

        Assert.All(texts.Concat(subjects), text => Assert.DoesNotMatch(@"\{[a-z_0-9]+\}", text));
        Assert.True(texts.Distinct().Count() > texts.Count * 0.6, "too many identical messages");
        Assert.Contains(texts, t => t.Contains("ordre", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_inbound_messages_have_external_ids_unique_per_channel()
    {
        await using var db = await demo.App.OpenDbAsync();
        var inbound = await db.Messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => new { m.Channel, m.ExternalId }).ToListAsync(Ct);

        Assert.All(inbound, m => Assert.StartsWith("demo-", m.ExternalId));
        Assert.Equal(inbound.Count, inbound.Distinct().Count());
    }

    [Fact]
    public async Task Demo_customers_have_identities_on_the_channels_they_write_from()
    {
        await using var db = await demo.App.OpenDbAsync();
        var identities = await db.CustomerIdentities.Select(i => new { i.CustomerId, i.Channel }).ToListAsync(Ct);
        var conversations = await db.Conversations.Select(c => new { c.CustomerId, c.Channel }).ToListAsync(Ct);
        var customers = await db.Customers.Select(c => new { c.Id, c.Name, c.Email, c.Phone }).ToListAsync(Ct);

        Channel[] channels = [Channel.Email, Channel.Instagram, Channel.Facebook, Channel.X, Channel.Phone, Channel.Messenger];
        Assert.All(channels, channel => Assert.Contains(identities, i => i.Channel == channel));
        Assert.True(identities.Count > customers.Count * 2, "customers should be known on several channels");
        var byCustomer = identities.ToLookup(i => i.CustomerId);
        foreach (var conversation in conversations)
        {
            var expected = conversation.Channel is Channel.Chat or Channel.WebForm or Channel.Review ? Channel.Email : conversation.Channel;
            Assert.Contains(byCustomer[conversation.CustomerId], i => i.Channel == expected);
        }
        Assert.All(customers.Where(c => c.Email is not null), c => Assert.Matches(@"^[a-z0-9._]+@example\.(com|net|org)$", c.Email));
        Assert.Contains(customers, c => c.Name.Contains('ø', StringComparison.Ordinal) || c.Name.Contains('å', StringComparison.Ordinal) || c.Name.Contains('æ', StringComparison.Ordinal));
        Assert.Contains(customers, c => c.Phone?.StartsWith("+47 ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Demo_lifetime_values_and_tiers_follow_from_the_orders()
    {
        await using var db = await demo.App.OpenDbAsync();
        var customers = await db.Customers.Select(c => new { c.Id, c.LifetimeValue, c.Tier }).ToListAsync(Ct);
        var orders = await db.Orders.Include(o => o.Lines).ToListAsync(Ct);
        var byCustomer = orders.ToLookup(o => o.CustomerId);

        foreach (var customer in customers)
        {
            var expected = byCustomer[customer.Id].Where(o => Order.CountsTowardLifetimeValue(o.Status)).Sum(o => o.Total);
            Assert.Equal(expected, customer.LifetimeValue);
            Assert.Equal(DemoShop.TierFor(expected), customer.Tier);
        }
        Assert.True(customers.Select(c => c.Tier).Distinct().Count() == 4, "every tier should occur");
    }

    [Fact]
    public async Task Demo_orders_have_fashion_lines_and_shipped_orders_have_a_carrier_and_a_warehouse()
    {
        await using var db = await demo.App.OpenDbAsync();
        var orders = await db.Orders.Include(o => o.Lines).ToListAsync(Ct);
        var lines = orders.SelectMany(o => o.Lines).ToList();

        Assert.All(orders, o => Assert.NotEmpty(o.Lines));
        Assert.All(lines, l => Assert.Matches(@"^[A-Z]+(-[A-Z]+)?-[A-Z]{3}-[A-Z0-9]+$", l.Sku));
        Assert.All(lines, l => Assert.False(string.IsNullOrEmpty(l.Size) || string.IsNullOrEmpty(l.Colour) || string.IsNullOrEmpty(l.Supplier)));
        Assert.Contains(lines, l => l.Sku == $"LIN-SHIRT-{l.Sku.Split('-')[2]}-{l.Size}");
        Assert.InRange(lines.Select(l => l.Supplier).Distinct().Count(), 5, 8);
        Assert.All(orders, o => Assert.Equal("NOK", o.Currency));
        Assert.Equal(
            ["Bring", "Helthjem", "PostNord", "Posten"],
            orders.Where(o => o.Carrier is not null).Select(o => o.Carrier!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(orders.Where(o => o.Status is OrderStatus.Shipped or OrderStatus.Delivered), o =>
        {
            Assert.NotNull(o.Carrier);
            Assert.NotNull(o.Warehouse);
            Assert.True(o.ShippedAt >= o.PlacedAt);
        });
        Assert.All(orders.Where(o => o.DeliveredAt is not null), o => Assert.True(o.DeliveredAt >= o.ShippedAt));
        Assert.All(Enum.GetValues<OrderStatus>(), status => Assert.Contains(orders, o => o.Status == status));
    }

    [Fact]
    public async Task Demo_conversations_about_an_order_refer_to_one_of_the_customers_orders()
    {
        await using var db = await demo.App.OpenDbAsync();
        var references = await db.Conversations.Where(c => c.OrderNumber != null).Select(c => new { c.CustomerId, c.OrderNumber, c.CreatedAt }).ToListAsync(Ct);
        var orders = await db.Orders.Select(o => new { o.CustomerId, o.Number, o.PlacedAt }).ToDictionaryAsync(o => o.Number, Ct);

        Assert.True(references.Count > 250, $"only {references.Count} conversations refer to an order");
        Assert.All(references, r =>
        {
            var order = orders[r.OrderNumber!];
            Assert.Equal(r.CustomerId, order.CustomerId);
            Assert.True(order.PlacedAt < r.CreatedAt, "the order comes before the conversation about it");
        });
    }

    [Fact]
    public async Task The_api_lists_demo_conversations_and_shows_one_with_its_messages_customer_and_orders()
    {
        var client = demo.App.CreateApiClient();

        var page = await client.GetFromJsonAsync<ConversationPage>("/api/v1/conversations?status=waiting_on_department&limit=5", Ct);
        Assert.NotNull(page);
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, c => Assert.Equal("waiting_on_department", c.Status));
        Assert.NotNull(page.NextCursor);

        var withOrder = (await client.GetFromJsonAsync<ConversationPage>("/api/v1/conversations?channel=email&limit=50", Ct))!.Items.First(c => c.OrderNumber is not null);
        var response = await client.GetAsync($"/api/v1/conversations/{withOrder.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await response.Content.ReadFromJsonAsync<ConversationDetail>(Ct);
        Assert.NotNull(detail);
        Assert.NotEmpty(detail.Messages);
        Assert.Equal(withOrder.CustomerName, detail.Customer.Name);
        Assert.Contains(detail.Orders, o => o.Number == withOrder.OrderNumber && o.Lines.Count > 0);
    }
}

public sealed class DemoSeedingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeding_twice_replaces_the_demo_data_and_keeps_the_departments()
    {
        await using var app = TestApp.Sqlite();
        var store = app.Services.GetRequiredService<DemoStore>();

        var first = await store.SeedAsync(Ct);
        long firstCustomerId;
        await using (var db = await app.OpenDbAsync())
        {
            firstCustomerId = await db.Customers.MinAsync(c => c.Id, Ct);
        }
        var second = await store.SeedAsync(Ct);

        await using var after = await app.OpenDbAsync();
        Assert.Equal(first with { Elapsed = default }, second with { Elapsed = default });
        Assert.Equal(200, await after.Customers.CountAsync(Ct));
        Assert.Equal(500, await after.Conversations.CountAsync(Ct));
        Assert.Equal(first.Orders, await after.Orders.CountAsync(Ct));
        Assert.Equal(first.Messages, await after.Messages.CountAsync(Ct));
        Assert.Equal(9, await after.Departments.CountAsync(Ct));
        Assert.False(await after.Customers.AnyAsync(c => c.Id == firstCustomerId, Ct));
    }

    [Fact]
    public async Task The_seed_demo_verb_recreates_the_demo_store()
    {
        var folder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, await MemberCare.Hosting.Verbs.RunAsync(["seed-demo", "--Database:DataFolder", folder]));
            Assert.Equal(0, await MemberCare.Hosting.Verbs.RunAsync(["seed-demo", "--Database:DataFolder", folder]));

            await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Database:DataFolder"] = folder });
            await using var db = await app.OpenDbAsync();
            Assert.Equal(200, await db.Customers.CountAsync(Ct));
            Assert.Equal(500, await db.Conversations.CountAsync(Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_first_start_seeds_an_empty_database_and_a_later_start_leaves_the_data_alone()
    {
        var folder = Path.Combine(Path.GetTempPath(), "membercare-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Database:DataFolder"] = folder, ["Demo:SeedOnFirstStart"] = "true" };
        try
        {
            await using (var first = TestApp.Sqlite(settings))
            {
                await using var db = await first.OpenDbAsync();
                Assert.Equal(500, await db.Conversations.CountAsync(Ct));
                await db.Conversations.Where(c => c.Status == ConversationStatus.Closed).ExecuteDeleteAsync(Ct);
            }
            await using var second = TestApp.Sqlite(settings);
            await using var again = await second.OpenDbAsync();
            Assert.True(await again.Conversations.CountAsync(Ct) < 500, "a later start must not seed again");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_start_with_the_demo_turned_off_leaves_the_database_empty()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Demo:SeedOnFirstStart"] = "false" });
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Conversations.AnyAsync(Ct));
        Assert.Equal(9, await db.Departments.CountAsync(Ct));
    }
}
