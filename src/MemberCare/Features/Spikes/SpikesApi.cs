using MemberCare.Domain.Spikes;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MemberCare.Features.Spikes;

public sealed record SpikeDecisionRequest(string? By);

public static class SpikesApi
{
    public static IServiceCollection AddSpikeDetection(this IServiceCollection services)
    {
        services.AddOptions<SpikeOptions>().BindConfiguration("Spikes").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SpikeAlerts>();
        services.AddSingleton<SpikeDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<SpikeDetector>());
        return services;
    }

    public static IEndpointRouteBuilder MapSpikesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/spikes").WithTags("Spikes").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/", List).WithSummary("Spike alerts (proposed defects), newest first; filter by status proposed, accepted or dismissed");
        group.MapGet("/{id:long}", Get).WithSummary("One spike alert with its linked messages");
        group.MapPost("/{id:long}/accept", Accept)
            .WithSummary("Accept a proposed spike alert; answers with what the defect is made from")
            .Accepts<SpikeDecisionRequest>("application/json");
        group.MapPost("/{id:long}/dismiss", Dismiss)
            .WithSummary("Dismiss a proposed spike alert; its signature then alerts only above this alert's count")
            .Accepts<SpikeDecisionRequest>("application/json");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<SpikeAlertSummary>>, ValidationProblem>> List(
        SpikeAlerts alerts, CancellationToken ct, string? status = null, int take = 50)
    {
        SpikeAlertStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<SpikeAlertStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["is one of proposed, accepted, dismissed."] });
            }
            filter = parsed;
        }
        if (take is < 1 or > SpikeAlerts.MaxList)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"is between 1 and {SpikeAlerts.MaxList}."] });
        }
        return TypedResults.Ok(await alerts.ListAsync(filter, take, ct));
    }

    private static async Task<Results<Ok<SpikeAlertDetail>, NotFound<ProblemDetails>>> Get(long id, SpikeAlerts alerts, CancellationToken ct) =>
        await alerts.GetAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(id);

    private static async Task<IResult> Accept(long id, HttpRequest request, JsonBodyReader reader, SpikeAlerts alerts, CancellationToken ct)
    {
        var by = await DecidedByAsync(request, reader, ct);
        if (by.Problem is not null)
        {
            return by.Problem;
        }
        var (outcome, accepted) = await alerts.AcceptAsync(id, by.Name!, ct);
        return outcome switch
        {
            DecisionOutcome.Done => TypedResults.Ok(accepted),
            DecisionOutcome.AlreadyDecided => Conflict(id),
            _ => NotFound(id),
        };
    }

    private static async Task<IResult> Dismiss(long id, HttpRequest request, JsonBodyReader reader, SpikeAlerts alerts, CancellationToken ct)
    {
        var by = await DecidedByAsync(request, reader, ct);
        if (by.Problem is not null)
        {
            return by.Problem;
        }
        var (outcome, alert) = await alerts.DismissAsync(id, by.Name!, ct);
        return outcome switch
        {
            DecisionOutcome.Done => TypedResults.Ok(alert),
            DecisionOutcome.AlreadyDecided => Conflict(id),
            _ => NotFound(id),
        };
    }

    /// <summary>The body is optional; without a name the caller's identity decides.</summary>
    private static async Task<(string? Name, IResult? Problem)> DecidedByAsync(HttpRequest request, JsonBodyReader reader, CancellationToken ct)
    {
        var fallback = request.HttpContext.User.Identity?.Name ?? "api";
        if (request.ContentLength is 0 or null && !request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return (fallback, null);
        }
        var body = await reader.ReadAsync<SpikeDecisionRequest>(request, ct);
        if (!body.IsValid)
        {
            return (null, body.Problem);
        }
        var errors = new FieldErrors();
        errors.MaxLength("by", body.Value!.By, SpikeAlert.MaxDecidedByLength);
        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }
        return (string.IsNullOrWhiteSpace(body.Value.By) ? fallback : body.Value.By.Trim(), null);
    }

    private static NotFound<ProblemDetails> NotFound(long id) =>
        TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = $"There is no spike alert {id}." });

    private static Conflict<ProblemDetails> Conflict(long id) =>
        TypedResults.Conflict(new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Already decided", Detail = $"Spike alert {id} was accepted or dismissed already." });
}
