using MemberCare.Domain.Channels;

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

    /// <summary>
    /// How long each channel may be silent in the care team's business hours before an alert, by channel name
    /// (meta, x, shopify, email, chat, reviews); "default" covers the channels not named. Two hours when unset.
    /// </summary>
    public Dictionary<string, TimeSpan> Silence { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often each node looks for silent channels.</summary>
    public TimeSpan SilenceCheckEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The department whose business hours say when silence matters.</summary>
    public string SilenceDepartment { get; set; } = "member_care";

    public TimeSpan SilenceThreshold(WebhookSource source) =>
        Find(source.ToString()) ?? Find("default") ?? TimeSpan.FromHours(2);

    // The binder may hand over its own dictionary, so names are matched here rather than by the dictionary's comparer.
    private TimeSpan? Find(string name) =>
        Silence.Where(s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase)).Select(s => (TimeSpan?)s.Value).FirstOrDefault();
}

public sealed class MetaOptions
{
    public string? AppSecret { get; set; }
    public string? VerifyToken { get; set; }

    /// <summary>Where agents' replies go; a test points it at a fake Graph server on loopback.</summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.facebook.com/v21.0/");

    /// <summary>The page access token replies are sent with.</summary>
    public string? PageAccessToken { get; set; }
}

public sealed class XOptions
{
    public string? ConsumerSecret { get; set; }

    /// <summary>Where agents' replies go (posts and direct messages).</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.x.com/");

    /// <summary>The user-context bearer token replies are sent with.</summary>
    public string? BearerToken { get; set; }
}

public sealed class ShopifyOptions
{
    public string? WebhookSecret { get; set; }
}
