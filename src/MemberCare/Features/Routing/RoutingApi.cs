using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Features.Routing;

public static class RoutingApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/routing").WithTags("Routing").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/rules", List).WithSummary("The routing rules in the order they run");
        group.MapPost("/rules", Create).WithSummary("Add a rule").Accepts<RuleRequest>("application/json").ProducesValidationProblem();
        group.MapPut("/rules/{id:long}", Update).WithSummary("Change a rule").Accepts<RuleRequest>("application/json").ProducesValidationProblem();
        group.MapDelete("/rules/{id:long}", Delete).WithSummary("Delete a rule");
        group.MapPost("/preview", Preview).WithSummary("Which of the last N conversations a rule would match, without saving it")
            .Accepts<PreviewRequest>("application/json").ProducesValidationProblem();
    }

    private static async Task<Ok<IReadOnlyList<RuleView>>> List(RoutingRules rules, CancellationToken ct) => TypedResults.Ok(await rules.ListAsync(ct));

    private static Task<IResult> Create(HttpRequest http, JsonBodyReader reader, RoutingRules rules, CancellationToken ct) => SaveAsync(null, http, reader, rules, ct);

    private static Task<IResult> Update(long id, HttpRequest http, JsonBodyReader reader, RoutingRules rules, CancellationToken ct) => SaveAsync(id, http, reader, rules, ct);

    private static async Task<IResult> SaveAsync(long? id, HttpRequest http, JsonBodyReader reader, RoutingRules rules, CancellationToken ct)
    {
        var body = await reader.ReadAsync<RuleRequest>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var (outcome, rule, errors) = await rules.SaveAsync(id, body.Value!, ct);
        return outcome switch
        {
            RuleOutcome.Done when id is null => TypedResults.Created($"/api/v1/routing/rules/{rule!.Id}", rule),
            RuleOutcome.Done => TypedResults.Ok(rule),
            RuleOutcome.Invalid => TypedResults.ValidationProblem(errors!, title: "The request has invalid fields"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no rule {id}."),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, RoutingRules rules, CancellationToken ct) =>
        await rules.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no rule {id}.");

    private static async Task<IResult> Preview(HttpRequest http, JsonBodyReader reader, RoutingRules rules, CancellationToken ct)
    {
        var body = await reader.ReadAsync<PreviewRequest>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        if (body.Value!.Rule is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rule"] = ["is required."] });
        }
        if (body.Value.Last is < 1 or > RoutingRules.MaxPreview)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["last"] = [$"must be between 1 and {RoutingRules.MaxPreview}."] });
        }
        var (result, errors) = await rules.PreviewAsync(body.Value.Rule, body.Value.Last ?? 100, ct);
        return result is null ? TypedResults.ValidationProblem(errors!, title: "The request has invalid fields") : TypedResults.Ok(result);
    }
}
