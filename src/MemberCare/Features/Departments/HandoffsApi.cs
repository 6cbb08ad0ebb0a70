using MemberCare.Domain.Routing;
using MemberCare.Features.Conversations;
using MemberCare.Features.Routing;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Features.Departments;

public sealed record HandoffRequestBody(string? Department, string? Request, string? CustomerWords, string? RequestedBy);

public sealed record HandoffAnswerBody(string? Text, string? By);

public static class HandoffsApi
{
    public static IEndpointRouteBuilder MapDepartmentsAndRouting(this IEndpointRouteBuilder routes)
    {
        var care = routes.MapGroup("/api/v1/conversations").WithTags("Hand-offs").RequireAuthorization(ApiKeys.Policy);
        care.MapPost("/{id:long}/handoffs", Request).WithSummary("Hand the conversation to a department")
            .Accepts<HandoffRequestBody>("application/json").ProducesValidationProblem();
        care.MapGet("/{id:long}/handoffs", ForConversation).WithSummary("The conversation's hand-offs and, once all are answered, a suggested reply");

        var department = routes.MapGroup("/api/v1/department/handoffs").WithTags("Department API").RequireAuthorization(DepartmentTokenHandler.Policy);
        department.MapGet("/", Queue).WithSummary("The calling department's hand-offs: open (default) or closed");
        department.MapGet("/{key}", Get).WithSummary("One of the calling department's hand-offs");
        department.MapGet("/{key}/files/{fileId:long}", File).WithSummary("A file the customer sent in the hand-off's conversation");
        department.MapPost("/{key}/acknowledge", Acknowledge).WithSummary("Acknowledge a hand-off");
        department.MapPost("/{key}/answer", Answer).WithSummary("Answer a hand-off; it is done and care is told")
            .Accepts<HandoffAnswerBody>("application/json").ProducesValidationProblem();
        department.MapPost("/{key}/reject", Reject).WithSummary("Reject a hand-off with a reason")
            .Accepts<HandoffAnswerBody>("application/json").ProducesValidationProblem();

        // The portal's download: the same file, behind a department member's sign-in instead of the token.
        routes.MapGet("/department/files/{key}/{fileId:long}", File).RequireAuthorization(DepartmentsSetup.PortalPolicy).ExcludeFromDescription();

        DepartmentsApi.Map(routes);
        RoutingApi.Map(routes);
        return routes;
    }

    private static async Task<IResult> Request(long id, HttpRequest http, JsonBodyReader reader, Handoffs handoffs, CancellationToken ct)
    {
        var body = await reader.ReadAsync<HandoffRequestBody>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        errors.RequireText("department", body.Value!.Department, 40);
        errors.MaxLength("request", body.Value.Request, Handoff.MaxTextLength);
        errors.MaxLength("customerWords", body.Value.CustomerWords, Handoff.MaxWordsLength);
        errors.MaxLength("requestedBy", body.Value.RequestedBy, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var by = new HandoffActor(string.IsNullOrWhiteSpace(body.Value.RequestedBy) ? http.HttpContext.User.Identity?.Name ?? "api" : body.Value.RequestedBy.Trim(), null);
        var (outcome, card) = await handoffs.RequestAsync(id, new NewHandoff(body.Value.Department!.Trim(), body.Value.Request, body.Value.CustomerWords), by, ct);
        return outcome switch
        {
            HandoffOutcome.Done => TypedResults.Created($"/api/v1/conversations/{id}/handoffs", card),
            HandoffOutcome.UnknownDepartment => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["department"] = [$"'{body.Value.Department}' is not a department."] }),
            HandoffOutcome.ConversationClosed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conversation closed", detail: $"Conversation {id} is closed."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no conversation {id}."),
        };
    }

    private static async Task<Results<Ok<ConversationHandoffs>, ProblemHttpResult>> ForConversation(long id, Handoffs handoffs, CancellationToken ct) =>
        await handoffs.ForConversationAsync(id, ct) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no conversation {id}.");

    private static async Task<Results<Ok<IReadOnlyList<HandoffCard>>, ValidationProblem>> Queue(HttpContext http, Handoffs handoffs, CancellationToken ct, string? state = null)
    {
        if (state is not (null or "open" or "closed"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["must be open or closed."] });
        }
        return TypedResults.Ok(await handoffs.QueueAsync(http.User.Department()!, state != "closed", ct));
    }

    private static async Task<Results<Ok<HandoffCard>, ProblemHttpResult>> Get(string key, HttpContext http, Handoffs handoffs, CancellationToken ct) =>
        await handoffs.GetAsync(key, http.User.Department(), ct) is { } card ? TypedResults.Ok(card) : NotFound(key);

    private static async Task<IResult> File(string key, long fileId, HttpContext http, Handoffs handoffs, CancellationToken ct) =>
        await handoffs.FileAsync(key, http.User.Department()!, fileId, ct) is { } file
            ? ConversationFiles.Serve(http, file)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Hand-off {key} of this department has no file {fileId}.");

    private static async Task<IResult> Acknowledge(string key, HttpContext http, Handoffs handoffs, CancellationToken ct) =>
        Answered(key, "acknowledged", await handoffs.AcknowledgeAsync(key, http.User.Department(), Actor(http, null), ct));

    private static Task<IResult> Answer(string key, HttpRequest http, JsonBodyReader reader, Handoffs handoffs, CancellationToken ct) =>
        WithTextAsync(key, http, reader, "done", (text, by) => handoffs.AnswerAsync(key, http.HttpContext.User.Department(), by, text, ct), ct);

    private static Task<IResult> Reject(string key, HttpRequest http, JsonBodyReader reader, Handoffs handoffs, CancellationToken ct) =>
        WithTextAsync(key, http, reader, "rejected", (text, by) => handoffs.RejectAsync(key, http.HttpContext.User.Department(), by, text, ct), ct);

    private static async Task<IResult> WithTextAsync(
        string key,
        HttpRequest http,
        JsonBodyReader reader,
        string verb,
        Func<string, HandoffActor, Task<(HandoffOutcome, HandoffCard?)>> act,
        CancellationToken ct)
    {
        var body = await reader.ReadAsync<HandoffAnswerBody>(http, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        errors.RequireText("text", body.Value!.Text, Handoff.MaxTextLength);
        errors.MaxLength("by", body.Value.By, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return Answered(key, verb, await act(body.Value.Text!.Trim(), Actor(http.HttpContext, body.Value.By)));
    }

    private static HandoffActor Actor(HttpContext http, string? by) =>
        new(string.IsNullOrWhiteSpace(by) ? http.User.Identity?.Name ?? "department" : by.Trim(), null);

    private static IResult Answered(string key, string verb, (HandoffOutcome Outcome, HandoffCard? Card) result) => result.Outcome switch
    {
        HandoffOutcome.Done => TypedResults.Ok(result.Card),
        HandoffOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
            detail: $"Hand-off {key} is {result.Card?.Status ?? "changing"} and cannot be {verb} now."),
        _ => NotFound(key),
    };

    private static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no hand-off {key} for this department.");
}
