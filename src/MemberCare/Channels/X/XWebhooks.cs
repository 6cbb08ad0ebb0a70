using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;

namespace MemberCare.Channels.X;

public sealed record CrcResponse([property: System.Text.Json.Serialization.JsonPropertyName("response_token")] string ResponseToken);

/// <summary>X's Account Activity API: the CRC challenge, and deliveries signed with x-twitter-webhooks-signature.</summary>
public static class XWebhooks
{
    public static RouteGroupBuilder MapXWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapGet("/x", Crc)
            .WithSummary("X's challenge-response check: answers crc_token with its HMAC-SHA256 under the consumer secret");
        webhooks.MapPost("/x", ReceiveAsync)
            .WithSummary("Account Activity deliveries (mentions, direct messages, deletions), verified by x-twitter-webhooks-signature")
            .DisableAntiforgery();
        return webhooks;
    }

    private static async Task<IResult> Crc(HttpRequest request, ChannelSecrets secrets, CancellationToken ct)
    {
        var secret = await secrets.GetAsync(ChannelSecrets.XConsumerSecret, ct);
        if (string.IsNullOrEmpty(secret))
        {
            return ChannelsSetup.NotConfigured("X", "Channels:X:ConsumerSecret");
        }
        var token = request.Query["crc_token"].ToString();
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No CRC token", detail: "crc_token is required.");
        }
        return TypedResults.Json(new CrcResponse("sha256=" + WebhookSignature.Base64Of(secret, System.Text.Encoding.UTF8.GetBytes(token))));
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookInbox inbox, ChannelSecrets secrets, CancellationToken ct)
    {
        var secret = await secrets.GetAsync(ChannelSecrets.XConsumerSecret, ct);
        if (string.IsNullOrEmpty(secret))
        {
            return ChannelsSetup.NotConfigured("X", "Channels:X:ConsumerSecret");
        }
        var (body, problem) = await WebhookInbox.ReadBodyAsync(request, ct);
        if (body is null)
        {
            return problem!;
        }
        var header = request.Headers["x-twitter-webhooks-signature"].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.X, "The x-twitter-webhooks-signature header is missing.", ct);
        }
        if (!WebhookSignature.Matches(secret, body, WebhookSignature.AfterPrefix(header, "sha256="), SignatureEncoding.Base64))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.X, "x-twitter-webhooks-signature does not match the body signed with the consumer secret.", ct);
        }
        return await inbox.ReceiveAsync(new WebhookRequest(WebhookSource.X, body, DeliveryId: null, Topic: null), XPayload.Parse, ct);
    }
}
