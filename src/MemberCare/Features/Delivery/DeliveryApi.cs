using MemberCare.Domain.Delivery;
using MemberCare.Hosting;

namespace MemberCare.Features.Delivery;

public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/delivery").WithTags("Delivery").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/targets", (DeliveryDesk desk, CancellationToken ct) => desk.TargetsAsync(ct))
            .WithSummary("Delivery targets with masked secrets and per target counts: pending, failing (pending after a failure), delivered, dead");
        group.MapPost("/targets", (HttpRequest request, JsonBodyReader reader, DeliveryDesk desk, CancellationToken ct) => SaveAsync(null, request, reader, desk, ct))
            .WithSummary("Create a webhook, e-mail or Slack target; URLs are checked against SSRF. A generated webhook secret is shown once, here")
            .Accepts<TargetInput>("application/json").ProducesValidationProblem();
        group.MapPut("/targets/{id:long}", (long id, HttpRequest request, JsonBodyReader reader, DeliveryDesk desk, CancellationToken ct) => SaveAsync(id, request, reader, desk, ct))
            .WithSummary("Change a target; a null secret keeps the current one")
            .Accepts<TargetInput>("application/json").ProducesValidationProblem();
        group.MapPost("/targets/{id:long}/test", async (long id, DeliveryDesk desk, CancellationToken ct) =>
            await desk.SendTestAsync(id, ct) switch
            {
                (DeskResult.Done, var message) => Results.Accepted($"/api/v1/delivery/outbox/{message!.Id}", message),
                (DeskResult.NotFound, _) => Results.Problem(statusCode: 404, title: "No such target"),
                _ => Results.Problem(statusCode: 400, title: "Platform targets take no test messages"),
            })
            .WithSummary("Queue a test message to the target; it goes out through the outbox like any other");
        group.MapGet("/outbox", async (DeliveryDesk desk, CancellationToken ct, string? status, long? targetId, int? limit) =>
                status is null || Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out _)
                    ? Results.Ok(await desk.OutboxAsync(status is null ? null : Enum.Parse<OutboxStatus>(status, ignoreCase: true), targetId, limit ?? 100, ct))
                    : Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["must be pending, delivered or dead."] }))
            .WithSummary("Outbox messages, newest first: status pending, delivered or dead (the dead-letter view)");
        group.MapPost("/outbox/{id:long}/retry", async (long id, DeliveryDesk desk, CancellationToken ct) =>
            await desk.RetryAsync(id, ct) switch
            {
                (DeskResult.Done, var message) => Results.Ok(message),
                (DeskResult.NotFound, _) => Results.Problem(statusCode: 404, title: "No such outbox message"),
                _ => Results.Problem(statusCode: 409, title: "Not dead", detail: "Only a dead message can be retried by hand."),
            })
            .WithSummary("Retry a dead message: the same webhook id, a fresh round of attempts");
        return routes;
    }

    private static async Task<IResult> SaveAsync(long? id, HttpRequest request, JsonBodyReader reader, DeliveryDesk desk, CancellationToken ct)
    {
        var body = await reader.ReadAsync<TargetInput>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var (result, error, saved) = await desk.SaveTargetAsync(id, body.Value!, ct);
        return result switch
        {
            DeskResult.Done when id is null => Results.Created($"/api/v1/delivery/targets/{saved!.Target.Id}", saved),
            DeskResult.Done => Results.Ok(saved),
            DeskResult.NotFound => Results.Problem(statusCode: 404, title: "No such target"),
            _ => Results.ValidationProblem(new Dictionary<string, string[]> { ["address"] = [error!] }, title: "Target refused"),
        };
    }
}
