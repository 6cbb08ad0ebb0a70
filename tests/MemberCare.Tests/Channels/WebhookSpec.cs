using System.Net;
using System.Text;
using System.Text.Json;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Orders;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Channels;

/// <summary>The webhook endpoints fed with the platforms' real payloads and the shared signature vectors.</summary>
public abstract class WebhookSpec : DatabaseSpec
{
    private Task<TestApp> AppAsync() => CreateAppAsync(WebhookFixtures.Settings);

    [Fact]
    public async Task Meta_echoes_the_challenge_as_text_when_the_verify_token_matches_and_answers_403_otherwise()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();

        using var ok = await client.GetAsync($"/webhooks/meta?hub.mode=subscribe&hub.verify_token={WebhookFixtures.MetaVerifyToken}&hub.challenge=1158201444", Ct);
        using var wrong = await client.GetAsync("/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444", Ct);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task A_messenger_message_signed_as_the_vector_says_is_stored_with_its_mid_and_threaded_by_sender()
    {
        await using var app = await AppAsync();
        var body = WebhookFixtures.Bytes("meta_messenger_messages_text.webhook.json");
        var signature = WebhookFixtures.Vectors.GetProperty("meta_computed").GetProperty("X-Hub-Signature-256").GetString();

        using var response = await app.CreateClient().PostMetaAsync(body, signature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var message = await db.Messages.SingleAsync(m => m.Channel == Channel.Messenger && m.ExternalId == "mid.1457764197618:41d102a3e1ae206a38", Ct);
        Assert.Equal("hello, world!", message.Text);
        var conversation = await db.Conversations.Include(c => c.Customer!).ThenInclude(c => c.Identities).SingleAsync(c => c.Id == message.ConversationId, Ct);
        Assert.Equal("dm:<PSID>", conversation.ThreadKey);
        Assert.Contains(conversation.Customer!.Identities, i => i.Channel == Channel.Messenger && i.Handle == "<PSID>");
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Source == WebhookSource.Meta, Ct);
        Assert.Equal(body, delivery.RawBody);
        Assert.True(delivery.SignatureOk);
    }

    [Fact]
    public async Task Instagram_comments_and_a_reply_thread_by_media_and_a_page_feed_comment_by_post()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();

