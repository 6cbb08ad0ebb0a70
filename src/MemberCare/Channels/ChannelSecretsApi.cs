using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Channels;

public sealed record SetChannelSecretRequest(string? Value);

public static class ChannelSecretsApi
{
    public static IEndpointRouteBuilder MapChannelSecrets(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/channels/secrets").WithTags("Channels").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/", (ChannelSecrets secrets, CancellationToken ct) => secrets.ListAsync(ct))
            .WithSummary("Each channel secret's source (database, configuration or not set), masked to its last four characters");
        group.MapPut("/{name}", SetAsync)
            .WithSummary("Stores a channel secret encrypted with Data Protection; it takes precedence over configuration")
            .DisableAntiforgery();
        group.MapDelete("/{name}", async Task<Results<NoContent, NotFound>> (string name, ChannelSecrets secrets, CancellationToken ct) =>
            await secrets.RemoveAsync(name, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Removes a stored secret; configuration applies again");
        return routes;
    }

    private static async Task<IResult> SetAsync(string name, SetChannelSecretRequest? request, HttpContext context, ChannelSecrets secrets, CancellationToken ct)
    {
        if (!ChannelSecrets.Known.ContainsKey(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown secret",
                detail: $"Known secrets: {string.Join(", ", ChannelSecrets.Known.Keys)}.");
        }
        try
        {
            await secrets.SetAsync(name, request?.Value ?? "", context.User.Identity?.Name ?? "api", ct);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Secret refused", detail: ex.Message);
        }
        return TypedResults.NoContent();
    }
}
