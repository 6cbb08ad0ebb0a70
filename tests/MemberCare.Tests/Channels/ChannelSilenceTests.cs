using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MemberCare.Channels.Health;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;
using MemberCare.Tests.Support;
using MemberCare.Tests.Workspace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Channels;

/// <summary>The care team (member_care) works Monday to Friday 08:00-16:00 in Oslo, UTC+1 in November.</summary>
public sealed class ChannelSilenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Dictionary<string, string?> Settings => new(ChatAndReviewTests.ChatSettings)
    {
        // The tests call the check themselves; the node's own timer stays out of the way while the clock moves days.
        ["Channels:SilenceCheckEvery"] = "40.00:00:00",
        ["Channels:Silence:Default"] = "02:00:00",
        ["Channels:Silence:Shopify"] = "08:00:00",
    };

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_channel_silent_for_longer_than_its_threshold_in_business_hours_alerts_the_leads_once()
    {
        var time = new FakeTimeProvider(Utc(23, 8));
        await using var app = TestApp.Sqlite(Settings, time);
        var lead = await StaffSession.CreateAsync(app, Api.Unique("lena"), "lead");
        var agent = await StaffSession.CreateAsync(app, Api.Unique("anna"), "agent");
        var health = app.Services.GetRequiredService<ChannelHealthLog>();
        var watch = app.Services.GetRequiredService<SilenceWatch>();
        await health.RecordDeliveryAsync(WebhookSource.Meta, Utc(23, 8), Ct);
        await health.RecordDeliveryAsync(WebhookSource.Shopify, Utc(23, 8), Ct);

        time.SetUtcNow(Utc(23, 9, 59));
        var early = await watch.CheckAsync(Ct);
        time.SetUtcNow(Utc(23, 10, 1));
        var raised = await watch.CheckAsync(Ct);
        time.SetUtcNow(Utc(23, 11));
        var again = await watch.CheckAsync(Ct);
        var report = await app.CreateApiClient().GetFromJsonAsync<JsonObject>("/api/v1/channels/health", Ct);

        Assert.Empty(early);
        Assert.Equal([WebhookSource.Meta], raised);
        Assert.Empty(again);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.ChannelSilences.CountAsync(Ct));
        var notices = await db.StaffNotifications.Where(n => n.UserId == lead).ToListAsync(Ct);
        Assert.Contains("meta", Assert.Single(notices).Text, StringComparison.Ordinal);
        Assert.Null(notices[0].ConversationId);
        Assert.False(await db.StaffNotifications.AnyAsync(n => n.UserId == agent, Ct));
        var rows = report!["channels"]!.AsArray();
        Assert.True(Row(rows, "meta")["silent"]!.GetValue<bool>());
        Assert.False(Row(rows, "shopify")["silent"]!.GetValue<bool>());
        Assert.False(Row(rows, "chat")["silent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Silence_overnight_or_at_the_weekend_does_not_alert_and_only_business_time_counts()
    {
        // Friday 27 November, 15:00 in Oslo: one business hour is left that week.
        var time = new FakeTimeProvider(Utc(27, 14));
        await using var app = TestApp.Sqlite(Settings, time);
        var health = app.Services.GetRequiredService<ChannelHealthLog>();
        var watch = app.Services.GetRequiredService<SilenceWatch>();
        await health.RecordDeliveryAsync(WebhookSource.X, Utc(27, 14), Ct);

        var quiet = new List<WebhookSource>();
        foreach (var at in new[] { Utc(27, 20), Utc(28, 10), Utc(29, 12), Utc(30, 6), Utc(30, 7, 55) })
        {
            time.SetUtcNow(at);
            quiet.AddRange(await watch.CheckAsync(Ct));
        }
        time.SetUtcNow(Utc(30, 8, 5));
        var monday = await watch.CheckAsync(Ct);

        Assert.Empty(quiet);
        Assert.Equal([WebhookSource.X], monday);
    }

    [Fact]
    public async Task Traffic_resuming_clears_the_alert_and_a_later_silence_is_a_new_episode()
    {
        var time = new FakeTimeProvider(Utc(23, 8));
        await using var app = TestApp.Sqlite(Settings, time);
        var health = app.Services.GetRequiredService<ChannelHealthLog>();
        var watch = app.Services.GetRequiredService<SilenceWatch>();
        var api = app.CreateApiClient();
        await health.RecordDeliveryAsync(WebhookSource.Meta, Utc(23, 8), Ct);
        time.SetUtcNow(Utc(23, 10, 30));
        Assert.Equal([WebhookSource.Meta], await watch.CheckAsync(Ct));

        time.SetUtcNow(Utc(23, 10, 40));
        await health.RecordDeliveryAsync(WebhookSource.Meta, Utc(23, 10, 40), Ct);
        var resumed = await api.GetFromJsonAsync<JsonObject>("/api/v1/channels/health", Ct);
        time.SetUtcNow(Utc(23, 10, 45));
        Assert.Empty(await watch.CheckAsync(Ct));
        time.SetUtcNow(Utc(23, 12, 45));
        var later = await watch.CheckAsync(Ct);

        var meta = Row(resumed!["channels"]!.AsArray(), "meta");
        Assert.False(meta["silent"]!.GetValue<bool>());
        Assert.Equal(Utc(23, 10, 40), meta["lastEventAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal([WebhookSource.Meta], later);
        await using var db = await app.OpenDbAsync();
        var episodes = await db.ChannelSilences.OrderBy(s => s.Id).ToListAsync(Ct);
        Assert.Equal(2, episodes.Count);
        Assert.Equal(Utc(23, 10, 45), episodes[0].ClearedAt);
        Assert.Null(episodes[1].ClearedAt);
    }

    [Fact]
    public async Task A_chat_message_a_wrong_site_key_and_an_invalid_message_are_recorded()
    {
        var time = new FakeTimeProvider(Utc(23, 8));
        await using var app = TestApp.Sqlite(Settings, time);
        var visitor = app.CreateClient();
        var api = app.CreateApiClient();
        using var session = await visitor.PostAsJsonAsync("/api/v1/chat/sessions", new { key = ChatAndReviewTests.SiteKey }, Ct);
        var token = (await session.Content.ReadFromJsonAsync<JsonObject>(Ct))!["token"]!.GetValue<string>();
        using var posted = await visitor.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = ChatAndReviewTests.SiteKey, clientId = "c1", text = "Is the coat lined?" }, Ct);
        using var wrongKey = await visitor.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = "not-the-key", clientId = "c2", text = "Hello" }, Ct);
        using var empty = await visitor.PostAsJsonAsync($"/api/v1/chat/{token}/messages", new { key = ChatAndReviewTests.SiteKey, clientId = "c3", text = "" }, Ct);

        var report = await api.GetFromJsonAsync<JsonObject>("/api/v1/channels/health", Ct);

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var chat = Row(report!["channels"]!.AsArray(), "chat");
        Assert.Equal(Utc(23, 8), chat["lastEventAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(1, chat["eventsLast24Hours"]!.GetValue<int>());
        Assert.Equal(1, chat["signatureFailures"]!.GetValue<long>());
        Assert.Equal(1, chat["refusedDeliveries"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_review_import_records_its_event_and_its_refused_rows()
    {
        var time = new FakeTimeProvider(Utc(23, 8));
        await using var app = TestApp.Sqlite(Settings, time);
        var api = app.CreateApiClient();
        const string csv = "review_id,rating,sku,reviewer,email,title,body,created_at\n" +
            "r-1,2,DRS-101-M,Nora,,Meh,The seams came loose.,2026-11-20T10:00:00Z\n" +
            "r-2,9,DRS-101-M,Ola,,Wow,Too many stars,\n";
        using var reviews = await api.PostAsync("/api/v1/reviews/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        var report = await api.GetFromJsonAsync<JsonObject>("/api/v1/channels/health", Ct);

        Assert.True(reviews.StatusCode == HttpStatusCode.OK, await reviews.Content.ReadAsStringAsync(Ct));
        var review = Row(report!["channels"]!.AsArray(), "reviews");
        Assert.Equal(Utc(23, 8), review["lastEventAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(1, review["eventsLast24Hours"]!.GetValue<int>());
        Assert.Equal(1, review["refusedDeliveries"]!.GetValue<long>());
        Assert.Contains("rating", review["lastFailure"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    internal static JsonNode Row(JsonArray rows, string channel) =>
        rows.Single(r => r!["channel"]!.GetValue<string>() == channel)!;
}

/// <summary>Two nodes on one PostgreSQL database notice the same silence at the same moment.</summary>
public sealed class ChannelSilencePostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_checkers_on_one_database_raise_one_alert()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var first = await database.CreateAppAsync(ChannelSilenceTests.Settings, time);
        await using var second = TestApp.Postgres(await database.ConnectionStringAsync(), ChannelSilenceTests.Settings, time);
        second.CreateClient();
        var lead = await StaffSession.CreateAsync(first, Api.Unique("lars"), "lead");
        await first.Services.GetRequiredService<ChannelHealthLog>().RecordDeliveryAsync(WebhookSource.Meta, time.GetUtcNow(), ct);

        time.Advance(TimeSpan.FromHours(3));
        var raised = new List<WebhookSource>();
        for (var round = 0; round < 5; round++)
        {
            var both = await Task.WhenAll(
                Task.Run(() => first.Services.GetRequiredService<SilenceWatch>().CheckAsync(ct), ct),
                Task.Run(() => second.Services.GetRequiredService<SilenceWatch>().CheckAsync(ct), ct));
            raised.AddRange(both.SelectMany(r => r));
        }

        Assert.Equal([WebhookSource.Meta], raised);
        await using var db = await first.OpenDbAsync();
        Assert.Equal(1, await db.ChannelSilences.CountAsync(s => s.Source == WebhookSource.Meta, ct));
        Assert.Equal(1, await db.StaffNotifications.CountAsync(n => n.UserId == lead, ct));
    }
}
