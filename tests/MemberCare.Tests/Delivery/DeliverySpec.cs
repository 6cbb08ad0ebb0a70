using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemberCare.Domain.Delivery;
using MemberCare.Features.Conversations;
using MemberCare.Features.Delivery;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Delivery;

/// <summary>The outbox worker against real receivers on loopback: signed webhooks, SMTP, Slack, and a fake Graph API.</summary>
public abstract class DeliverySpec : DatabaseSpec
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Fast retries, a short timeout, and the loopback receivers allowed by name.</summary>
    protected static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:00:00.100",
            ["Delivery:RequestTimeout"] = "00:00:01",
            ["Delivery:Lease"] = "00:00:10",
            ["Delivery:Retry:FirstDelay"] = "00:00:00.200",
            ["Delivery:Retry:Factor"] = "2",
            ["Delivery:Retry:MaxDelay"] = "00:00:01",
            ["Delivery:Retry:GiveUpAfter"] = "00:02:00",
            ["Delivery:AllowedHosts:0"] = "127.0.0.1",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task Every_message_arrives_signed_through_receiver_errors_and_timeouts()
    {
        const int Count = 40;
        await using var receiver = await LoopbackReceiver.StartAsync(async (r, response) =>
        {
            if (r.Number % 4 == 0)
            {
                await LoopbackReceiver.Status(response, 500, "down for a moment");
            }
            else if (r.Number % 9 == 0)
            {
                // Longer than the sender's timeout: the sender gives up, though the receiver may count it.
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                await LoopbackReceiver.Status(response, 200);
            }
            else
            {
                await LoopbackReceiver.Status(response, 204);
            }
        });
        await using var app = await CreateAppAsync(Settings());
        using var client = app.CreateApiClient();
        var (targetId, secret) = await CreateWebhookAsync(client, new Uri(receiver.BaseAddress, "hooks/care"));
        var sent = await EnqueueAsync(app, targetId, Count);

        await WaitUntilAsync(app, outbox => outbox.All(m => m.Status == OutboxStatus.Delivered), sent);

        var received = receiver.Requests.ToList();
        Assert.All(received, r => AssertSigned(r, secret));
        var byId = received.GroupBy(r => r.Header("webhook-id")!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(sent.Keys.Order(), byId.Keys.Order());
        Assert.All(byId, g => Assert.All(g.Value, r => Assert.Equal(sent[g.Key], r.Body)));
        Assert.Contains(byId, g => g.Value.Count > 1);
        Assert.All(received, r => Assert.Equal("/hooks/care", r.Path));
    }

    [Fact]
    public async Task A_loopback_target_is_refused_without_the_allow_list()
    {
        await using var receiver = await LoopbackReceiver.StartAsync((_, response) => LoopbackReceiver.Status(response, 200));
        var settings = Settings();
        settings.Remove("Delivery:AllowedHosts:0");
        await using var app = await CreateAppAsync(settings);
        using var client = app.CreateApiClient();

        foreach (var address in new[] { receiver.BaseAddress.AbsoluteUri, "http://[::1]:9/", "http://169.254.169.254/latest/meta-data", "http://localhost/", "http://[::ffff:127.0.0.1]/", "ftp://example.com/" })
        {
            using var refused = await client.PostJsonAsync("/api/v1/delivery/targets", new { name = "Inside", kind = "webhook", address });
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{address}: {(int)refused.StatusCode}");
        }

        // A target stored before the rule (or behind a DNS answer that changed) is refused again at connect time.
        long targetId;
        await using (var db = await app.OpenDbAsync())
        {
            var secrets = app.Services.GetRequiredService<TargetSecrets>();
            var target = new DeliveryTarget("Sneaky", DeliveryKind.Webhook, receiver.BaseAddress.AbsoluteUri, secrets.Protect(TargetSecrets.NewWebhookSecret()));
            db.DeliveryTargets.Add(target);
            await db.SaveChangesAsync(Ct);
            targetId = target.Id;
        }
        var sent = await EnqueueAsync(app, targetId, 1);
        await WaitUntilAsync(app, outbox => outbox.All(m => m.Attempts >= 1), sent);
        await using (var db = await app.OpenDbAsync())
        {
            var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.TargetId == targetId, Ct);
            Assert.NotEqual(OutboxStatus.Delivered, message.Status);
            Assert.StartsWith("Refused", message.LastError, StringComparison.Ordinal);
        }
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Secrets_are_stored_protected_and_shown_masked()
    {
        await using var app = await CreateAppAsync(Settings());
        using var client = app.CreateApiClient();
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var name = Api.Unique("Warehouse");
        using var created = await client.PostJsonAsync("/api/v1/delivery/targets", new { name, kind = "webhook", address = "http://127.0.0.1:9/hook", secret = Secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2La", body, StringComparison.Ordinal);

        var listed = await client.GetStringAsync("/api/v1/delivery/targets", Ct);
        Assert.Contains("whsec_…LaSw", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2La", listed, StringComparison.Ordinal);
        await using var db = await app.OpenDbAsync();
        var stored = await db.DeliveryTargets.AsNoTracking().SingleAsync(t => t.Name == name, Ct);
        Assert.DoesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2La", stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(Secret, app.Services.GetRequiredService<TargetSecrets>().Unprotect(stored.ProtectedSecret!));
    }

    [Fact]
    public async Task A_dead_message_is_listed_and_a_manual_retry_delivers_it_with_the_same_id()
    {
        var healthy = 0;
        await using var receiver = await LoopbackReceiver.StartAsync((_, response) =>
            LoopbackReceiver.Status(response, Volatile.Read(ref healthy) == 1 ? 200 : 503, "maintenance"));
        await using var app = await CreateAppAsync(Settings(("Delivery:Retry:GiveUpAfter", "00:00:01")));
        using var client = app.CreateApiClient();
        var (targetId, secret) = await CreateWebhookAsync(client, receiver.BaseAddress);
        var sent = await EnqueueAsync(app, targetId, 1);

        await WaitUntilAsync(app, outbox => outbox.All(m => m.Status == OutboxStatus.Dead), sent);
        var dead = JsonNode.Parse(await client.GetStringAsync($"/api/v1/delivery/outbox?status=dead&targetId={targetId}", Ct))!.AsArray();
        var row = Assert.Single(dead)!;
        Assert.Equal(sent.Keys.Single(), (string?)row["webhookId"]);
        Assert.Contains("503", (string?)row["lastError"], StringComparison.Ordinal);
        var attempts = (int)row["attempts"]!;
        Assert.Equal(attempts, receiver.Requests.Count);
        var targets = JsonNode.Parse(await client.GetStringAsync("/api/v1/delivery/targets", Ct))!.AsArray();
        Assert.Equal(1, (int)targets.Single(t => (long)t!["id"]! == targetId)!["dead"]!);

        Volatile.Write(ref healthy, 1);
        using (var retried = await client.PostAsync($"/api/v1/delivery/outbox/{(long)row["id"]!}/retry", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }
        await WaitUntilAsync(app, outbox => outbox.All(m => m.Status == OutboxStatus.Delivered), sent);
        Assert.All(receiver.Requests, r => Assert.Equal(sent.Keys.Single(), r.Header("webhook-id")));
        AssertSigned(receiver.Requests.Last(), secret);
        using var again = await client.PostAsync($"/api/v1/delivery/outbox/{(long)row["id"]!}/retry", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Email_goes_out_over_SMTP_as_text_or_as_the_complete_MIME_message_it_is()
    {
        await using var sink = new SmtpSink();
        await using var app = await CreateAppAsync(Settings(
            ("Delivery:Smtp:Host", "127.0.0.1"),
            ("Delivery:Smtp:Port", sink.Port.ToString(CultureInfo.InvariantCulture)),
            ("Delivery:Smtp:Security", "None"),
            ("Delivery:Smtp:From", "MemberCare <care@shop.example>")));
        using var client = app.CreateApiClient();
        using var created = await client.PostJsonAsync("/api/v1/delivery/targets", new { name = "Warehouse mailbox", kind = "email", address = "lager@shop.example" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var targetId = (long)JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["target"]!["id"]!;
        const string Mime = "From: Care <care@shop.example>\r\nTo: Nora Berg <nora@example.no>\r\nSubject: Re: Kjolen\r\n" +
            "In-Reply-To: <kunde-1@mail.example>\r\nReferences: <kunde-1@mail.example>\r\nMessage-ID: <svar-1@shop.example>\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\nHei Nora! Vi sender ny størrelse i dag.\r\n";
        var sent = new Dictionary<string, string>();
        await using (var db = await app.OpenDbAsync())
        {
            var now = TimeProvider.System.GetUtcNow();
            var plain = new OutboxMessage(targetId, "handoff.requested", "Ny sak: feil størrelse", "Kunden fikk M i stedet for S.", now);
            var mime = new OutboxMessage(targetId, "conversation.reply", null, Mime, now);
            db.Outbox.AddRange(plain, mime);
            await db.SaveChangesAsync(Ct);
            sent[plain.WebhookId] = plain.Body;
            sent[mime.WebhookId] = mime.Body;
        }

        await WaitUntilAsync(app, outbox => outbox.All(m => m.Status == OutboxStatus.Delivered), sent);

        var messages = sink.Messages.ToList();
        Assert.Equal(2, messages.Count);
        var toWarehouse = Assert.Single(messages, m => m.RcptTo.SequenceEqual(["lager@shop.example"]));
        Assert.Equal("Ny sak: feil størrelse", toWarehouse.Message.Subject);
        Assert.Contains("M i stedet for S", toWarehouse.Message.TextBody, StringComparison.Ordinal);
        Assert.Equal("care@shop.example", toWarehouse.MailFrom);
        var toCustomer = Assert.Single(messages, m => m.RcptTo.SequenceEqual(["nora@example.no"]));
        Assert.Equal("kunde-1@mail.example", toCustomer.Message.InReplyTo);
        Assert.Equal("svar-1@shop.example", toCustomer.Message.MessageId);
        Assert.Contains("ny størrelse", toCustomer.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Slack_target_gets_the_message_as_text_and_a_test_message_goes_through_the_outbox()
    {
        await using var receiver = await LoopbackReceiver.StartAsync((_, response) => LoopbackReceiver.Status(response, 200, "ok"));
        await using var app = await CreateAppAsync(Settings());
        using var client = app.CreateApiClient();
        using var created = await client.PostJsonAsync("/api/v1/delivery/targets", new { name = "#warehouse", kind = "slack", address = new Uri(receiver.BaseAddress, "services/T0/B0/x").AbsoluteUri });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var targetId = (long)JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["target"]!["id"]!;

        using var test = await client.PostAsync($"/api/v1/delivery/targets/{targetId}/test", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var webhookId = (string)JsonNode.Parse(await test.Content.ReadAsStringAsync(Ct))!["webhookId"]!;
        await WaitUntilAsync(app, outbox => outbox.All(m => m.Status == OutboxStatus.Delivered), new Dictionary<string, string> { [webhookId] = "" });

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T0/B0/x", request.Path);
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
        var text = (string?)JsonNode.Parse(request.Body)!["text"];
        Assert.Contains("MemberCare test message", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Messenger_reply_retries_after_429_and_500_honouring_Retry_After_and_shows_sent()
    {
        await using var graph = await LoopbackReceiver.StartAsync(async (r, response) =>
        {
            switch (r.Number)
            {
                case 1:
                    response.Headers.RetryAfter = "2";
                    await LoopbackReceiver.Status(response, 429, """{"error":{"message":"Application request limit reached","code":4}}""");
                    break;
                case 2:
                    await LoopbackReceiver.Status(response, 500, """{"error":{"message":"An unexpected error has occurred.","code":2}}""");
                    break;
                default:
                    response.ContentType = "application/json";
                    await LoopbackReceiver.Status(response, 200, """{"recipient_id":"psid-1","message_id":"m_1"}""");
                    break;
            }
        });
        await using var app = await CreateAppAsync(GraphSettings(graph));
        using var client = app.CreateApiClient();
        var handle = Api.Unique("psid");
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("mid"), "Hei, hvor er pakken min?", channel: "messenger", handle: handle));

        var reply = await ReplyAsync(client, posted.ConversationId, "Hei! Den er på vei og kommer i morgen.");
        Assert.Equal("sending", reply.Delivery);
        var detail = await WaitForDeliveryAsync(client, posted.ConversationId, reply.Id, "sent");

        var requests = graph.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("/v21.0/me/messages", r.Path);
            Assert.Equal("Bearer page-token-for-tests", r.Header("authorization"));
            var payload = JsonNode.Parse(r.Body)!;
            Assert.Equal(handle, (string?)payload["recipient"]!["id"]);
            Assert.Equal("Hei! Den er på vei og kommer i morgen.", (string?)payload["message"]!["text"]);
        });
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.9), $"Retry-After: 2 was not honoured: {(requests[1].At - requests[0].At).TotalSeconds:0.00} s.");
        Assert.Null(detail.Messages.Single(m => m.Id == reply.Id).DeliveryError);
    }

    [Fact]
    public async Task A_reply_the_platform_keeps_refusing_shows_failed_on_the_message()
    {
        await using var graph = await LoopbackReceiver.StartAsync((_, response) =>
            LoopbackReceiver.Status(response, 500, """{"error":{"message":"Service temporarily unavailable","code":2}}"""));
        await using var app = await CreateAppAsync(GraphSettings(graph, ("Delivery:Retry:GiveUpAfter", "00:00:01")));
        using var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("mid"), "Hallo?", channel: "messenger", handle: Api.Unique("psid")));

        var reply = await ReplyAsync(client, posted.ConversationId, "Vi ser på saken.");
        var detail = await WaitForDeliveryAsync(client, posted.ConversationId, reply.Id, "failed");

        Assert.True(graph.Requests.Count >= 3, $"{graph.Requests.Count} attempt(s) before giving up.");
        Assert.Contains("HTTP 500", detail.Messages.Single(m => m.Id == reply.Id).DeliveryError, StringComparison.Ordinal);
        var dead = JsonNode.Parse(await client.GetStringAsync("/api/v1/delivery/outbox?status=dead", Ct))!.AsArray();
        Assert.Contains(dead, row => (long?)row!["messageId"] == reply.Id);
    }

    [Fact]
    public async Task A_reply_the_platform_rejects_as_invalid_fails_at_once_without_retries()
    {
        await using var graph = await LoopbackReceiver.StartAsync((_, response) =>
            LoopbackReceiver.Status(response, 400, """{"error":{"message":"(#100) No matching user found","code":100}}"""));
        await using var app = await CreateAppAsync(GraphSettings(graph));
        using var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("mid"), "Hei", channel: "messenger", handle: Api.Unique("psid")));

        var reply = await ReplyAsync(client, posted.ConversationId, "Hei tilbake");
        var detail = await WaitForDeliveryAsync(client, posted.ConversationId, reply.Id, "failed");

        Assert.Single(graph.Requests);
        Assert.Contains("No matching user found", detail.Messages.Single(m => m.Id == reply.Id).DeliveryError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_reply_does_not_go_to_any_platform()
    {
        await using var graph = await LoopbackReceiver.StartAsync((_, response) => LoopbackReceiver.Status(response, 200));
        await using var app = await CreateAppAsync(GraphSettings(graph));
        using var client = app.CreateApiClient();
        var posted = await client.PostNewMessageAsync(Api.Message(Api.Unique("chat"), "Hei", channel: "chat", handle: Api.Unique("visitor")));

        var reply = await ReplyAsync(client, posted.ConversationId, "Hei!");

        Assert.Null(reply.Delivery);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Outbox.AnyAsync(m => m.MessageId == reply.Id, Ct));
    }

    protected static Dictionary<string, string?> GraphSettings(LoopbackReceiver graph, params (string Key, string? Value)[] extra) =>
        Settings([("Channels:Meta:GraphBaseUrl", new Uri(graph.BaseAddress, "v21.0/").AbsoluteUri), ("Channels:Meta:PageAccessToken", "page-token-for-tests"), .. extra]);

    protected static async Task<MessageView> ReplyAsync(HttpClient client, long conversationId, string text)
    {
        using var response = await client.PostJsonAsync($"/api/v1/conversations/{conversationId}/replies", new { text, author = "Ida" });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await Api.ReadAsync<MessageView>(response);
    }

    protected static async Task<ConversationDetail> WaitForDeliveryAsync(HttpClient client, long conversationId, long messageId, string status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var detail = await client.GetOkAsync<ConversationDetail>($"/api/v1/conversations/{conversationId}");
            var message = detail.Messages.Single(m => m.Id == messageId);
            if (message.Delivery == status)
            {
                return detail;
            }
            Assert.True(clock.Elapsed < Patience, $"The reply is still '{message.Delivery}' ({message.DeliveryError}), not '{status}'.");
            await Task.Delay(100, Ct);
        }
    }

    protected static async Task<(long Id, string Secret)> CreateWebhookAsync(HttpClient client, Uri address)
    {
        using var created = await client.PostJsonAsync("/api/v1/delivery/targets", new { name = Api.Unique("hook"), kind = "webhook", address = address.AbsoluteUri });
        var body = await created.Content.ReadAsStringAsync(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        var saved = JsonNode.Parse(body)!;
        var secret = (string)saved["newSecret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(TargetSecrets.Mask(secret), (string?)saved["target"]!["secret"]);
        return ((long)saved["target"]!["id"]!, secret);
    }

    /// <summary>Writes messages to the outbox as a feature would; returns their webhook ids and bodies.</summary>
    protected static async Task<Dictionary<string, string>> EnqueueAsync(TestApp app, long targetId, int count)
    {
        await using var db = await app.OpenDbAsync();
        var rows = Enumerable.Range(0, count).Select(i => new OutboxMessage(targetId, "handoff.requested", $"Sak {i}",
            JsonSerializer.Serialize(new { type = "handoff.requested", n = i, text = "Kunden fikk feil størrelse" }), TimeProvider.System.GetUtcNow())).ToList();
        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync(Ct);
        return rows.ToDictionary(r => r.WebhookId, r => r.Body);
    }

    protected static async Task WaitUntilAsync(TestApp app, Func<List<OutboxMessage>, bool> done, IReadOnlyDictionary<string, string> sent)
    {
        var ids = sent.Keys.ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var db = await app.OpenDbAsync())
            {
                var rows = await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.WebhookId)).ToListAsync(Ct);
                if (rows.Count == ids.Count && done(rows))
                {
                    return;
                }
                Assert.True(clock.Elapsed < Patience,
                    $"Outbox after {Patience.TotalSeconds} s: {string.Join(", ", rows.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}; e.g. {rows.FirstOrDefault(r => r.LastError is not null)?.LastError}");
            }
            await Task.Delay(100, Ct);
        }
    }

    public static void AssertSigned(ReceivedRequest request, string secret)
    {
        var id = request.Header("webhook-id");
        var timestamp = request.Header("webhook-timestamp");
        var signature = request.Header("webhook-signature");
        Assert.NotNull(id);
        Assert.NotNull(timestamp);
        Assert.NotNull(signature);
        var seconds = long.Parse(timestamp, CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - seconds), 0, 300);
        Assert.True(StandardWebhookSignature.Verify(secret, id, seconds, request.Body, signature), $"Bad signature on {id}.");
    }
}

