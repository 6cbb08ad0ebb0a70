using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemberCare.Hosting;

/// <summary>
/// Requests per client address per minute, by named policy (sign-in, the chat widget). Not ASP.NET Core's
/// RateLimitingMiddleware: it never disposes the limiter it creates (dotnet/aspnetcore#69259), whose timer then keeps
/// every stopped application reachable. This limiter is a singleton the container disposes with the application.
/// The counts are per node: a limit that guards against a flood from one address needs no agreement between nodes.
/// </summary>
public sealed class AddressLimits : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<(string Policy, string Address)> _limiter;
    private readonly Dictionary<string, AddressLimitPolicy> _policies;

    public AddressLimits(IServiceProvider services, IEnumerable<AddressLimitPolicy> policies)
    {
        _policies = policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var permits = _policies.ToDictionary(p => p.Key, p => p.Value.PermitsPerMinute, StringComparer.Ordinal);
        _limiter = PartitionedRateLimiter.Create<(string Policy, string Address), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, permits[k.Item1](services)),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    public RateLimitLease Acquire(string policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _limiter.AttemptAcquire((policy, context.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
    }

    public AddressLimitPolicy Policy(string name) => _policies[name];

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}

/// <summary>A named limit; the permits are read from options when an address is first seen in a window.</summary>
public sealed record AddressLimitPolicy(string Name, Func<IServiceProvider, int> PermitsPerMinute, string Title, string Detail);

public static class AddressLimitsExtensions
{
    public static IServiceCollection AddAddressLimit(this IServiceCollection services, string name, Func<IServiceProvider, int> permitsPerMinute,
        string title = "Too many requests", string detail = "Too many requests from this address in the last minute; try again in a minute.")
    {
        services.AddSingleton(new AddressLimitPolicy(name, permitsPerMinute, title, detail));
        services.TryAddSingleton<AddressLimits>();
        return services;
    }

    /// <summary>Answers 429 with a reason and a Retry-After once an address has used up its permits for the minute.</summary>
    public static TBuilder RequireAddressLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var limits = context.HttpContext.RequestServices.GetRequiredService<AddressLimits>();
            using var lease = limits.Acquire(policy, context.HttpContext);
            if (!lease.IsAcquired)
            {
                var named = limits.Policy(policy);
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem(title: named.Title, detail: named.Detail, statusCode: StatusCodes.Status429TooManyRequests);
            }
            return await next(context);
        });
}
