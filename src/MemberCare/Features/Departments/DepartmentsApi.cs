using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Features.Departments;

public sealed record MemberBody(string? Department);

public static class DepartmentsApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/departments").WithTags("Departments").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/", List).WithSummary("Departments with their hours, holidays, SLA targets, lead, connection and members");
        group.MapGet("/attainment", Attainment).WithSummary("SLA attainment per department over the last N days (default 30)");
        group.MapGet("/{key}", Get).WithSummary("One department");
        group.MapPut("/{key}", Update).WithSummary("Change a department; fields left out keep their value")
            .Accepts<DepartmentRequest>("application/json").ProducesValidationProblem();
        group.MapPut("/members/{userName}", SetMember).WithSummary("Put a staff member in a department, or out of all with department null")
            .Accepts<MemberBody>("application/json");
        group.MapPost("/{key}/token", IssueToken).WithSummary("Issue the department's API token (shown once; replaces the earlier one)");
    }

    private static async Task<Ok<IReadOnlyList<DepartmentView>>> List(DepartmentDirectory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.ListAsync(ct));

    private static async Task<Results<Ok<DepartmentView>, ProblemHttpResult>> Get(string key, DepartmentDirectory directory, CancellationToken ct) =>
        await directory.GetAsync(key, ct) is { } found ? TypedResults.Ok(found) : NotFound(key);

    private static async Task<IResult> Update(string key, HttpRequest http, JsonBodyReader reader, DepartmentDirectory directory, CancellationToken ct)
    {
        var body = await reader.ReadAsync<DepartmentRequest>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var (outcome, errors) = await directory.UpdateAsync(key, body.Value!, ct);
        return outcome switch
        {
            DepartmentOutcome.Done => TypedResults.Ok(await directory.GetAsync(key, ct)),
            DepartmentOutcome.Invalid => TypedResults.ValidationProblem(errors!, title: "The request has invalid fields"),
            _ => NotFound(key),
        };
    }

    private static async Task<IResult> SetMember(string userName, HttpRequest http, JsonBodyReader reader, DepartmentDirectory directory, CancellationToken ct)
    {
        var body = await reader.ReadAsync<MemberBody>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        return await directory.SetMemberAsync(userName, string.IsNullOrWhiteSpace(body.Value!.Department) ? null : body.Value.Department.Trim(), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no staff member '{userName}' or no such department.");
    }

    private static async Task<Results<Ok<TokenIssued>, ProblemHttpResult>> IssueToken(string key, DepartmentDirectory directory, CancellationToken ct) =>
        await directory.IssueTokenAsync(key, ct) is { } token ? TypedResults.Ok(new TokenIssued(key, token)) : NotFound(key);

    private static async Task<Results<Ok<IReadOnlyList<SlaAttainment>>, ValidationProblem>> Attainment(DepartmentDirectory directory, CancellationToken ct, int? days = null)
    {
        if (days is < 1 or > 366)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["must be between 1 and 366."] });
        }
        return TypedResults.Ok(await directory.AttainmentAsync(days ?? 30, ct));
    }

    private static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no department '{key}'.");
}

public sealed record TokenIssued(string Department, string Token);
