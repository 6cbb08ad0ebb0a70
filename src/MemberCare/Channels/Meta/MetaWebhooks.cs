using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Meta;

/// <summary>Facebook Page feed comments, Instagram comments and Messenger messages, as Meta's Graph API webhooks deliver them.</summary>
public static class MetaWebhooks
{
    public static RouteGroupBuilder MapMetaWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapGet("/meta", Verify)
            .WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.verify_token matches");
        webhooks.MapPost("/meta", ReceiveAsync)
            .WithSummary("Meta webhook deliveries (page feed, Instagram comments, Messenger), verified by X-Hub-Signature-256")
            .DisableAntiforgery();
        return webhooks;
    }

    private static IResult Verify(HttpRequest request, IOptions<ChannelsOptions> options)
    {
        var token = options.Value.Meta.VerifyToken;
        if (string.IsNullOrEmpty(token))
        {
            return ChannelsSetup.NotConfigured("Meta", "Channels:Meta:VerifyToken");
        }
        var query = request.Query;
        if (query["hub.mode"] != "subscribe" || !WebhookSignature.SecretsEqual(token, query["hub.verify_token"].ToString()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Verification refused",
                detail: "hub.mode must be 'subscribe' and hub.verify_token must match the configured token.");
        }
        var challenge = query["hub.challenge"].ToString();
        return string.IsNullOrEmpty(challenge) || challenge.Length > 1000
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No challenge", detail: "hub.challenge is required.")
            : TypedResults.Text(challenge, "text/plain");
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookInbox inbox, ChannelSecrets secrets, CancellationToken ct)
    {
        var secret = await secrets.GetAsync(ChannelSecrets.MetaAppSecret, ct);
        if (string.IsNullOrEmpty(secret))
        {
            return ChannelsSetup.NotConfigured("Meta", "Channels:Meta:AppSecret");
        }
        var (body, problem) = await WebhookInbox.ReadBodyAsync(request, ct);
        if (body is null)
        {
            return problem!;
        }
        var header = request.Headers["X-Hub-Signature-256"].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.Meta, "The X-Hub-Signature-256 header is missing.", ct);
        }
        if (!WebhookSignature.Matches(secret, body, WebhookSignature.AfterPrefix(header, "sha256="), SignatureEncoding.Hex))
        {
            return await inbox.SignatureRejectedAsync(WebhookSource.Meta, "X-Hub-Signature-256 does not match the body signed with the app secret.", ct);
        }
        // Meta sends no delivery id: the body's hash identifies a retry.
        return await inbox.ReceiveAsync(new WebhookRequest(WebhookSource.Meta, body, DeliveryId: null, Topic: null), MetaPayload.Parse, ct);
    }
}
