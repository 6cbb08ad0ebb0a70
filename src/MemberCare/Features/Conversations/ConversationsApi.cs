using System.Globalization;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MemberCare.Features.Conversations;

public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/conversations").WithTags("Conversations").RequireAuthorization(ApiKeys.Policy);
        group.MapGet("/", List).WithSummary("List conversations, newest activity first, paged by cursor");
        group.MapGet("/{id:long}", Get).WithSummary("A conversation with its messages, customer and orders");
        group.MapPost("/{id:long}/replies", Reply).WithSummary("Send an agent reply to the customer")
            .Accepts<WriteMessageRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/{id:long}/notes", Note).WithSummary("Add an internal note that the customer never sees")
            .Accepts<WriteMessageRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/{id:long}/status", ChangeStatus).WithSummary("Move the conversation along an allowed status transition")
            .Accepts<ChangeStatusRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        routes.MapConversationFiles();
        return routes;
    }

    private static async Task<Results<Ok<ConversationPage>, ValidationProblem>> List(
        ConversationDesk desk,
        CancellationToken ct,
        string? status = null,
        string? channel = null,
        string? customerId = null,
        string? updatedSince = null,
        string? limit = null,
        string? cursor = null)
    {
        // Filters arrive as text and are parsed here, so that a bad value gets a problem naming its field
        // rather than the framework's anonymous 400.
        var errors = new FieldErrors();
        long? customerFilter = null;
        if (customerId is not null)
        {
            if (long.TryParse(customerId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId))
            {
                customerFilter = parsedId;
            }
            else
            {
                errors.Add("customerId", "must be a customer id (a whole number).");
            }
        }
        DateTimeOffset? sinceFilter = null;
        if (updatedSince is not null)
        {
            if (DateTimeOffset.TryParse(updatedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedSince))
            {
                sinceFilter = parsedSince;
            }
            else
            {
                errors.Add("updatedSince", "must be an ISO 8601 time, such as 2026-03-01T09:00:00Z.");
            }
        }
        var pageSize = 50;
        if (limit is not null && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            pageSize = 0;
        }
        ConversationStatus? statusFilter = null;
        if (status is not null)
        {
            if (ConversationStatuses.TryParse(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors.Add("status", $"must be one of {string.Join(", ", ConversationStatuses.Keys)}.");
            }
        }
        Channel? channelFilter = null;
        if (channel is not null && !ChannelNames.TryParse(channel, out channelFilter))
        {
            errors.Add("channel", $"must be one of {string.Join(", ", ChannelNames.Known)}.");
        }
        if (pageSize is < 1 or > ConversationDesk.MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {ConversationDesk.MaxLimit}.");
        }
        if (!ConversationDesk.Cursor.IsValid(cursor))
        {
            errors.Add("cursor", "is not a cursor this API returned.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        return TypedResults.Ok(await desk.ListAsync(new ConversationFilter(statusFilter, channelFilter, customerFilter, sinceFilter, pageSize, cursor), ct));
    }

    private static async Task<Results<Ok<ConversationDetail>, ProblemHttpResult>> Get(long id, ConversationDesk desk, CancellationToken ct) =>
        await desk.GetAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(id);

    private static Task<IResult> Reply(long id, HttpRequest request, JsonBodyReader reader, ConversationDesk desk, CancellationToken ct) =>
        WriteAsync(id, request, reader, (author, text) => desk.ReplyAsync(id, author, text, ct), ct);

    private static Task<IResult> Note(long id, HttpRequest request, JsonBodyReader reader, ConversationDesk desk, CancellationToken ct) =>
        WriteAsync(id, request, reader, (author, text) => desk.AddNoteAsync(id, author, text, ct), ct);

    private static async Task<IResult> WriteAsync(
        long id,
        HttpRequest request,
        JsonBodyReader reader,
        Func<string, string, Task<(DeskOutcome Outcome, MessageView? Message)>> write,
        CancellationToken ct)
    {
        var body = await reader.ReadAsync<WriteMessageRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        errors.RequireText("text", body.Value!.Text, Conversation.MaxTextLength);
        errors.MaxLength("author", body.Value.Author, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var author = string.IsNullOrWhiteSpace(body.Value.Author) ? request.HttpContext.User.Identity?.Name ?? "api" : body.Value.Author.Trim();
        var (outcome, message) = await write(author, body.Value.Text!);
        return outcome switch
        {
            DeskOutcome.Done => TypedResults.Created($"/api/v1/conversations/{id}", message),
            DeskOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conversation closed",
                detail: $"Conversation {id} is closed; a closed conversation takes no replies."),
            _ => NotFound(id),
        };
    }

    private static async Task<IResult> ChangeStatus(long id, HttpRequest request, JsonBodyReader reader, ConversationDesk desk, CancellationToken ct)
    {
        var body = await reader.ReadAsync<ChangeStatusRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var errors = new FieldErrors();
        var to = ConversationStatus.New;
        if (string.IsNullOrWhiteSpace(body.Value!.Status))
        {
            errors.Add("status", "is required.");
        }
        else if (!ConversationStatuses.TryParse(body.Value.Status, out to))
        {
            errors.Add("status", $"must be one of {string.Join(", ", ConversationStatuses.Keys)}.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (outcome, current) = await desk.ChangeStatusAsync(id, to, ct);
        return outcome switch
        {
            DeskOutcome.Done => TypedResults.Ok(new { id, status = to.ToKey() }),
            DeskOutcome.IllegalTransition => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Illegal status transition",
                detail: $"Conversation {id} cannot move from {current!.Value.ToKey()} to {to.ToKey()}. Allowed: " +
                    (ConversationStatuses.AllowedFrom(current.Value) is { Count: > 0 } allowed ? string.Join(", ", allowed.Select(s => s.ToKey())) : "none (closed is final)") + ".",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]> { ["status"] = [$"cannot move from {current.Value.ToKey()} to {to.ToKey()}."] },
                }),
            _ => NotFound(id),
        };
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no conversation {id}.");
}
