using MemberCare.Channels.Chat;
using MemberCare.Channels.Email;
using MemberCare.Channels.Health;
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
        services.AddSingleton<ChannelHealthBoard>();
        services.AddSingleton<SilenceWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<SilenceWatch>());
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<ReviewUpload>();
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
        routes.MapGet("/api/v1/channels/health", (ChannelHealthBoard board, CancellationToken ct) => board.ReadAsync(ct))
            .WithTags("Channels")
            .RequireAuthorization(ApiKeys.Policy)
            .WithSummary("Per channel: the last event, events in 24 h, signature failures, refused deliveries, outbound failures and whether it is silent");
        return routes;
    }

    private static async Task<IResult> ImportReviewsAsync(HttpRequest request, ReviewUpload upload, CancellationToken ct)
    {
        if (request.ContentLength > ReviewUpload.MaxFileBytes)
        {
            return ReviewFileTooLarge();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > ReviewUpload.MaxFileBytes)
            {
                return ReviewFileTooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        var report = await upload.ImportAsync(buffer, ct);
        return report.Accepted == 0 && report.Rejected.Count > 0
            ? TypedResults.UnprocessableEntity(report)
            : TypedResults.Ok(report);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ReviewFileTooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
        detail: $"A reviews file may be at most {ReviewUpload.MaxFileBytes} bytes.");

    internal static IResult NotConfigured(string channel, string setting) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Channel not configured",
        detail: $"The {channel} webhook is off until '{setting}' is configured.");
}