public sealed class SqliteDeliverySpec : DeliverySpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}

public sealed class PostgresDeliverySpec(PostgresDatabase database) : DeliverySpec, IClassFixture<PostgresDatabase>
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        database.CreateAppAsync(settings, time);

    [Fact]
    public async Task Two_nodes_on_one_database_deliver_each_message_once()
    {
        const int Count = 300;
        var concurrent = 0;
        var peak = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(async (_, response) =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref peak, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref concurrent);
            await LoopbackReceiver.Status(response, 200);
        });
        await using var first = await CreateAppAsync(Settings(("Delivery:Lease", "00:01:00")));
        await using var second = await CreateAppAsync(Settings(("Delivery:Lease", "00:01:00")));
        using var client = first.CreateApiClient();
        using var other = second.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/delivery/targets", Ct)).StatusCode);
        var (targetId, secret) = await CreateWebhookAsync(client, receiver.BaseAddress);

        var sent = await EnqueueAsync(first, targetId, Count);
        await WaitUntilAsync(first, outbox => outbox.All(m => m.Status == OutboxStatus.Delivered), sent);

        var received = receiver.Requests.ToList();
        Assert.All(received, r => AssertSigned(r, secret));
        var counts = received.GroupBy(r => r.Header("webhook-id")!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(sent.Keys.Order(), counts.Keys.Order());
        Assert.All(counts, c => Assert.Equal(1, c.Value));
        TestContext.Current.SendDiagnosticMessage($"Two nodes: {received.Count} deliveries for {Count} messages, at most {peak} at once.");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
