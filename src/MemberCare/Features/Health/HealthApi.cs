using MemberCare.Domain.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Check).WithTags("Operations").WithSummary("200 when the database answers, 503 otherwise").AllowAnonymous();
        return routes;
    }

    private static async Task<JsonHttpResult<HealthReport>> Check(IDbContextFactory<MemberCareDb> dbFactory, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var answers = await db.Database.CanConnectAsync(timeout.Token);
            if (answers)
            {
                // Connecting is not enough: the schema must be there too.
                await db.Departments.AnyAsync(timeout.Token);
            }
            return answers
                ? TypedResults.Json(new HealthReport("healthy", db.Database.ProviderName, null))
                : Unhealthy("The database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            loggers.CreateLogger("MemberCare.Health").LogWarning(ex, "Health check failed");
            return Unhealthy(ex.Message);
        }
    }

    private static JsonHttpResult<HealthReport> Unhealthy(string reason) =>
        TypedResults.Json(new HealthReport("unhealthy", null, reason), statusCode: StatusCodes.Status503ServiceUnavailable);
}

public sealed record HealthReport(string Status, string? Database, string? Reason);
