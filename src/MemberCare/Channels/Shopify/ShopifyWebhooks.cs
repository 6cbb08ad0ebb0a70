using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;

namespace MemberCare.Channels.Shopify;

/// <summary>Shopify webhooks: orders, customers and refunds, verified by X-Shopify-Hmac-Sha256.</summary>
public static class ShopifyWebhooks
{
    public static RouteGroupBuilder MapShopifyWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/shopify", ReceiveAsync)
            .WithSummary("Shopify deliveries (orders/create, orders/updated, customers/create, refunds/create), de-duplicated on X-Shopify-Webhook-Id")
            .DisableAntiforgery();
        return webhooks;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookInbox inbox, ChannelSecrets secrets, CancellationToken ct)
    {
        var secret = await secrets.GetAsync(ChannelSecrets.ShopifyWebhookSecret, ct);
        if (string.IsNullOrEmpty(secret))
        {
            return ChannelsSetup.NotConfigured("Shopify", "Channels:Shopify:WebhookSecret");
        }
        var (body, problem) = await WebhookInbox.ReadBodyAsync(request, ct);
        if (body is null)
        {
            return problem!;
        }
        var header = request.Headers["X-Shopify-Hmac-Sha256"].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.Shopify, "The X-Shopify-Hmac-Sha256 header is missing.", ct);
        }
        if (!WebhookSignature.Matches(secret, body, header, SignatureEncoding.Base64))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.Shopify, "X-Shopify-Hmac-Sha256 does not match the body signed with the webhook secret.", ct);
        }
        var topic = request.Headers["X-Shopify-Topic"].ToString();
        if (string.IsNullOrWhiteSpace(topic))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No topic", detail: "The X-Shopify-Topic header is required.");
        }
        // Shopify retries for up to 48 hours under the same X-Shopify-Webhook-Id; that id makes intake idempotent.
        var webhookId = request.Headers["X-Shopify-Webhook-Id"].ToString();
        return await inbox.ReceiveAsync(
            new WebhookRequest(WebhookSource.Shopify, body, string.IsNullOrWhiteSpace(webhookId) ? null : webhookId, topic.Trim()),
            (raw, now) => ShopifyPayload.Parse(topic.Trim(), raw, now), ct);
    }
}
