using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;

namespace MemberCare.Hosting;

public static class ErrorHandling
{
    public static IServiceCollection AddMemberCareErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
            // Routing refuses a media type an endpoint does not accept before its handler runs; say why here too.
            if (ctx.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                ctx.ProblemDetails.Detail ??= $"The body must be JSON sent as 'Content-Type: application/json', not '{ctx.HttpContext.Request.ContentType ?? "(none)"}'.";
            }
        });
        services.AddExceptionHandler<BadRequestHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddSingleton<JsonBodyReader>();
        return services;
    }

    /// <summary>Kestrel's own refusals (body too large, bad framing) are the client's fault: 4xx, never 500.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            context.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
            });
        }
    }
}
