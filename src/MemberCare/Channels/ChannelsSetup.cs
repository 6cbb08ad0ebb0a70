using MemberCare.Channels.Chat;
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
        services.AddChatChannel();
        services.AddOptions<Features.Import.ReviewOptions>().BindConfiguration("Reviews").ValidateDataAnnotations();
        return services;
    }

    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapMetaWebhooks();
        webhooks.MapXWebhooks();
        webhooks.MapShopifyWebhooks();
        routes.MapEmailChannel();
        routes.MapChatChannel();
        routes.MapChannelSecrets();
        routes.MapPost("/api/v1/reviews/import", ImportReviewsAsync)
            .WithTags("Channels")
            .RequireAuthorization(ApiKeys.Policy)
            .WithSummary("Upload a reviews CSV (review_id,rating,sku,reviewer,email,title,body,created_at); low ratings are flagged for care")
            .Accepts<string>("text/csv")
            .DisableAntiforgery();
        routes.MapGet("/api/v1/channels/health", (ChannelHealthLog health, CancellationToken ct) => health.ListAsync(ct))
            .WithTags("Channels")
            .RequireAuthorization(ApiKeys.Policy)
            .WithSummary("Per webhook source: the last event received, deliveries, signature failures and refused deliveries");
        return routes;
    }

    private static async Task<IResult> ImportReviewsAsync(HttpRequest request, Features.Import.ShopImport import, CancellationToken ct)
    {
        if (request.ContentLength > MaxReviewFileBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"A reviews file may be at most {MaxReviewFileBytes} bytes.");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxReviewFileBytes)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"A reviews file may be at most {MaxReviewFileBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        var report = await import.ImportAsync(Features.Import.ImportKind.Reviews, buffer, ct);
        return report.Accepted == 0 && report.Rejected.Count > 0
            ? TypedResults.UnprocessableEntity(report)
            : TypedResults.Ok(report);
    }

    private const int MaxReviewFileBytes = 20 * 1024 * 1024;

    internal static IResult NotConfigured(string channel, string setting) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Channel not configured",
        detail: $"The {channel} webhook is off until '{setting}' is configured.");
}
