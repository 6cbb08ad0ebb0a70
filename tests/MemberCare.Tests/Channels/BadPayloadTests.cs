using System.Net;
using System.Text;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Channels;

public sealed class BadPayloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Cases => new()
    {
        { "meta", "truncated", "not valid JSON" },
        { "meta", "{\"object\": \"page\", \"entry\": {\"id\": \"1\"}}", "'$.entry' must be an array" },
        { "meta", "{\"object\": \"page\"}", "'$.entry' is required" },
        { "meta", "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},\"message\":{\"mid\":7.5,\"text\":\"hi\"}}]}]}", "'$.entry[0].messaging[0].message.mid' must be an id" },
        { "meta", "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},\"message\":{\"mid\":\"m1\",\"text\":\"ok\"}},{\"sender\":{\"id\":\"3\"},\"message\":{\"text\":\"no mid\"}}]}]}", "mid' is required" },
        { "x", "truncated", "not valid JSON" },
        { "x", "{\"tweet_create_events\": []}", "'$.for_user_id' is required" },
        { "x", "{\"for_user_id\": \"1\", \"tweet_create_events\": [{\"id\": 1924465506158879000, \"user\": {\"id_str\": \"2\"}, \"text\": \"hi\"}]}", "id_str' is required" },
        { "x", "{\"for_user_id\": \"1\", \"direct_message_events\": [{\"type\": \"message_create\", \"id\": \"5\", \"message_create\": {\"sender_id\": \"2\", \"message_data\": {\"text\": true}}}]}", "must be a string" },
        { "shopify", "truncated", "not valid JSON" },
        { "shopify", "{\"id\": \"820982911946154508\", \"name\": \"#1\", \"line_items\": []}", "'$.id' must be a 64-bit integer" },
        { "shopify", "{\"id\": 1, \"name\": \"#1\"}", "'$.line_items' is required" },
        { "shopify", "{\"id\": 1, \"name\": \"#1\", \"email\": \"a@b.no\", \"line_items\": [{\"sku\": \"A\", \"quantity\": 1, \"price\": \"cheap\"}]}", "price' must be an amount" },
        { "shopify", "{\"id\": 1, \"name\": \"#1\", \"email\": \"a@b.no\", \"line_items\": [{\"sku\": \"A\", \"quantity\": 1, \"price\": \"5.00\"}, {\"sku\": \"B\", \"quantity\": -2, \"price\": \"5.00\"}]}", "must not be negative" },
        { "shopify", "{\"id\": 99999999999999999999, \"name\": \"#1\", \"line_items\": []}", "'$.id' must be a 64-bit integer" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_signed_but_malformed_payload_answers_400_with_the_reason_and_stores_nothing(string endpoint, string payload, string reason)
    {
        await using var app = TestApp.Sqlite(WebhookFixtures.Settings);
        var client = app.CreateClient();
        var body = payload == "truncated" ? Truncated(endpoint) : Encoding.UTF8.GetBytes(payload);
        var before = await app.CountAsync();

        using var response = endpoint switch
        {
            "meta" => await client.PostMetaAsync(body),
            "x" => await client.PostXAsync(body),
            _ => await client.PostShopifyAsync(body, "orders/create", Guid.NewGuid().ToString()),
        };

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response);
        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAsync());
    }

    [Theory]
    [InlineData("meta")]
    [InlineData("x")]
    [InlineData("shopify")]
    public async Task A_10_MB_body_answers_413_and_stores_nothing(string endpoint)
    {
        await using var app = TestApp.Sqlite(WebhookFixtures.Settings);
        var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes("{\"object\":\"page\",\"entry\":[],\"pad\":\"" + new string('a', 10 * 1024 * 1024) + "\"}");

        using var response = endpoint switch
        {
            "meta" => await client.PostMetaAsync(body),
            "x" => await client.PostXAsync(body),
            _ => await client.PostShopifyAsync(body, "orders/create", "big"),
        };

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
        Assert.Equal(default, (await app.CountAsync()).Deliveries);
    }

    [Fact]
    public async Task A_channel_without_its_secret_has_no_webhook()
    {
        await using var app = TestApp.Sqlite();

        using var response = await app.CreateClient().PostMetaAsync(Encoding.UTF8.GetBytes("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Channels:Meta:AppSecret", (await Problem.ReadAsync(response)).Detail, StringComparison.Ordinal);
        _ = Ct;
    }

    private static byte[] Truncated(string endpoint)
    {
        var file = endpoint switch
        {
            "meta" => "meta_messenger_messages_text.webhook.json",
            "x" => "x_aaa_direct_message_events.json",
            _ => "shopify_orders_sample.json",
        };
        var bytes = WebhookFixtures.Bytes(file);
        return bytes[..(bytes.Length / 2)];
    }
}
