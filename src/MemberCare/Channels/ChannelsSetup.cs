using MemberCare.Channels.Email;
using MemberCare.Channels.Meta;
using MemberCare.Channels.Shopify;
using MemberCare.Channels.Webhooks;
using MemberCare.Channels.X;
using MemberCare.Hosting;

namespace MemberCare.Channels;

public static class ChannelsSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        services.AddOptions<ChannelsOptions>().BindConfiguration("Channels");
        services.AddSingleton<ChannelHealthLog>();
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<ChannelSecrets>();
        services.AddEmailChannel();
        return services;
    }

    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapMetaWebhooks();
        webhooks.MapXWebhooks();
        webhooks.MapShopifyWebhooks();
        routes.MapEmailChannel();
        routes.MapChannelSecrets();
        routes.MapGet("/api/v1/channels/health", (ChannelHealthLog health, CancellationToken ct) => health.ListAsync(ct))
            .WithTags("Channels")
            .RequireAuthorization(ApiKeys.Policy)
            .WithSummary("Per webhook source: the last event received, deliveries, signature failures and refused deliveries");
        return routes;
    }

    internal static IResult NotConfigured(string channel, string setting) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Channel not configured",
        detail: $"The {channel} webhook is off until '{setting}' is configured.");
}
