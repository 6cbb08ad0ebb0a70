namespace MemberCare.Features.Delivery;

public static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboundAddressGuard>();
        services.AddSingleton<TargetSecrets>();
        services.AddSingleton<OutboundSender>();
        services.AddSingleton<PlatformReplies>();
        services.AddSingleton<DeliveryDesk>();
        // Retries are the outbox's job: no retry handler here, only the guard's handler and a timeout per attempt.
        services.AddHttpClient(OutboundSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundAddressGuard>().CreateHandler());
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
