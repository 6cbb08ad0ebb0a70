namespace MemberCare.Domain.Channels;

/// <summary>A source of inbound events: a platform that calls us with signed webhooks, or one of our own channels.</summary>
public enum WebhookSource
{
    Meta,
    X,
    Shopify,
    Email,
    Chat,
    Reviews,
}

/// <summary>
/// One verified webhook delivery, stored with its raw body before it is acknowledged. The delivery key is the
/// platform's delivery id, or a SHA-256 of the body when the platform sends none; it is unique per source, so a
/// platform's retry of a delivery we already stored is answered without being processed again.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxKeyLength = 128;
    public const int MaxOutcomeLength = 1000;

    private WebhookDelivery()
    {
    }

    public long Id { get; private set; }
    public WebhookSource Source { get; private set; }
    public string DeliveryKey { get; private set; } = "";
    public string? Topic { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The body exactly as it arrived; the signature covers these bytes.</summary>
    public byte[] RawBody { get; private set; } = [];

    /// <summary>Only deliveries whose signature checked out are stored; the column says so for anyone reading the table.</summary>
    public bool SignatureOk { get; private set; }

    /// <summary>What the delivery did: "2 messages", "order 9999 created", "ignored: page changes 'likes'".</summary>
    public string Outcome { get; private set; } = "";

    public static WebhookDelivery Verified(WebhookSource source, string deliveryKey, string? topic, byte[] rawBody, string outcome, DateTimeOffset receivedAt)
    {
        if (string.IsNullOrWhiteSpace(deliveryKey) || deliveryKey.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A delivery key is 1 to {MaxKeyLength} characters.", nameof(deliveryKey));
        }
        return new WebhookDelivery
        {
            Source = source,
            DeliveryKey = deliveryKey,
            Topic = topic is { Length: > 64 } ? topic[..64] : topic,
            RawBody = rawBody,
            SignatureOk = true,
            Outcome = outcome.Length > MaxOutcomeLength ? outcome[..MaxOutcomeLength] : outcome,
            ReceivedAt = receivedAt.ToUniversalTime(),
        };
    }
}

/// <summary>Per webhook source: when it last delivered, and how often deliveries were refused.</summary>
public sealed class ChannelHealth
{
    private ChannelHealth()
    {
    }

    public ChannelHealth(WebhookSource source) => Source = source;

    public WebhookSource Source { get; private set; }
    public DateTimeOffset? LastEventAt { get; private set; }
    public long Deliveries { get; private set; }
    public long SignatureFailures { get; private set; }
    public DateTimeOffset? LastSignatureFailureAt { get; private set; }
    public long DeliveryFailures { get; private set; }
    public DateTimeOffset? LastDeliveryFailureAt { get; private set; }
    public string? LastFailure { get; private set; }
}