        foreach (var file in new[] { "instagram_comments.webhook.json", "instagram_comments_reply.webhook.json", "facebook_page_feed_comment.webhook.json" })
        {
            using var response = await client.PostMetaAsync(WebhookFixtures.Bytes(file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var db = await app.OpenDbAsync();
        var instagram = await db.Conversations.Include(c => c.Messages).SingleAsync(c => c.Channel == Channel.Instagram, Ct);
        Assert.Equal("17911317054015405", instagram.ThreadKey);
        Assert.Equal(["17865799348089039", "17865799348089040"], instagram.Messages.Select(m => m.ExternalId).Order());
        var facebook = await db.Conversations.Include(c => c.Messages).SingleAsync(c => c.Channel == Channel.Facebook, Ct);
        Assert.Equal("<PAGE_ID>_<POST_ID>", facebook.ThreadKey);
        Assert.Equal("My parcel arrived damaged, who do I contact?", Assert.Single(facebook.Messages).Text);
    }

    [Fact]
    public async Task A_messenger_attachment_without_text_is_stored_with_its_type_and_url()
    {
        await using var app = await AppAsync();
        var entry = Encoding.UTF8.GetString(WebhookFixtures.Bytes("meta_messenger_messages_attachment.entry.json"));
        var body = Encoding.UTF8.GetBytes("{\"object\":\"page\",\"entry\":[" + entry + "]}");

        using var response = await app.CreateClient().PostMetaAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var message = await db.Messages.SingleAsync(m => m.ExternalId == "mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c", Ct);
        Assert.Equal("[<image|video|audio|file>] <ATTACHMENT_URL>", message.Text);
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("wrong secret")]
    [InlineData("missing header")]
    [InlineData("hex in place of base64")]
    public async Task A_delivery_that_fails_verification_answers_401_stores_nothing_and_is_counted(string tamper)
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var meta = WebhookFixtures.Bytes("meta_messenger_messages_text.webhook.json");
        var x = WebhookFixtures.Bytes("x_aaa_direct_message_events.json");
        var shopify = WebhookFixtures.Bytes("shopify_orders_sample.json");
        var before = await app.CountAsync();

        HttpResponseMessage[] responses = tamper switch
        {
            "tampered body" =>
            [
                await client.PostMetaAsync(Flip(meta), "sha256=" + WebhookFixtures.HexSignature(WebhookFixtures.MetaSecret, meta)),
                await client.PostXAsync(Flip(x), "sha256=" + WebhookFixtures.Base64Signature(WebhookFixtures.XSecret, x)),
                await client.PostShopifyAsync(Flip(shopify), "orders/create", "w-1", WebhookFixtures.Base64Signature(WebhookFixtures.ShopifySecret, shopify)),
            ],
            "wrong secret" =>
            [
                await client.PostMetaAsync(meta, secret: "not the app secret"),
                await client.PostXAsync(x, secret: "not the consumer secret"),
                await client.PostShopifyAsync(shopify, "orders/create", "w-2", secret: "not the webhook secret"),
            ],
            "missing header" =>
            [
                await client.PostMetaAsync(meta, signature: null),
                await client.PostXAsync(x, signature: null),
                await client.PostShopifyAsync(shopify, "orders/create", "w-3", signature: null),
            ],
            _ =>
            [
                await client.PostMetaAsync(meta, "sha256=" + WebhookFixtures.Base64Signature(WebhookFixtures.MetaSecret, meta)),
                await client.PostXAsync(x, "sha256=" + WebhookFixtures.HexSignature(WebhookFixtures.XSecret, x)),
                await client.PostShopifyAsync(shopify, "orders/create", "w-4", WebhookFixtures.HexSignature(WebhookFixtures.ShopifySecret, shopify)),
            ],
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(before, await app.CountAsync());
        await using var db = await app.OpenDbAsync();
        var health = await db.ChannelHealth.ToListAsync(Ct);
        Assert.Equal(3, health.Count(h => h.SignatureFailures == 1 && h.LastSignatureFailureAt is not null));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task X_answers_the_crc_challenge_with_the_vectors_response_token()
    {
        await using var app = await AppAsync();
        var vector = WebhookFixtures.Vectors.GetProperty("x_computed");

        using var response = await app.CreateClient().GetAsync($"/webhooks/x?crc_token={vector.GetProperty("crc_token").GetString()}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(vector.GetProperty("crc_response").GetProperty("response_token").GetString(), answer.RootElement.GetProperty("response_token").GetString());
    }

    [Fact]
    public async Task The_subscribed_accounts_own_post_is_stored_as_a_delivery_but_is_not_a_customer_message()
    {
        await using var app = await AppAsync();
        var body = WebhookFixtures.Bytes("x_aaa_tweet_create_events_longform.json");
        var signature = WebhookFixtures.Vectors.GetProperty("x_computed").GetProperty("x-twitter-webhooks-signature").GetString();

        using var response = await app.CreateClient().PostXAsync(body, signature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(body, (await db.WebhookDeliveries.SingleAsync(Ct)).RawBody);
        Assert.Equal(0, await db.Messages.CountAsync(Ct));
    }

    [Fact]
    public async Task A_mention_takes_its_id_from_id_str_and_a_deletion_removes_its_text_but_keeps_the_record()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        // The fixture's author made a customer: the id_str differs from the rounded numeric id X also sends.
        var mention = WebhookFixtures.Replace(WebhookFixtures.Bytes("x_aaa_tweet_create_events_longform.json"),
            "\"user\": { \"id\": 1603419180975409153, \"id_str\": \"1603419180975409153\", \"screen_name\": \"<SUBSCRIBED_USER>\" }",
            "\"user\": { \"id\": 42, \"id_str\": \"42\", \"name\": \"Kari Nordmann\", \"screen_name\": \"kari\" }");
        var deletion = WebhookFixtures.Replace(WebhookFixtures.Bytes("x_aaa_tweet_delete_events.json"), "1045405559317569537", "1924465506158878979");

        using var created = await client.PostXAsync(mention);
        using var deleted = await client.PostXAsync(deletion);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await using var db = await app.OpenDbAsync();
        var message = await db.Messages.SingleAsync(m => m.Channel == Channel.X, Ct);
        Assert.Equal("1924465506158878979", message.ExternalId);
        Assert.Equal(Message.WithdrawnText, message.Text);
        Assert.Null(message.RawPayload);
        Assert.NotNull(message.WithdrawnAt);
        Assert.Equal(Message.WithdrawnText, (await db.Conversations.SingleAsync(c => c.Id == message.ConversationId, Ct)).LastMessagePreview);
        Assert.Contains("withdrew 1", (await db.WebhookDeliveries.OrderBy(d => d.Id).LastAsync(Ct)).Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_message_from_a_customer_becomes_a_message_named_from_the_users_map()
    {
        await using var app = await AppAsync();

        using var response = await app.CreateClient().PostXAsync(WebhookFixtures.Bytes("x_aaa_direct_message_events.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var message = await db.Messages.SingleAsync(m => m.Channel == Channel.X, Ct);
        Assert.Equal(("dm:954491830116155396", "Hello World!", "Jordan Brinks"), (message.ExternalId, message.Text, message.AuthorName));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1516403560557), message.SentAt);
    }

    [Fact]
    public async Task A_shopify_order_keeps_its_64_bit_ids_customer_and_lines_exactly()
    {
        await using var app = await AppAsync();
        var vector = WebhookFixtures.Vectors.GetProperty("shopify_computed");
        var body = WebhookFixtures.Bytes("shopify_orders_sample.json");

        using var response = await app.CreateClient().PostShopifyAsync(body, vector.GetProperty("X-Shopify-Topic").GetString()!,
            vector.GetProperty("X-Shopify-Webhook-Id").GetString(), vector.GetProperty("X-Shopify-Hmac-Sha256").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.OpenDbAsync();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(Ct);
        Assert.Equal(820982911946154508L, order.ShopId);
        Assert.Equal("9999", order.Number);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal("USD", order.Currency);
        var customer = await db.Customers.SingleAsync(c => c.Id == order.CustomerId, Ct);
        Assert.Equal((115310627314723954L, "John Smith", "john@example.com"), (customer.ShopId!.Value, customer.Name, customer.Email));
        Assert.Contains(order.Lines, l => l.Sku == "SKU2006-001" && l.ProductName == "Aviator sunglasses" && l.Quantity == 1 && l.UnitPrice == 89.99m);
        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", (await db.WebhookDeliveries.SingleAsync(Ct)).DeliveryKey);
    }

    [Fact]
    public async Task An_order_update_replaces_its_lines_with_size_colour_and_vendor_and_a_refund_is_recorded()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var order = """
            {"id": 9007199254740993, "name": "#5001", "currency": "NOK", "created_at": "2026-01-05T10:00:00+01:00", "email": "ola@example.no",
             "customer": {"id": 9007199254740995, "email": "ola@example.no", "first_name": "Ola", "last_name": "Hansen"},
             "line_items": [{"id": 1, "sku": "DRS-1", "title": "Linen dress", "variant_title": "M / Sand", "vendor": "Nordic Loom", "quantity": 1, "price": "899.00"}]}
            """;
        var updated = order.Replace("\"quantity\": 1, \"price\": \"899.00\"}]", "\"quantity\": 1, \"price\": \"899.00\"}, {\"id\": 2, \"sku\": \"JKT-9\", \"title\": \"Rain jacket\", \"variant_title\": \"Navy / XL\", \"vendor\": \"Fjord Wear\", \"quantity\": 2, \"price\": \"1299.50\"}]", StringComparison.Ordinal);
        var refund = """{"id": 9007199254740997, "order_id": 9007199254740993, "transactions": [{"kind": "refund", "status": "success", "amount": "899.00"}]}""";

        using var a = await client.PostShopifyAsync(Encoding.UTF8.GetBytes(order), "orders/create", "wh-a");
        using var b = await client.PostShopifyAsync(Encoding.UTF8.GetBytes(updated), "orders/updated", "wh-b");
        using var c = await client.PostShopifyAsync(Encoding.UTF8.GetBytes(refund), "refunds/create", "wh-c");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { a.StatusCode, b.StatusCode, c.StatusCode });
        await using var db = await app.OpenDbAsync();
        var stored = await db.Orders.Include(o => o.Lines).SingleAsync(Ct);
        Assert.Equal(9007199254740993L, stored.ShopId);
        Assert.Equal(
            [("DRS-1", "M", "Sand", "Nordic Loom", 1), ("JKT-9", "XL", "Navy", "Fjord Wear", 2)],
            stored.Lines.OrderBy(l => l.Sku).Select(l => (l.Sku, l.Size, l.Colour, l.Supplier, l.Quantity)));
        Assert.Equal(899.00m, stored.RefundedAmount);
        Assert.Equal(9007199254740995L, (await db.Customers.SingleAsync(Ct)).ShopId);
    }

    [Fact]
    public async Task Each_payload_is_stored_once_under_ten_sequential_replays()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var shopify = WebhookFixtures.Bytes("shopify_orders_sample.json");

        for (var i = 0; i < 10; i++)
        {
            using var meta = await client.PostMetaAsync(WebhookFixtures.Bytes("instagram_comments.webhook.json"));
            using var x = await client.PostXAsync(WebhookFixtures.Bytes("x_aaa_direct_message_events.json"));
            using var shop = await client.PostShopifyAsync(shopify, "orders/create", "replayed-webhook-id");
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { meta.StatusCode, x.StatusCode, shop.StatusCode });
            var answer = await Api.ReadAsync<WebhookAnswer>(shop);
            Assert.Equal(i > 0, answer.Duplicate);
        }

        var rows = await app.CountAsync();
        Assert.Equal((3, 2, 1, 1), (rows.Deliveries, rows.Rows.Messages, rows.Orders, rows.OrderLines));
    }

    [Fact]
    public async Task A_platform_resending_a_message_under_a_new_delivery_stores_the_message_once()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var first = WebhookFixtures.Bytes("instagram_comments.webhook.json");
        var resent = WebhookFixtures.Replace(first, "\"time\": 1547687043", "\"time\": 1547687999");

        using var a = await client.PostMetaAsync(first);
        using var b = await client.PostMetaAsync(resent);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
        var rows = await app.CountAsync();
        Assert.Equal((2, 1), (rows.Deliveries, rows.Rows.Messages));
    }

    [Fact]
    public async Task Each_payload_is_stored_once_under_50_concurrent_duplicates()
    {
        await using var app = await AppAsync();
        var client = app.CreateClient();
        var meta = WebhookFixtures.Bytes("meta_messenger_messages_text.webhook.json");
        var x = WebhookFixtures.Bytes("x_aaa_direct_message_events.json");
        var shopify = WebhookFixtures.Bytes("shopify_orders_sample.json");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).SelectMany(_ => new[]
        {
            client.PostMetaAsync(meta),
            client.PostXAsync(x),
            client.PostShopifyAsync(shopify, "orders/create", "concurrent-webhook-id"),
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var rows = await app.CountAsync();
        Assert.Equal((3, 2, 1, 1), (rows.Deliveries, rows.Rows.Messages, rows.Orders, rows.OrderLines));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static byte[] Flip(byte[] body)
    {
        var copy = (byte[])body.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }
}

public sealed class SqliteWebhookSpec : WebhookSpec
{
    protected override Task<TestApp> CreateAppAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        Task.FromResult(TestApp.Sqlite(settings, time));
}
