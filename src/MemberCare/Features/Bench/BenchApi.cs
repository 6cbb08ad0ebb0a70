using MemberCare.Domain;
using MemberCare.Features.Intake;
using MemberCare.Hosting;

namespace MemberCare.Features.Bench;

public sealed record NoopResponse(string Channel, string ExternalId);

/// <summary>
/// An intake request without the storage: the same authentication, body reading and checks as
/// POST /api/v1/messages, then 200. The load generator measures it beside intake in the same run, so the
/// ratio between the two is the cost of storing a message. Mapped only when Bench:NoopEndpoint is true.
/// </summary>
public static class BenchApi
{
    public const string Setting = "Bench:NoopEndpoint";

    public static IEndpointRouteBuilder MapBenchApi(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(Setting))
        {
            return routes;
        }
        routes.MapPost("/api/v1/bench/noop", Noop)
            .WithTags("Benchmark")
            .WithSummary("Read and check a message like intake does, and store nothing")
            .RequireAuthorization(ApiKeys.Policy)
            .Accepts<PostMessageRequest>("application/json")
            .Produces<NoopResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        routes.MapGet("/api/v1/bench/intake-stages", (IntakeStages stages) => TypedResults.Ok(stages.TakeAndReset()))
            .WithTags("Benchmark")
            .WithSummary("Time per intake stage since the last call (with Intake:StageTiming), then start again")
            .RequireAuthorization(ApiKeys.Policy)
            .Produces<IntakeStagesSnapshot>(StatusCodes.Status200OK);
        return routes;
    }

    private static async Task<IResult> Noop(HttpRequest request, JsonBodyReader reader, TimeProvider time, CancellationToken ct)
    {
        var body = await reader.ReadAsync<PostMessageRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var (message, errors) = IntakeApi.Check(body.Value!, body.Raw, time.GetUtcNow());
        return message is null
            ? errors.ToProblem()
            : TypedResults.Ok(new NoopResponse(message.Channel.ToKey(), message.ExternalId));
    }
}
