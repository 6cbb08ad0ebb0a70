using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Channels;

/// <summary>The real platform payloads and signature vectors in ../shared/fixtures/webhooks, and how tests sign and send them.</summary>
public static class WebhookFixtures
{
    public const string MetaSecret = "test_app_secret";
    public const string MetaVerifyToken = "verify-token-for-tests";
    public const string XSecret = "test_consumer_secret";
    public const string ShopifySecret = "test_shopify_client_secret";

    public static Dictionary<string, string?> Settings => new()
    {
        ["Channels:Meta:AppSecret"] = MetaSecret,
        ["Channels:Meta:VerifyToken"] = MetaVerifyToken,
        ["Channels:X:ConsumerSecret"] = XSecret,
        ["Channels:Shopify:WebhookSecret"] = ShopifySecret,
    };

    private static readonly Lazy<string?> s_folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "webhooks"));
                return Directory.Exists(folder) ? folder : null;
            }
        }
        return null;
    });

    /// <summary>The exact bytes of a fixture; skips the test when the shared fixtures are not beside the repository (CI has them).</summary>
    public static byte[] Bytes(string file)
    {
        var folder = s_folder.Value;
        if (folder is null)
        {
            Assert.Skip("The shared webhook fixtures (../shared/fixtures/webhooks beside the repository) are not present.");
        }
        return File.ReadAllBytes(Path.Combine(folder!, file));
    }

    public static JsonElement Vectors => JsonDocument.Parse(Bytes("signature_test_vectors.json")).RootElement;

    public static string HexSignature(string secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string Base64Signature(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static Task<HttpResponseMessage> PostMetaAsync(this HttpClient client, byte[] body, string? signature = "", string secret = MetaSecret) =>
        SendAsync(client, "/webhooks/meta", body, "X-Hub-Signature-256", signature == "" ? "sha256=" + HexSignature(secret, body) : signature);

    public static Task<HttpResponseMessage> PostXAsync(this HttpClient client, byte[] body, string? signature = "", string secret = XSecret) =>
        SendAsync(client, "/webhooks/x", body, "x-twitter-webhooks-signature", signature == "" ? "sha256=" + Base64Signature(secret, body) : signature);

    public static Task<HttpResponseMessage> PostShopifyAsync(this HttpClient client, byte[] body, string topic, string? webhookId, string? signature = "", string secret = ShopifySecret)
    {
        var headers = new Dictionary<string, string> { ["X-Shopify-Topic"] = topic };
        if (webhookId is not null)
        {
            headers["X-Shopify-Webhook-Id"] = webhookId;
        }
        return SendAsync(client, "/webhooks/shopify", body, "X-Shopify-Hmac-Sha256", signature == "" ? Base64Signature(secret, body) : signature, headers);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, byte[] body, string header, string? signature, Dictionary<string, string>? extra = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(header, signature);
        }
        foreach (var (name, value) in extra ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<WebhookRows> CountAsync(this TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await app.OpenDbAsync();
        return new WebhookRows(await app.CountRowsAsync(), await db.WebhookDeliveries.CountAsync(ct), await db.Orders.CountAsync(ct), await db.OrderLines.CountAsync(ct));
    }

    /// <summary>A body with one field's value replaced, for payloads that must differ from a stored one.</summary>
    public static byte[] Replace(byte[] body, string from, string to)
    {
        var text = Encoding.UTF8.GetString(body);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }
}

public readonly record struct WebhookRows(RowCounts Rows, int Deliveries, int Orders, int OrderLines);
