namespace MemberCare.Channels;

/// <summary>
/// Webhook secrets per platform, from configuration (user secrets, environment, a vault). A platform without
/// its secret has no webhook endpoint: it answers 404 rather than accept unverifiable deliveries.
/// </summary>
public sealed class ChannelsOptions
{
    public MetaOptions Meta { get; set; } = new();
    public XOptions X { get; set; } = new();
    public ShopifyOptions Shopify { get; set; } = new();
}

public sealed class MetaOptions
{
    public string? AppSecret { get; set; }
    public string? VerifyToken { get; set; }
}

public sealed class XOptions
{
    public string? ConsumerSecret { get; set; }
}

public sealed class ShopifyOptions
{
    public string? WebhookSecret { get; set; }
}
